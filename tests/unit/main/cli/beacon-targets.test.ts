import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GatewayChoice } from '../../../../main/client/gateway-config.js';
import { parseBeaconArgs } from '../../../../main/cli/beacon-args.js';
import { defaultLabel, resolveBeaconTargets, type BeaconTarget } from '../../../../main/cli/beacon-targets.js';
import { tempDir } from '../../../helpers/temp-dirs.js';

function secretFile(secret: string): string {
  const file = path.join(tempDir('claw-targets-'), 'secret');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return file;
}

function resolve(argv: string[], env: NodeJS.ProcessEnv = {}, discovered: GatewayChoice[] = []): { targets?: readonly BeaconTarget[]; error?: string; warnings: string[] } {
  const parsed = parseBeaconArgs(argv);
  if (!parsed.ok) throw new Error(parsed.error);
  const warnings: string[] = [];
  const r = resolveBeaconTargets(parsed.args, { env, discover: () => discovered, warn: (l) => warnings.push(l) });
  return r.ok ? { targets: r.targets, warnings } : { error: r.error, warnings };
}

describe('resolveBeaconTargets with --gateway', () => {
  it('sends each secret only to the gateway it follows', () => {
    const a = secretFile('token-a');
    const c = secretFile('password-c');
    const { targets } = resolve(['--gateway', 'ws://a:1', '--token-file', a, '--gateway', 'ws://b:2', '--gateway', 'ws://c:3', '--password-file', c]);
    expect(targets).toEqual([
      { url: 'ws://a:1', label: 'a:1', token: 'token-a' },
      { url: 'ws://b:2', label: 'b:2' },
      { url: 'ws://c:3', label: 'c:3', password: 'password-c' },
    ]);
  });

  it('uses the environment secret for a single --gateway, as before', () => {
    expect(resolve(['--gateway', 'ws://a:1'], { OPENCLAW_GATEWAY_TOKEN: 'env-t' }).targets).toEqual([{ url: 'ws://a:1', label: 'a:1', token: 'env-t' }]);
    // The file wins over the environment.
    expect(resolve(['--gateway', 'ws://a:1', '--token-file', secretFile('file-t')], { OPENCLAW_GATEWAY_TOKEN: 'env-t' }).targets?.[0]?.token).toBe('file-t');
  });

  it('with several, sends the environment secret only to the gateway OPENCLAW_GATEWAY_URL names', () => {
    const { targets } = resolve(['--gateway', 'ws://a:1', '--gateway', 'ws://b:2/'], { OPENCLAW_GATEWAY_URL: 'ws://b:2', OPENCLAW_GATEWAY_TOKEN: 'env-t' });
    expect(targets).toEqual([
      { url: 'ws://a:1', label: 'a:1' },
      { url: 'ws://b:2', label: 'b:2', token: 'env-t' },
    ]);
  });

  it('refuses an environment secret that several gateways could be meant to get', () => {
    const { error } = resolve(['--gateway', 'ws://a:1', '--gateway', 'ws://b:2'], { OPENCLAW_GATEWAY_TOKEN: 'env-t' });
    expect(error).toBe(
      'OPENCLAW_GATEWAY_TOKEN is set, but 2 gateways are given and OPENCLAW_GATEWAY_URL names none of them, so it is not clear which gateway it is for. ' +
        'Give each gateway its own --token-file (or --password-file) right after its --gateway, or set OPENCLAW_GATEWAY_URL to the gateway the secret belongs to, or unset OPENCLAW_GATEWAY_TOKEN.',
    );
    expect(resolve(['--gateway', 'ws://a:1', '--gateway', 'ws://b:2'], { OPENCLAW_GATEWAY_URL: 'ws://c:3', OPENCLAW_GATEWAY_PASSWORD: 'p' }).error).toMatch(/^OPENCLAW_GATEWAY_PASSWORD is set, but 2 gateways/);
  });

  it('leaves the environment secret unused, without complaint, when every gateway has its own', () => {
    const { targets } = resolve(['--gateway', 'ws://a:1', '--token-file', secretFile('ta'), '--gateway', 'ws://b:2', '--token-file', secretFile('tb')], { OPENCLAW_GATEWAY_TOKEN: 'env-t' });
    expect(targets?.map((t) => t.token)).toEqual(['ta', 'tb']);
  });

  it('refuses a bad or repeated URL, and names the gateway a bad secret file belongs to', () => {
    expect(resolve(['--gateway', 'http://a:1']).error).toBe('--gateway http://a:1: use ws:// or wss://, not http://');
    expect(resolve(['--gateway', 'ws://u:secret@a:1']).error).toBe('--gateway ws://***@a:1: remove the user name and password from the URL (ws://user:secret@host); enter the token or password in its own field instead');
    expect(resolve(['--gateway', 'ws://a:1', '--gateway', 'ws://a:1/']).error).toBe('--gateway ws://a:1 is given twice');
    const missing = path.join(tempDir('claw-targets-'), 'nope');
    expect(resolve(['--gateway', 'ws://a:1', '--gateway', 'ws://b:2', '--token-file', missing]).error).toBe(`--gateway ws://b:2: could not read the token file ${missing}: ENOENT`);
    expect(resolve(['--gateway', 'ws://a:1', '--token', 'x', '--token-file', missing]).error).toBe('give --token or --token-file, not both');
  });

  it('warns about a token on the command line, once per gateway that has one', () => {
    const { targets, warnings } = resolve(['--gateway', 'ws://a:1', '--token', 'ta', '--gateway', 'ws://b:2']);
    expect(targets?.map((t) => t.token)).toEqual(['ta', undefined]);
    expect(warnings).toEqual(['warning: --token is visible to every user of this machine (ps, /proc); use --token-file or OPENCLAW_GATEWAY_TOKEN instead']);
  });

  it('labels gateways by --name or host:port, and refuses two that would look the same', () => {
    expect(resolve(['--gateway', 'wss://gw.example/a', '--gateway', 'wss://gw.example/b', '--name', ' work ']).targets?.map((t) => t.label)).toEqual(['gw.example/a', 'work']);
    expect(resolve(['--gateway', 'ws://a:1/?x=1', '--gateway', 'ws://a:1/?x=2']).error).toBe('two gateways would both be shown as a:1; give each its own --name after its --gateway');
    expect(resolve(['--gateway', 'ws://a:1', '--name', 'x', '--gateway', 'ws://b:1', '--name', 'x']).error).toMatch(/both be shown as x/);
    expect(resolve(['--gateway', 'ws://a:1', '--name', 'evil\x1b[2J']).error).toBe('--name evil\\x1b[2J has control or invisible characters');
    expect(resolve(['--gateway', 'ws://a:1', '--name', '  ']).error).toBe('--name must be 1 to 60 characters');
  });

  it('defaultLabel is host:port, without a default port, with a path', () => {
    expect(defaultLabel('ws://127.0.0.1:18789')).toBe('127.0.0.1:18789');
    expect(defaultLabel('wss://gw.example')).toBe('gw.example');
    expect(defaultLabel('ws://[::1]:9/x/')).toBe('[::1]:9/x/');
  });
});

