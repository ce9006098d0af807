import { describe, expect, it } from 'vitest';
import { MAX_ENTRIES_PER_MESSAGE, GatewayStreamDecoder, GatewayStreamEncoder, type GatewayDecodeResult as DecodeResult, type GatewayMessage as SnapshotMessage } from '../../../shared/ipc/snapshot-stream.js';
import type { ReceivedEntry } from '../../../shared/client/view-state.js';
import { gatewayView as viewSnapshot } from '../../helpers/view-snapshot.js';
import { seededRandom } from '../../helpers/garbage.js';
import { fleet } from '../../helpers/fleet.js';

const snap = viewSnapshot;

const wire = (m: SnapshotMessage): SnapshotMessage => JSON.parse(JSON.stringify(m)) as SnapshotMessage;

/** Sends messages through JSON as a socket would; the snapshot the last one gives, if any. */
function deliver(dec: GatewayStreamDecoder, messages: SnapshotMessage[]): DecodeResult[] {
  return messages.map((m) => dec.decode(wire(m)));
}
const shown = (results: DecodeResult[]) => {
  const last = results.at(-1);
  return last?.kind === 'snapshot' ? last.snapshot : undefined;
};


/** An entry after a beacon: a new time and, now and then, a field changed, added or dropped. */
function beaconed(e: ReceivedEntry, random: () => number): ReceivedEntry {
  const r = random();
  if (r < 0.2) return { ...e, ts: e.ts + 1, roles: random() < 0.5 ? ['operator'] : ['operator', 'node'] };
  if (r < 0.35) {
    const { ip: _ip, ...rest } = e;
    return { ...rest, ts: e.ts + 1 };
  }
  if (r < 0.5) return { ...e, ts: e.ts + 1, ip: `10.0.0.${Math.floor(random() * 3)}`, reason: random() < 0.5 ? 'connect' : undefined };
  return { ...e, ts: e.ts + 1 };
}

