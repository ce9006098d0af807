import { describe, expect, it } from 'vitest';
import { primaryIPv4 } from '../../../../main/system/host-info.js';

describe('host facts', () => {
  it('prefers en0/eth0 for the primary IPv4 and skips internal addresses', () => {
    const v4 = (address: string, internal = false) => ({ address, family: 'IPv4' as const, internal, netmask: '', mac: '', cidr: null });
    expect(primaryIPv4({ lo: [v4('127.0.0.1', true)], wlan0: [v4('10.0.0.9')], eth0: [v4('192.168.1.4')] })).toBe('192.168.1.4');
    expect(primaryIPv4({ lo: [v4('127.0.0.1', true)], wlan0: [v4('10.0.0.9')] })).toBe('10.0.0.9');
    expect(primaryIPv4({ lo: [v4('127.0.0.1', true)] })).toBeUndefined();
  });
});
