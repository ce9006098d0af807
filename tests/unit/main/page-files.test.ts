/** How both shells serve the page's files (main/page/page-files.ts), as pure functions. */
import { describe, expect, it } from 'vitest';
import { contentType, decodePagePath, pageCsp, pageFile } from '../../../main/page/page-files.js';
import { BROWSER_CSP } from '../../../main/serve/browser-shell.js';
import { APP_CSP } from '../../../main/shell/security-policy.js';

const directives = (csp: string) => new Map(csp.split('; ').map((d) => [d.split(' ')[0]!, d]));

describe('the page CSP', () => {
  it('is the same in both shells but for connect-src: none in the app, its own origin in the browser shell', () => {
    const app = directives(APP_CSP);
    const browser = directives(BROWSER_CSP);
    expect(app.get('connect-src')).toBe("connect-src 'none'");
    expect(browser.get('connect-src')).toBe("connect-src 'self'");
    app.delete('connect-src');
    browser.delete('connect-src');
    expect(browser).toEqual(app);
    for (const d of ["default-src 'none'", "script-src 'self'", "style-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]) expect(app.get(d.split(' ')[0]!)).toBe(d);
    expect(pageCsp("'self'")).not.toMatch(/unsafe-|\*/);
  });
});

describe('content types', () => {
  it('names what the built renderer holds, and nothing a browser would sniff into a script', () => {
    expect(contentType('/r/index.html')).toBe('text/html; charset=utf-8');
    expect(contentType('/r/assets/app-1a2b.js')).toBe('text/javascript; charset=utf-8');
    expect(contentType('/r/assets/app.CSS')).toBe('text/css; charset=utf-8');
    expect(contentType('/r/icon.svg')).toBe('image/svg+xml');
    expect(contentType('/r/assets/app.js.map')).toBe('application/json');
    expect(contentType('/r/notes.txt')).toBe('application/octet-stream');
    expect(contentType('/r/Makefile')).toBe('application/octet-stream');
  });
});

describe('the path guard', () => {
  it('decodes once, and says 400 for a malformed escape instead of throwing', () => {
    expect(decodePagePath('/assets/a%20b.js')).toBe('/assets/a b.js');
    for (const bad of ['/%ff', '/%E0%A4%A', '/%']) expect(decodePagePath(bad), bad).toBeUndefined();
  });

  it('maps a path to a file inside the renderer folder only', () => {
    expect(pageFile('/', '/r', '/')).toBe('/r/index.html');
    expect(pageFile('/assets/a.js', '/r/', '/')).toBe('/r/assets/a.js');
    expect(pageFile('/assets/a.js', 'C:\\r', '\\')).toBe('C:\\r\\assets\\a.js');
    for (const bad of ['/../etc/passwd', '/a/../../etc', '/assets/..\\..\\secret', '/assets/', '/a//b']) expect(pageFile(bad, '/r', '/'), bad).toBeUndefined();
  });
});
