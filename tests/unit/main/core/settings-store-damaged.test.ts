/**
 * A damaged settings file is treated like a damaged identity: moved aside
 * (`settings.json.damaged-<time>`, kept for a look) with one log line, and the
 * defaults used; never silently reset.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, SettingsStore } from '../../../../main/core/settings-store.js';
import { tempDir } from '../../../helpers/temp-dirs.js';

describe('settings store, damaged file', () => {
  it('moves a settings file that is not JSON aside, logs one line, and reads the defaults', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'settings.json'), '{"gatewayUrl": "ws://127.0.0.1:1", oops', { mode: 0o600 });
    const logs: string[] = [];
    const store = new SettingsStore(dir, (l) => logs.push(l));
    expect(store.read()).toEqual(DEFAULT_SETTINGS);
    const aside = readdirSync(dir).filter((f) => /^settings\.json\.damaged-\d+$/.test(f));
    expect(aside).toHaveLength(1);
    expect(readFileSync(path.join(dir, aside[0]!), 'utf8')).toContain('oops');
    expect(logs).toEqual([expect.stringMatching(new RegExp(`^settings\\.json was unreadable \\(not JSON: .+\\); moved to .+${aside[0]} and started afresh$`))]);
    // Moved, not copied: the next read finds no file, says nothing, and moves nothing more.
    expect(store.read()).toEqual(DEFAULT_SETTINGS);
    expect(logs).toHaveLength(1);
    expect(readdirSync(dir)).toEqual(aside);
  });

  it('moves aside a settings file whose values are out of bounds, naming the field', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ beaconIntervalSeconds: 1 }), { mode: 0o600 });
    const logs: string[] = [];
    expect(new SettingsStore(dir, (l) => logs.push(l)).read()).toEqual(DEFAULT_SETTINGS);
    expect(readdirSync(dir).filter((f) => f.startsWith('settings.json.damaged-'))).toHaveLength(1);
    expect(logs).toEqual([expect.stringContaining('settings.json was unreadable (beaconIntervalSeconds: ')]);
  });

  it('reads a version-1 file (one URL) as the one saved gateway, and a version-2 file with a bad gateway as damaged', () => {
    const dir = tempDir();
    const logs: string[] = [];
    writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ gatewayUrl: 'ws://10.0.0.5:18789', authKind: 'password', beaconIntervalSeconds: 45 }), { mode: 0o600 });
    const store = new SettingsStore(dir, (l) => logs.push(l));
    expect(store.read()).toMatchObject({
      version: 2,
      gateways: [{ kind: 'builtin', run: 'auto' }, { kind: 'remote', url: 'ws://10.0.0.5:18789', authKind: 'password', name: '10.0.0.5:18789' }],
      beaconIntervalSeconds: 45,
    });
    expect(logs).toEqual([]);
    // A current file is never read as a legacy one: a bad gateway in it is damage, not "no settings".
    writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ version: 2, gateways: [{ kind: 'remote', id: 'BAD ID', url: 'x' }] }), { mode: 0o600 });
    expect(store.read()).toEqual(DEFAULT_SETTINGS);
    expect(readdirSync(dir).filter((f) => f.startsWith('settings.json.damaged-'))).toHaveLength(1);
  });

  it('reads a good file as written, and logs nothing', () => {
    const dir = tempDir();
    const logs: string[] = [];
    const store = new SettingsStore(dir, (l) => logs.push(l));
    const home = { kind: 'remote' as const, id: 'gw-home', name: 'home', url: 'ws://127.0.0.1:18789', authKind: 'token' as const, colour: '#d55e00', beacon: true };
    store.write({ ...DEFAULT_SETTINGS, gateways: [...DEFAULT_SETTINGS.gateways, home], beaconIntervalSeconds: 30 });
    expect(store.read()).toMatchObject({ gateways: [{ kind: 'builtin' }, home], beaconIntervalSeconds: 30 });
    expect(readdirSync(dir)).toEqual(['settings.json']);
    expect(logs).toEqual([]);
  });
});
