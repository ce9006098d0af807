#!/usr/bin/env node
// Renders the app and tray icons in app/ from one SVG, with Debian's Chromium.
// Run again after changing the artwork; the PNGs are committed.
import { chromium } from 'playwright-core';

const glyph = (fill) => `
  <circle cx="38" cy="40" r="9" fill="${fill}"/>
  <circle cx="62" cy="40" r="9" fill="${fill}" opacity="0.75"/>
  <circle cx="50" cy="62" r="9" fill="${fill}" opacity="0.5"/>
  <path d="M38 40 L62 40 L50 62 Z" fill="none" stroke="${fill}" stroke-width="3" opacity="0.6"/>`;

const appIcon = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">
  <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#ff6b5b"/><stop offset="1" stop-color="#c2362b"/></linearGradient></defs>
  <rect x="6" y="6" width="88" height="88" rx="20" fill="url(#g)"/>${glyph('#ffffff')}</svg>`;
const trayIcon = (fill) => `<svg xmlns="http://www.w3.org/2000/svg" viewBox="22 24 56 56">${glyph(fill)}</svg>`;

const outputs = [
  ['app/icon.png', appIcon, 1024],
  ['app/tray.png', trayIcon('#555555'), 32],
  ['app/tray@2x.png', trayIcon('#555555'), 64],
  ['app/trayTemplate.png', trayIcon('#000000'), 22],
  ['app/trayTemplate@2x.png', trayIcon('#000000'), 44],
];

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
for (const [file, svg, size] of outputs) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`);
  await page.screenshot({ path: file, omitBackground: true });
  await page.close();
  console.log(`wrote ${file} (${size}px)`);
}
await browser.close();
