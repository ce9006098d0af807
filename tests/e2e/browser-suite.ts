/**
 * What every Chromium e2e file sets up: one browser for the file, and clean-ups
 * that run after each test, newest first (pages before the hosts they show).
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';

export interface BrowserSuite {
  /** The file's Chromium (launched before the first test). */
  readonly browser: Browser;
  /** Run after each test, last added first. */
  readonly cleanups: Array<() => Promise<unknown> | unknown>;
}

export function browserSuite(): BrowserSuite {
  let browser: Browser | undefined;
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  return {
    get browser(): Browser {
      if (!browser) throw new Error('the browser starts in beforeAll: use it inside a test');
      return browser;
    },
    cleanups,
  };
}