describe('resolveBeaconTargets without --gateway', () => {
  const env = { url: 'ws://e:1', token: 'env-t', source: 'environment' } as const;
  const config = { url: 'ws://127.0.0.1:18789', token: 'config-t', source: 'openclaw-config' } as const;

  it('uses the environment gateway and the OpenClaw config gateway, each with its own secret', () => {
    expect(resolve([], { OPENCLAW_GATEWAY_URL: 'ws://e:1', OPENCLAW_GATEWAY_TOKEN: 'env-t' }, [env, config]).targets).toEqual([
      { url: 'ws://e:1', label: 'e:1', token: 'env-t' },
      { url: 'ws://127.0.0.1:18789', label: '127.0.0.1:18789', token: 'config-t' },
    ]);
  });

  it('gives a --token-file without --gateway to OPENCLAW_GATEWAY_URL only', () => {
    const file = secretFile('file-t');
    expect(resolve(['--token-file', file], { OPENCLAW_GATEWAY_URL: 'ws://e:1', OPENCLAW_GATEWAY_TOKEN: 'env-t' }, [env, config]).targets?.map((t) => t.token)).toEqual(['file-t', 'config-t']);
    expect(resolve(['--token-file', file], {}, [config]).error).toBe(
      'a --token-file or --password-file without --gateway is for OPENCLAW_GATEWAY_URL, which is not set; the local OpenClaw config gateway uses the token in that config. Add --gateway URL before it.',
    );
  });

  it('says when nothing is found or a found URL is unusable', () => {
    expect(resolve([]).error).toBe('No gateway given and none found (OPENCLAW_GATEWAY_URL, ~/.openclaw/openclaw.json).');
    expect(resolve([], {}, [{ url: 'ws://***@e:1', invalid: 'remove the user name', source: 'environment' }]).error).toBe('OPENCLAW_GATEWAY_URL (ws://***@e:1): remove the user name');
  });
});
