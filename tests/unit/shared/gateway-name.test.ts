import { describe, expect, it } from 'vitest';
import { nameForUrl, nameShowsAddress } from '../../../shared/settings/schema.js';

describe("a gateway's name", () => {
  it('made from its URL is the host and port, without credentials', () => {
    expect(nameForUrl('ws://user:pw@192.168.1.5:18789/gw?x=1')).toBe('192.168.1.5:18789');
    expect(nameForUrl('wss://[fe80::1]:443')).toBe('[fe80::1]:443');
    expect(nameForUrl('not a url')).toBe('Gateway');
  });

  it('gives the address away when it is the name made from the URL, or has the host in it, in any letter case', () => {
    expect(nameShowsAddress(nameForUrl('ws://192.168.1.5:18789'), 'ws://192.168.1.5:18789')).toBe(true);
    expect(nameShowsAddress('Office (GW.example.com)', 'wss://gw.example.com/ws')).toBe(true);
    expect(nameShowsAddress(nameForUrl('wss://[fe80::1]:443'), 'wss://[fe80::1]:443')).toBe(true);
    expect(nameShowsAddress('gw', 'ws://token@gw:18789')).toBe(true);
  });

  it('a typed name without the host, a URL without a host, and the built-in gateway (no URL) do not', () => {
    expect(nameShowsAddress('home', 'ws://home.example:18789')).toBe(false);
    expect(nameShowsAddress('Office', 'wss://gw.example.com/ws')).toBe(false);
    expect(nameShowsAddress('Gateway', 'not a url')).toBe(false);
    expect(nameShowsAddress('Built-in', '')).toBe(false);
  });
});
