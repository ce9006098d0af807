import { rmSync, writeFileSync } from 'node:fs';
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
});
