import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveGateway, validateGatewayUrl } from '../../../../main/client/gateway-config.js';
import { tempDir } from '../../../helpers/temp-dirs.js';

describe('gateway choice', () => {
  it('prefers settings, then the environment, then a local OpenClaw config', () => {
    const home = tempDir();
    expect(resolveGateway({ url: 'ws://a:1', token: 't' }, { OPENCLAW_GATEWAY_URL: 'ws://b:2' }, home)).toMatchObject({ url: 'ws://a:1', source: 'settings' });
    expect(resolveGateway({}, { OPENCLAW_GATEWAY_URL: 'ws://b:2', OPENCLAW_GATEWAY_TOKEN: 'env' }, home)).toMatchObject({ url: 'ws://b:2', token: 'env', source: 'environment' });
    expect(resolveGateway({}, {}, home)).toBeUndefined();
    const cfgDir = path.join(home, '.openclaw');
    mkdirSync(cfgDir);
    writeFileSync(path.join(cfgDir, 'openclaw.json'), '{ // json5\n gateway: { port: 19999, auth: { token: "cfg" } }, }');
    expect(resolveGateway({}, {}, home)).toEqual({ url: 'ws://127.0.0.1:19999', token: 'cfg', password: undefined, source: 'openclaw-config' });
  });
  it('validates URLs with a message a person can act on', () => {
    expect(validateGatewayUrl('ws://127.0.0.1:18789')).toEqual({ ok: true, url: 'ws://127.0.0.1:18789' });
    expect(validateGatewayUrl('http://x')).toMatchObject({ ok: false, error: 'use ws:// or wss://, not http://' });
    expect(validateGatewayUrl('nope')).toMatchObject({ ok: false });
  });
});
