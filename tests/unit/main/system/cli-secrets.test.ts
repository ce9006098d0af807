import { rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveCliSecrets } from '../../../../main/system/cli-secrets.js';
import { tempDir } from '../../../helpers/test-client.js';

const dir = tempDir('claw-secrets-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string, mode = 0o600): string {
  const p = path.join(dir, name);
  writeFileSync(p, text, { mode });
  return p;
}

describe('resolveCliSecrets', () => {
  it('reads a token file without its trailing newline, silently when the file is private', () => {
    const warnings: string[] = [];
    expect(resolveCliSecrets({ 'token-file': file('t1', 'abc123\n') }, {}, (w) => warnings.push(w))).toEqual({ ok: true, token: 'abc123', password: undefined });
    expect(warnings).toEqual([]);
  });

  it('warns when the token file is readable by others', () => {
    const warnings: string[] = [];
    const p = file('t2', 'abc', 0o644);
    expect(resolveCliSecrets({ 'token-file': p }, {}, (w) => warnings.push(w))).toMatchObject({ ok: true, token: 'abc' });
    expect(warnings).toEqual([`warning: ${p} can be read by other users (mode 644); run chmod 600 ${p}`]);
  });

  it('prefers the file, then the argument (with a warning), then the environment', () => {
    const warnings: string[] = [];
    const env = { OPENCLAW_GATEWAY_TOKEN: 'from-env', OPENCLAW_GATEWAY_PASSWORD: 'pw-env' };
    expect(resolveCliSecrets({}, env, (w) => warnings.push(w))).toEqual({ ok: true, token: 'from-env', password: 'pw-env' });
    expect(warnings).toEqual([]);
    expect(resolveCliSecrets({ token: 'from-arg' }, env, (w) => warnings.push(w))).toMatchObject({ token: 'from-arg' });
    expect(warnings).toHaveLength(1);
    expect(resolveCliSecrets({ 'password-file': file('p1', 'pw-file\r\n') }, env, () => {})).toMatchObject({ token: 'from-env', password: 'pw-file' });
  });

  it('refuses what cannot be meant', () => {
    expect(resolveCliSecrets({ token: 'a', 'token-file': file('t3', 'b') }, {}, () => {})).toEqual({ ok: false, error: 'give --token or --token-file, not both' });
    expect(resolveCliSecrets({ 'token-file': file('t4', '  \n') }, {}, () => {})).toMatchObject({ ok: false, error: expect.stringContaining('is empty') });
    expect(resolveCliSecrets({ 'token-file': file('t5', 'a\nb\n') }, {}, () => {})).toMatchObject({ ok: false, error: expect.stringContaining('more than one line') });
    expect(resolveCliSecrets({ 'password-file': path.join(dir, 'absent') }, {}, () => {})).toMatchObject({ ok: false, error: expect.stringContaining('ENOENT') });
  });

  it('refuses a symlinked file, a folder, and a file too big to be a secret, as the real OpenClaw CLI does', () => {
    const link = path.join(dir, 'link');
    symlinkSync(file('t6', 'abc'), link);
    expect(resolveCliSecrets({ 'token-file': link }, {}, () => {})).toEqual({ ok: false, error: `refusing the token file ${link}: it is a symbolic link` });
    expect(resolveCliSecrets({ 'token-file': dir }, {}, () => {})).toEqual({ ok: false, error: `refusing the token file ${dir}: not a regular file` });
    const big = file('t7', 'x'.repeat(16 * 1024 + 1));
    expect(resolveCliSecrets({ 'token-file': big }, {}, () => {})).toMatchObject({ ok: false, error: expect.stringContaining('is too big (16385 bytes)') });
  });
});
