import { describe, expect, it } from 'vitest';
import { SnapshotDecoder, SnapshotEncoder, type SnapshotMessage } from '../../../shared/ipc/snapshot-stream.js';
import type { ViewSnapshot } from '../../../shared/ipc/contract.js';
import type { ReceivedEntry } from '../../../shared/client/view-state.js';
import { DEFAULT_STATUS_THRESHOLDS } from '../../../shared/presence/status.js';
import { seededRandom } from '../../helpers/garbage.js';

function snap(entries: ReceivedEntry[], listVersion: number, over: Partial<ViewSnapshot> = {}): ViewSnapshot {
  return {
    connection: { kind: 'connected', url: 'ws://g', serverVersion: '1', scopes: [] },
    entries,
    listVersion,
    clockOffsetMs: 0,
    self: { instanceId: 'i', deviceId: 'd' },
    gateway: { kind: 'remote', url: 'ws://g' },
    gatewayNowMs: 1,
    statusThresholds: DEFAULT_STATUS_THRESHOLDS,
    ...over,
  };
}

const wire = (m: SnapshotMessage): SnapshotMessage => JSON.parse(JSON.stringify(m)) as SnapshotMessage;

describe('snapshot stream', () => {
  it('sends the list once, then only what changed, and rebuilds the same snapshots', () => {
    const enc = new SnapshotEncoder();
    const dec = new SnapshotDecoder();
    const a = snap([{ host: 'a', instanceId: '1', ts: 1, text: '' }, { host: 'b', instanceId: '2', ts: 2, text: '' }], 1);
    const first = enc.encode(a);
    expect(first.kind).toBe('full');
    expect(dec.decode(wire(first))).toEqual(a);

    const stateOnly = enc.encode({ ...a, lastBeacon: { atMs: 5, reason: 'periodic', ok: true } });
    expect(stateOnly.kind).toBe('state');
    expect(JSON.stringify(stateOnly)).not.toContain('"entries"');
    expect(dec.decode(wire(stateOnly))?.entries).toEqual(a.entries);

    const b = snap([{ host: 'b', instanceId: '2', ts: 9, text: 'new' }, { host: 'a', instanceId: '1', ts: 1, text: '' }], 2);
    const patch = enc.encode(b);
    expect(patch).toMatchObject({ kind: 'list', order: ['2', '1'] });
    expect(Object.keys((patch as { changed: object }).changed)).toEqual(['2']);
    expect(dec.decode(wire(patch))).toEqual(b);
  });

  it('rebuilds random sequences of lists exactly, duplicates and keyless entries included', () => {
    const random = seededRandom(99);
    const enc = new SnapshotEncoder();
    const dec = new SnapshotDecoder();
    let version = 1;
    let entries: ReceivedEntry[] = [];
    const kinds = new Set<string>();
    for (let round = 0; round < 300; round += 1) {
      // A new list gets a new version; the same version always means the same list.
      if (random() < 0.7) {
        version += 1;
        entries = Array.from({ length: Math.floor(random() * 30) }, () => {
          const id = Math.floor(random() * 12);
          return random() < 0.2
            ? { text: `legacy ${id}`, ts: Math.floor(random() * 5) }
            : { host: `h${id}`, ...(random() < 0.5 ? { instanceId: `i${id}` } : {}), ts: Math.floor(random() * 5), text: '' };
        });
      }
      const message = enc.encode(snap(entries, version, { gatewayNowMs: round }));
      kinds.add(message.kind);
      const out = dec.decode(wire(message));
      expect(out?.entries).toEqual(entries);
      expect(out?.gatewayNowMs).toBe(round);
    }
    expect([...kinds].sort()).toEqual(['full', 'list', 'state']);
  });

  it('asks for a resync rather than guessing when it has no base list', () => {
    const enc = new SnapshotEncoder();
    enc.encode(snap([{ host: 'a', ts: 1, text: '' }], 1));
    const patch = enc.encode(snap([{ host: 'b', ts: 1, text: '' }], 2));
    expect(new SnapshotDecoder().decode(wire(patch))).toBeUndefined();
  });

  it('starts over with a full list when the gateway changes', () => {
    const enc = new SnapshotEncoder();
    enc.encode(snap([{ host: 'a', ts: 1, text: '' }], 1));
    expect(enc.encode(snap([{ host: 'a', ts: 1, text: '' }], 1, { gateway: { kind: 'embedded', url: 'ws://other' } })).kind).toBe('full');
  });
});
