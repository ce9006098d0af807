import { describe, expect, it } from 'vitest';
import { buildBeacon } from '../../../../main/client/beacon.js';
import { parseLegacyText } from '../../../../shared/presence/legacy-text.js';

const HOST = { host: 'box', ip: '10.0.0.2', platform: 'linux 6.1.0', deviceFamily: 'Linux', modelIdentifier: 'x86_64' };

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
