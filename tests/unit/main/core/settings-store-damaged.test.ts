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

  it('reads a good file as written, and logs nothing', () => {
    const dir = tempDir();
    const logs: string[] = [];
    const store = new SettingsStore(dir, (l) => logs.push(l));
    store.write({ ...DEFAULT_SETTINGS, gatewayUrl: 'ws://127.0.0.1:18789', beaconIntervalSeconds: 30 });
    expect(store.read()).toMatchObject({ gatewayUrl: 'ws://127.0.0.1:18789', beaconIntervalSeconds: 30 });
    expect(readdirSync(dir)).toEqual(['settings.json']);
    expect(logs).toEqual([]);
  });
});
