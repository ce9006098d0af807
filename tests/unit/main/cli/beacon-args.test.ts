import { describe, expect, it } from 'vitest';
import { parseBeaconArgs, type BeaconArgs } from '../../../../main/cli/beacon-args.js';

function ok(argv: string[]): BeaconArgs {
  const r = parseBeaconArgs(argv);
  if (!r.ok) throw new Error(r.error);
  return r.args;
}

function error(argv: string[]): string {
  const r = parseBeaconArgs(argv);
  if (r.ok) throw new Error(`accepted ${argv.join(' ')}`);
  return r.error;
}

describe('parseBeaconArgs', () => {
  it('gives each --gateway the --name and secret options that follow it, and no others', () => {
    const args = ok(['--gateway', 'ws://a:1', '--token-file', '/a', '--name', 'home', '--gateway=ws://b:2', '--gateway', 'ws://c:3', '--password-file=/c', '--list']);
    expect(args.gateways).toEqual([
      { url: 'ws://a:1', name: 'home', secrets: { 'token-file': '/a' } },
      { url: 'ws://b:2', secrets: {} },
      { url: 'ws://c:3', secrets: { 'password-file': '/c' } },
    ]);
    expect(args.list).toBe(true);
    expect(args.looseSecrets).toEqual({});
  });

  it('keeps the single-gateway form: secret options anywhere', () => {
    expect(ok(['--token-file', '/t', '--list', '--gateway', 'ws://a:1']).gateways).toEqual([{ url: 'ws://a:1', secrets: { 'token-file': '/t' } }]);
    expect(ok(['--gateway', 'ws://a:1', '--token', 'T']).gateways).toEqual([{ url: 'ws://a:1', secrets: { token: 'T' } }]);
  });

  it('keeps secret options without any --gateway for OPENCLAW_GATEWAY_URL', () => {
    const args = ok(['--token-file', '/t']);
    expect(args.gateways).toEqual([]);
    expect(args.looseSecrets).toEqual({ 'token-file': '/t' });
  });

  it('refuses a secret before the first of several gateways: it could be meant for any', () => {
    expect(error(['--token-file', '/t', '--gateway', 'ws://a:1', '--gateway', 'ws://b:2'])).toBe(
      '--token-file comes before the first --gateway, so it is not clear which of the 2 gateways it is for; put it right after the --gateway it belongs to',
    );
  });

  it('refuses a secret given twice for one gateway, and --name without a gateway or twice', () => {
    expect(error(['--gateway', 'ws://a:1', '--token-file', '/1', '--token-file', '/2', '--gateway', 'ws://b:2'])).toBe('--token-file is given twice for --gateway ws://a:1');
    expect(error(['--token-file', '/1', '--gateway', 'ws://a:1', '--token-file', '/2'])).toBe('--token-file is given twice');
    expect(error(['--name', 'x', '--gateway', 'ws://a:1'])).toBe('--name names the --gateway before it; put it after that --gateway');
    expect(error(['--gateway', 'ws://a:1', '--name', 'x', '--name', 'y'])).toBe('--gateway ws://a:1 has two --name options');
  });

  it('hides query values of a URL in its errors', () => {
    expect(error(['--gateway', 'ws://a:1/?token=secret', '--name', 'x', '--name', 'y'])).toBe('--gateway ws://a:1/?token=*** has two --name options');
  });

  it('checks the interval and unknown options', () => {
    // The bounds are the Settings dialog's (shared/settings/schema.ts), not the CLI's own.
    expect(ok(['--interval', '10']).intervalS).toBe(10);
    expect(ok(['--interval', '3600']).intervalS).toBe(3600);
    for (const bad of ['9', '3601', '12.5', 'soon']) expect(error(['--interval', bad])).toBe('--interval must be a whole number of seconds from 10 to 3600');
    expect(error(['--gatway', 'ws://a:1'])).toMatch(/Unknown option '--gatway'/);
    expect(error(['ws://a:1'])).toMatch(/Unexpected argument 'ws:\/\/a:1'/);
  });
});
