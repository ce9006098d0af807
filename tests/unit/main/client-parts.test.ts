import { mkdirSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../../../main/client/backoff.js';
import { buildBeacon } from '../../../main/client/beacon.js';
import { classifyConnectError } from '../../../main/client/connect-errors.js';
import { loadOrCreateIdentity } from '../../../main/client/identity.js';
import { resolveGateway, validateGatewayUrl } from '../../../main/client/gateway-config.js';
import { clientIdFor, connectModeFor } from '../../../main/client/client-profile.js';
import { primaryIPv4 } from '../../../main/system/host-info.js';
import { deviceIdFromPublicKey, signPayload, verifyPayload } from '../../../main/device/ed25519.js';
import { parseLegacyText } from '../../../shared/presence/legacy-text.js';
import { tempDir } from '../../helpers/test-client.js';

const HOST = { host: 'box', ip: '10.0.0.2', platform: 'linux 6.1.0', deviceFamily: 'Linux', modelIdentifier: 'x86_64' };

describe('identity', () => {
  it('is created once and read back the same, in a 0600 file', () => {
    const dir = tempDir();
    const a = loadOrCreateIdentity(dir);
    const b = loadOrCreateIdentity(dir);
    expect(b).toEqual(a);
    expect(a.instanceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(deviceIdFromPublicKey(a.publicKey)).toBe(a.deviceId);
    expect(statSync(path.join(dir, 'identity.json')).mode & 0o777).toBe(0o600);
    expect(verifyPayload(a.publicKey, 'hello', signPayload(a.privateKeyPem, 'hello'))).toBe(true);
    expect(verifyPayload(a.publicKey, 'hellO', signPayload(a.privateKeyPem, 'hello'))).toBe(false);
  });

  it('keeps a damaged file aside and makes a new identity', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'identity.json'), '{not json');
    const logs: string[] = [];
    const id = loadOrCreateIdentity(dir, (l) => logs.push(l));
    expect(id.instanceId).toBeTruthy();
    expect(readdirSync(dir).some((f) => f.startsWith('identity.json.damaged-'))).toBe(true);
    expect(logs[0]).toMatch(/unreadable/);
  });
});

describe('beacon', () => {
  const base = { instanceId: 'i-1', deviceId: 'd-1', host: HOST, version: '1.0.0', idleSeconds: 12.7, shareActivity: true, reason: 'periodic' };

  it('carries host, IP, whole idle seconds, version, platform, family, model, mode ui and a Node: text line', () => {
    const b = buildBeacon(base);
    expect(b).toMatchObject({ host: 'box', ip: '10.0.0.2', lastInputSeconds: 12, version: '1.0.0', platform: 'linux 6.1.0', deviceFamily: 'Linux', modelIdentifier: 'x86_64', mode: 'ui', reason: 'periodic', instanceId: 'i-1', deviceId: 'd-1' });
    expect(b.text).toBe('Node: box (10.0.0.2) · app 1.0.0 · last input 12s ago · mode ui · reason periodic');
    expect(parseLegacyText(b.text)).toMatchObject({ host: 'box', lastInputSeconds: 12 });
    expect(b.tags).toBeUndefined();
  });

  it('omits lastInputSeconds when the idle time is unknown, never inventing one', () => {
    const b = buildBeacon({ ...base, idleSeconds: undefined });
    expect(b).not.toHaveProperty('lastInputSeconds');
    expect(b.text).not.toMatch(/last input/);
    expect(buildBeacon({ ...base, idleSeconds: -3 })).not.toHaveProperty('lastInputSeconds');
  });

  it('when activity sharing is off, omits idle time and asks the gateway to forget it', () => {
    const b = buildBeacon({ ...base, shareActivity: false });
    expect(b).not.toHaveProperty('lastInputSeconds');
    expect(b.tags).toEqual(['system-presence-clear-last-input']);
  });
});

describe('backoff', () => {
  it('grows exponentially with jitter and is capped', () => {
    const policy = { baseMs: 500, maxMs: 30_000 };
    expect(backoffDelayMs(1, 0, policy)).toBe(250);
    expect(backoffDelayMs(1, 0.999, policy)).toBeLessThanOrEqual(500);
    expect(backoffDelayMs(3, 0, policy)).toBe(1000);
    expect(backoffDelayMs(20, 0.999, policy)).toBeLessThanOrEqual(30_000);
    expect(backoffDelayMs(20, 0, policy)).toBe(15_000);
  });
});

describe('connect errors', () => {
  it('stop retrying on a bad token or protocol, with what to do', () => {
    expect(classifyConnectError({ message: 'x', detailCode: 'AUTH_TOKEN_MISMATCH' })).toMatchObject({ terminal: true, reason: 'The gateway refused the token.' });
    expect(classifyConnectError({ message: 'x', detailCode: 'PROTOCOL_MISMATCH' }).terminal).toBe(true);
    expect(classifyConnectError({ message: 'closed', closeCode: 1002 }).terminal).toBe(true);
  });
  it('keep retrying, slower, while pairing waits or the gateway rate-limits', () => {
    const pairing = classifyConnectError({ message: 'pairing required', code: 'NOT_PAIRED', detailCode: 'PAIRING_REQUIRED', requestId: 'req-42' });
    expect(pairing).toMatchObject({ terminal: false, retryAfterMs: 15_000 });
    expect(pairing.action).toBe('On the gateway host run: openclaw devices approve req-42. Claw Instances keeps retrying.');
    expect(classifyConnectError({ message: 'pairing required', detailCode: 'PAIRING_REQUIRED' }).action).toMatch(/openclaw devices list, then openclaw devices approve <request id>/);
    expect(classifyConnectError({ message: 'slow down', detailCode: 'AUTH_RATE_LIMITED', retryAfterMs: 5000 })).toMatchObject({ terminal: false, retryAfterMs: 5000 });
    expect(classifyConnectError({ message: 'ECONNREFUSED' }).terminal).toBe(false);
  });
});

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

describe('client profile and host facts', () => {
  it('picks the desktop app ids by platform and backend mode for a one-row presence', () => {
    expect(clientIdFor('beacon-only', 'darwin')).toBe('openclaw-macos');
    expect(clientIdFor('beacon-only', 'linux')).toBe('openclaw-linux');
    expect(clientIdFor('beacon-only', 'win32')).toBe('gateway-client');
    expect(clientIdFor('viewer', 'linux')).toBe('cli');
    expect(connectModeFor('beacon-only')).toBe('backend');
    expect(connectModeFor('connect-row')).toBe('ui');
  });
  it('prefers en0/eth0 for the primary IPv4 and skips internal addresses', () => {
    const v4 = (address: string, internal = false) => ({ address, family: 'IPv4' as const, internal, netmask: '', mac: '', cidr: null });
    expect(primaryIPv4({ lo: [v4('127.0.0.1', true)], wlan0: [v4('10.0.0.9')], eth0: [v4('192.168.1.4')] })).toBe('192.168.1.4');
    expect(primaryIPv4({ lo: [v4('127.0.0.1', true)], wlan0: [v4('10.0.0.9')] })).toBe('10.0.0.9');
    expect(primaryIPv4({ lo: [v4('127.0.0.1', true)] })).toBeUndefined();
  });
});