describe('snapshot stream', () => {
  it('sends the list once, then only what changed, and rebuilds the same snapshots', () => {
    const enc = new GatewayStreamEncoder();
    const dec = new GatewayStreamDecoder();
    const a = snap([{ host: 'a', instanceId: '1', ts: 1, text: '' }, { host: 'b', instanceId: '2', ts: 2, text: '' }], 1);
    const first = enc.encode(a);
    expect(first.map((m) => m.kind)).toEqual(['full']);
    expect(shown(deliver(dec, first))).toEqual(a);

    const stateOnly = enc.encode({ ...a, lastBeacon: { atMs: 5, reason: 'periodic', ok: true } });
    expect(stateOnly.map((m) => m.kind)).toEqual(['state']);
    expect(JSON.stringify(stateOnly)).not.toContain('"entries"');
    expect(shown(deliver(dec, stateOnly))?.entries).toEqual(a.entries);

    const b = snap([{ host: 'b', instanceId: '2', ts: 9, text: 'new' }, { host: 'a', instanceId: '1', ts: 1, text: '' }], 2);
    const patch = enc.encode(b);
    expect(patch).toHaveLength(1);
    expect(patch[0]).toMatchObject({ kind: 'list', order: ['2', '1'] });
    // The entry the window has under '2' gets only the fields that changed.
    expect((patch[0] as { changed: unknown }).changed).toEqual({ keys: [], entries: [], patched: { keys: ['2'], fields: [{ ts: 9, text: 'new' }] } });
    expect(shown(deliver(dec, patch))).toEqual(b);
  });

  it('sends a big change in batches the window parses one at a time, and shows it only when complete', () => {
    const enc = new GatewayStreamEncoder();
    const dec = new GatewayStreamDecoder();
    const n = MAX_ENTRIES_PER_MESSAGE * 4 + 7;
    const first = enc.encode(snap(fleet({ entries: n, ts: 0 }), 1));
    expect(first.map((m) => m.kind)).toEqual(['entries', 'entries', 'entries', 'entries', 'list']);
    expect(first.at(-1)).toMatchObject({ fresh: true });
    for (const m of first) if (m.kind === 'entries') expect(m.keys).toHaveLength(MAX_ENTRIES_PER_MESSAGE);
    const results = deliver(dec, first);
    expect(results.slice(0, -1).every((r) => r.kind === 'pending')).toBe(true);
    expect(shown(results)?.entries).toEqual(fleet({ entries: n, ts: 0 }));

    // The whole fleet reconnects: every entry is new, again in batches.
    const again = enc.encode(snap(fleet({ entries: n, ts: 1000 }), 2));
    expect(again.filter((m) => m.kind === 'entries')).toHaveLength(4);
    const before = shown(results)!.entries;
    const after = shown(deliver(dec, again))!.entries;
    expect(after).toEqual(fleet({ entries: n, ts: 1000 }));
    expect(after.some((e, i) => e === before[i])).toBe(false);

    // One beacon: one entry crosses, and every other entry is the very object the window had.
    const one = fleet({ entries: n, ts: 1000 });
    one[3] = { ...one[3]!, ts: 99_999 };
    const beacon = enc.encode(snap(one, 3));
    expect(beacon).toHaveLength(1);
    expect((beacon[0] as { changed: unknown }).changed).toEqual({ keys: [], entries: [], patched: { keys: ['h-3'], fields: [{ ts: 99_999 }] } });
    // The order did not change: the 2,007 keys are not sent again.
    expect(beacon[0]).not.toHaveProperty('order');
    expect(JSON.stringify(beacon).length).toBeLessThan(1000);
    const next = shown(deliver(dec, beacon))!.entries;
    expect(next).toEqual(one);
    expect(next.filter((e, i) => e !== after[i])).toEqual([one[3]]);
  });

  it('sends an entry the window has as only the fields that changed, and whole when it lost one', () => {
    const enc = new GatewayStreamEncoder();
    const dec = new GatewayStreamDecoder();
    const n = MAX_ENTRIES_PER_MESSAGE + 20;
    const first = enc.encode(snap(fleet({ entries: n, ts: 0 }), 1));
    deliver(dec, first);
    // The fleet reconnects: new times, every host string the same. None of them crosses again.
    const reconnect = fleet({ entries: n, ts: 5000 });
    const again = enc.encode(snap(reconnect, 2));
    expect(again.map((m) => m.kind)).toEqual(['entries', 'list']);
    const parts = again.map((m) => (m.kind === 'list' ? m.changed : m.kind === 'entries' ? m : undefined)!);
    expect(parts.flatMap((p) => p.keys)).toEqual([]);
    expect(parts.flatMap((p) => p.patched?.fields ?? [])).toEqual(reconnect.map((e) => ({ ts: e.ts })));
    expect(JSON.stringify(again)).not.toContain('"host"');
    expect(JSON.stringify(again).length).toBeLessThan(JSON.stringify(first).length / 3);
    const shownAgain = shown(deliver(dec, again))!.entries;
    expect(shownAgain).toEqual(reconnect);

    // Arrays compare by value; an added field goes in the patch; a dropped one sends the entry whole.
    const { ip: _dropped, ...withoutIp } = reconnect[2]!;
    const changed = [{ ...reconnect[0]!, roles: ['node'] }, { ...reconnect[1]!, clientId: 'cli' }, withoutIp, { ...reconnect[3]!, reason: undefined }, ...reconnect.slice(4)];
    const step = enc.encode(snap(changed, 3));
    const arrays = snap([{ ...changed[0]!, roles: ['node'], ts: 7000 }, ...changed.slice(1)], 4);
    expect(step).toEqual([
      expect.objectContaining({
        kind: 'list',
        changed: { keys: ['h-2', 'h-3'], entries: [withoutIp, changed[3]], patched: { keys: ['h-0', 'h-1'], fields: [{ roles: ['node'] }, { clientId: 'cli' }] } },
      }),
    ]);
    expect(shown(deliver(dec, step))!.entries).toEqual(changed.map((e) => JSON.parse(JSON.stringify(e)) as ReceivedEntry));
    // The same roles in a new array are not sent again.
    expect(enc.encode(arrays)).toEqual([expect.objectContaining({ kind: 'list', changed: { keys: [], entries: [], patched: { keys: ['h-0'], fields: [{ ts: 7000 }] } } })]);
  });

  it('asks for a resync on a patch for an entry it does not have, or one it cannot read', () => {
    const first = snap(fleet({ entries: 3, ts: 0 }), 1);
    // Patches without the list they patch (no base), or with a fresh list, are not applied either.
    for (const m of [
      { kind: 'entries', keys: [], entries: [], patched: { keys: ['h-0'], fields: [{ ts: 1 }] } },
      { kind: 'list', snapshot: first, fresh: true, order: ['h-0', 'h-1', 'h-2'], changed: { keys: [], entries: [], patched: { keys: ['h-0'], fields: [{ ts: 1 }] } } },
      { kind: 'list', snapshot: first, base: 0, changed: { keys: [], entries: [], patched: { keys: ['h-0'], fields: [{ ts: 1 }] } } },
      // A change to a list that doesn't say which list it changes.
      { kind: 'list', snapshot: first, changed: { keys: ['h-0'], entries: [first.entries[0]] } },
    ]) {
      const dec = new GatewayStreamDecoder();
      dec.decode({ kind: 'full', snapshot: first });
      expect(dec.decode(m as SnapshotMessage)).toEqual({ kind: 'resync' });
    }
    const patches: unknown[] = [
      { keys: [], entries: [], patched: { keys: ['nobody'], fields: [{ ts: 1 }] } },
      { keys: [], entries: [], patched: { keys: ['h-0'], fields: [] } },
      { keys: [], entries: [], patched: { keys: ['h-0'], fields: [[1]] } },
      { keys: [], entries: [], patched: { keys: ['h-0'], fields: [null] } },
      { keys: [], entries: [], patched: 'h-0' },
    ];
    for (const changed of patches) {
      for (const m of [{ kind: 'list', base: first.listVersion, snapshot: first, changed }, { kind: 'entries', base: first.listVersion, ...(changed as object) }]) {
        const dec = new GatewayStreamDecoder();
        dec.decode({ kind: 'full', snapshot: first });
        expect(dec.decode(m as SnapshotMessage)).toEqual({ kind: 'resync' });
      }
    }
  });

  it('rebuilds random sequences of lists exactly, duplicates, keyless entries and big changes included', () => {
    const random = seededRandom(99);
    const enc = new GatewayStreamEncoder();
    const dec = new GatewayStreamDecoder();
    let version = 1;
    let entries: ReceivedEntry[] = [];
    const kinds = new Set<string>();
    for (let round = 0; round < 300; round += 1) {
      // A new list gets a new version; the same version always means the same list.
      if (random() < 0.25 && entries.length) {
        // A beacon in place: one entry changes, the order stays.
        version += 1;
        const at = Math.floor(random() * entries.length);
        entries = entries.map((e, i) => (i === at ? beaconed(e, random) : e));
      } else if (random() < 0.7) {
        version += 1;
        const size = random() < 0.05 ? MAX_ENTRIES_PER_MESSAGE * 2 + Math.floor(random() * 50) : Math.floor(random() * 30);
        entries = Array.from({ length: size }, () => {
          const id = Math.floor(random() * (size > 100 ? 2000 : 12));
          return random() < 0.2
            ? { text: `legacy ${id}`, ts: Math.floor(random() * 5) }
            : { host: `h${id}`, ...(random() < 0.5 ? { instanceId: `i${id}` } : {}), ts: Math.floor(random() * 5), text: '' };
        });
      }
      const messages = enc.encode(snap(entries, version, { gatewayNowMs: round }));
      for (const m of messages) kinds.add(m.kind === 'list' && !m.order ? 'list without order' : m.kind);
      const out = shown(deliver(dec, messages));
      expect(out?.entries).toEqual(entries);
      expect(out?.gatewayNowMs).toBe(round);
    }
    expect([...kinds].sort()).toEqual(['entries', 'full', 'list', 'list without order', 'state']);
  });

  it('asks for a resync rather than guessing when it has no base list', () => {
    const enc = new GatewayStreamEncoder();
    enc.encode(snap([{ host: 'a', ts: 1, text: '' }], 1));
    const patch = enc.encode(snap([{ host: 'b', ts: 1, text: '' }], 2));
    expect(deliver(new GatewayStreamDecoder(), patch).map((r) => r.kind)).toEqual(['resync']);
    expect(new GatewayStreamDecoder().decode({ kind: 'state', snapshot: { ...snap([], 2) } })).toEqual({ kind: 'resync' });
  });

  it('drops batches whose list never came when the whole snapshot is read again', () => {
    const enc = new GatewayStreamEncoder();
    const dec = new GatewayStreamDecoder();
    const big = enc.encode(snap(fleet({ entries: MAX_ENTRIES_PER_MESSAGE * 2, ts: 0 }), 1));
    // The connection broke after the first batch; the window reads the whole snapshot.
    dec.decode(wire(big[0]!));
    const small = snap([{ host: 'a', instanceId: 'a', ts: 1, text: '' }], 7);
    expect(dec.decode({ kind: 'full', snapshot: small })).toEqual({ kind: 'snapshot', snapshot: small });
    // The core's side goes on from the snapshot it handed out.
    enc.startFrom(small);
    const next = snap([{ host: 'a', instanceId: 'a', ts: 2, text: '' }, { host: 'h-0', instanceId: 'h-0', ts: 3, text: '' }], 8);
    expect(shown(deliver(dec, enc.encode(next)))?.entries).toEqual(next.entries);
  });

  it('asks for a resync on changed entries it cannot read, shows nothing half-done, and follows a fresh list after', () => {
    const enc = new GatewayStreamEncoder();
    const dec = new GatewayStreamDecoder();
    const first = snap(fleet({ entries: 3, ts: 0 }), 1);
    deliver(dec, enc.encode(first));
    const bad: SnapshotMessage[] = [
      { kind: 'entries', keys: ['h-0', 'h-1'], entries: [first.entries[0]!] },
      { kind: 'entries', keys: 'h-0', entries: [] } as unknown as SnapshotMessage,
      { kind: 'list', snapshot: first, changed: { keys: [7], entries: [first.entries[0]] } } as unknown as SnapshotMessage,
      { kind: 'list', snapshot: first } as unknown as SnapshotMessage,
    ];
    for (const m of bad) {
      const d = new GatewayStreamDecoder();
      d.decode({ kind: 'full', snapshot: first });
      expect(d.decode(m)).toEqual({ kind: 'resync' });
      // Lost: a state message can't be shown on a list this side no longer trusts.
      expect(d.decode({ kind: 'state', snapshot: { ...first } })).toEqual({ kind: 'resync' });
    }
    // A fresh stream in batches (a new encoder, as for a window that never read the whole snapshot) is shown whole.
    const fresh = new GatewayStreamEncoder();
    const next = snap(fleet({ entries: MAX_ENTRIES_PER_MESSAGE + 2, ts: 5 }), 2);
    const messages = fresh.encode(next);
    expect(messages.map((m) => m.kind)).toEqual(['entries', 'list']);
    expect(dec.decode(wire(bad[0]!))).toEqual({ kind: 'resync' });
    expect(shown(deliver(dec, messages))?.entries).toEqual(next.entries);
    // And a change to that list after it is applied in place.
    const beacon = snap([{ ...next.entries[0]!, ts: 9 }, ...next.entries.slice(1)], 3);
    expect(shown(deliver(dec, fresh.encode(beacon)))?.entries).toEqual(beacon.entries);
  });

  it('after a resync, ignores a list that only changes the list it had', () => {
    const enc = new GatewayStreamEncoder();
    const dec = new GatewayStreamDecoder();
    const first = snap(fleet({ entries: 3, ts: 0 }), 1);
    deliver(dec, enc.encode(first));
    // The page lost the stream (a part it could not read); a change made before the core heard of it arrives late.
    expect(dec.decode({ kind: 'entries', keys: ['x'], entries: [] })).toEqual({ kind: 'resync' });
    const late = enc.encode(snap([{ ...first.entries[0]!, ts: 4 }, ...first.entries.slice(1)], 2));
    expect(late.map((m) => m.kind)).toEqual(['list']);
    expect(deliver(dec, late).map((r) => r.kind)).toEqual(['resync']);
  });

  it('starts over with a full list when the gateway changes', () => {
    const enc = new GatewayStreamEncoder();
    enc.encode(snap([{ host: 'a', ts: 1, text: '' }], 1));
    expect(enc.encode(snap([{ host: 'a', ts: 1, text: '' }], 1, { gateway: { kind: 'embedded', url: 'ws://other' } })).map((m) => m.kind)).toEqual(['full']);
  });
});
