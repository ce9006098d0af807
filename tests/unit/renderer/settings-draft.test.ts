/** The Settings dialog's draft rules, pure: order, removal and undo, what happens to a saved secret, what is checked before sending. */
import { describe, expect, it } from 'vitest';
import {
  addGateway,
  draftFromSettings,
  moveGateway,
  removeGateway,
  secretFate,
  toUpdate,
  undoRemove,
  updateGateway,
  validateDraft,
  type RemoteDraft,
  type SettingsDraft,
} from '../../../renderer/components/settings/draft.js';
import type { PublicGateway, PublicSettings } from '../../../shared/settings/schema.js';
import { BEACON_INTERVAL_SECONDS, GATEWAY_COLOURS } from '../../../shared/settings/schema.js';

const base = { authKind: 'token', beacon: true, hasSecret: false, source: 'settings', editable: true } as const;
const G: Record<string, PublicGateway> = {
  builtin: { ...base, id: 'builtin', kind: 'builtin', name: 'Built-in', url: '', colour: GATEWAY_COLOURS[0], run: 'auto', source: 'builtin' },
  a: { ...base, id: 'a', kind: 'remote', name: 'a', url: 'ws://a:1', colour: GATEWAY_COLOURS[1], hasSecret: true },
  b: { ...base, id: 'b', kind: 'remote', name: 'b', url: 'ws://b:1', colour: GATEWAY_COLOURS[2] },
  env: { ...base, id: 'env', kind: 'remote', name: 'env', url: 'ws://e:1', colour: GATEWAY_COLOURS[3], source: 'environment', editable: false },
};
const SETTINGS: PublicSettings = { gateways: [G.builtin!, G.a!, G.b!, G.env!], secretStorage: 'file', beaconIntervalSeconds: 60, shareActivity: true };
const keys = (d: SettingsDraft) => d.gateways.map((g) => g.key);
const remote = (d: SettingsDraft, key: string) => d.gateways.find((g) => g.key === key) as RemoteDraft;
const edit = (d: SettingsDraft, key: string, patch: Partial<RemoteDraft>) => updateGateway(d, key, (g) => ({ ...g, ...patch }) as RemoteDraft);

describe('the settings draft', () => {
  it('splits saved gateways (in order) from read-only ones, and sends only the saved ones', () => {
    const d = draftFromSettings(SETTINGS);
    expect(keys(d)).toEqual(['builtin', 'a', 'b']);
    expect(d.readOnly.map((g) => g.id)).toEqual(['env']);
    expect(toUpdate(d).gateways!.map((g) => (g.kind === 'remote' ? g.id : 'builtin'))).toEqual(['builtin', 'a', 'b']);
  });

  it('moves within the list, and a move past either end changes nothing', () => {
    const d = draftFromSettings(SETTINGS);
    expect(keys(moveGateway(d, 'b', -1))).toEqual(['builtin', 'b', 'a']);
    expect(moveGateway(d, 'builtin', -1)).toBe(d);
    expect(moveGateway(d, 'b', 1)).toBe(d);
  });

  it('removes a saved gateway with Undo back to where it was; one added in the dialog just goes; the built-in one stays', () => {
    const d = draftFromSettings(SETTINGS);
    const removed = removeGateway(d, 'a');
    expect(keys(removed)).toEqual(['builtin', 'b']);
    expect(keys(undoRemove(removed, 'a'))).toEqual(['builtin', 'a', 'b']);
    expect(removeGateway(d, 'builtin')).toBe(d);
    const { draft: added, key } = addGateway(d);
    expect(removeGateway(added, key).removed).toEqual([]);
  });

  it('gives each added gateway its own key and the next free colour', () => {
    const first = addGateway(draftFromSettings(SETTINGS));
    const second = addGateway(first.draft);
    expect(first.key).not.toBe(second.key);
    expect(remote(first.draft, first.key).colour).toBe(GATEWAY_COLOURS[4]);
    expect(remote(second.draft, second.key).colour).toBe(GATEWAY_COLOURS[5]);
  });

  it.each([
    ['nothing changed', {}, 'kept', undefined],
    ['a new secret typed', { secret: 's3' }, 'new', 's3'],
    ['Forget pressed', { forgetSecret: true }, 'forget', null],
    ['a new URL', { url: 'ws://elsewhere:1' }, 'forget-url', undefined],
    ['a new sign-in kind', { authKind: 'password' as const }, 'forget-auth', undefined],
    ['a new URL and a new secret', { url: 'ws://elsewhere:1', secret: 's3' }, 'new', 's3'],
  ])('a saved secret with %s: %s, sending secret %s', (_what, patch, fate, sent) => {
    const d = edit(draftFromSettings(SETTINGS), 'a', patch);
    expect(secretFate(remote(d, 'a'))).toBe(fate);
    const update = toUpdate(d).gateways![1]!;
    if (sent === undefined) expect(update).not.toHaveProperty('secret');
    else expect(update).toHaveProperty('secret', sent);
  });

  it('with no saved secret there is nothing to forget', () => {
    expect(secretFate(remote(edit(draftFromSettings(SETTINGS), 'b', { url: 'ws://new:1' }), 'b'))).toBe('none');
  });

  it('checks the interval against the schema bounds, an empty URL, and one gateway listed twice', () => {
    const d = draftFromSettings(SETTINGS);
    expect(validateDraft(d)).toEqual({ url: {} });
    for (const bad of [String(BEACON_INTERVAL_SECONDS.min - 1), String(BEACON_INTERVAL_SECONDS.max + 1), '', '12.5', 'abc']) {
      expect(validateDraft({ ...d, intervalText: bad }).interval, bad).toContain(`${BEACON_INTERVAL_SECONDS.min} to ${BEACON_INTERVAL_SECONDS.max}`);
    }
    expect(validateDraft({ ...d, intervalText: String(BEACON_INTERVAL_SECONDS.max) }).interval).toBeUndefined();
    const { draft: added, key } = addGateway(d);
    expect(validateDraft(added).url[key]).toMatch(/^Enter the gateway's URL/);
    expect(validateDraft(edit(added, key, { url: ' WS://A:1/ ' })).url[key]).toBe('This gateway is already in the list, as a.');
    // The same URL as a read-only gateway is allowed: a saved gateway replaces it.
    expect(validateDraft(edit(added, key, { url: 'ws://e:1' })).url).toEqual({});
  });
});
