/**
 * `known` and `remembered` in the snapshot stream: sent once, then only when
 * they change, through JSON as a socket would carry them, and always present
 * in what the window decodes.
 */
import { describe, expect, it } from 'vitest';
import { GatewayStreamDecoder, GatewayStreamEncoder, type GatewayDecodeResult as DecodeResult, type GatewayMessage as SnapshotMessage } from '../../../shared/ipc/snapshot-stream.js';
import type { KnownMachines, RememberedMachine } from '../../../shared/client/view-state.js';
import { gatewayView as snap } from '../../helpers/view-snapshot.js';
import { fleet } from '../../helpers/fleet.js';

const wire = (m: SnapshotMessage): SnapshotMessage => JSON.parse(JSON.stringify(m)) as SnapshotMessage;
function deliver(dec: GatewayStreamDecoder, messages: SnapshotMessage[]): DecodeResult | undefined {
  return messages.map((m) => dec.decode(wire(m))).at(-1);
}
const shown = (r: DecodeResult | undefined) => (r?.kind === 'snapshot' ? r.snapshot : undefined);

const remembered: RememberedMachine[] = Array.from({ length: 2000 }, (_, i) => ({
  key: `i:m${i}`,
  firstSeenAtMs: 1,
  lastSeenAtMs: 2,
  entry: { host: `m${i}`, instanceId: `m${i}`, ts: 2, text: '' },
}));
const known: KnownMachines = { nodes: [{ nodeId: 'n1', connected: false }], readAtMs: 5 };
const bytes = (ms: SnapshotMessage[]) => ms.reduce((n, m) => n + JSON.stringify(m).length, 0);

describe('side data in the snapshot stream', () => {
  it('sends known and remembered once, not with every state or list message', () => {
    const enc = new GatewayStreamEncoder();
    const dec = new GatewayStreamDecoder();
    const entries = fleet({ entries: 3, ts: 1 });
    const first = shown(deliver(dec, enc.encode(snap(entries, 1, { known, remembered }))));
    expect(first?.remembered).toHaveLength(2000);
    expect(first?.known).toEqual(known);

    // A connection-state push and a list change: neither carries the 2,000 machines again.
    const state = enc.encode(snap(entries, 1, { known, remembered, clockOffsetMs: 3 }));
    expect(state).toEqual([expect.objectContaining({ kind: 'state' })]);
    expect(state[0]).not.toHaveProperty('side');
    const list = enc.encode(snap(fleet({ entries: 4, ts: 1 }), 2, { known, remembered }));
    expect(list[0]).toMatchObject({ kind: 'list' });
    expect(list[0]).not.toHaveProperty('side');
    expect(bytes([...state, ...list])).toBeLessThan(2000);

    const afterState = shown(deliver(dec, state));
    expect(afterState?.remembered).toHaveLength(2000);
    expect(afterState?.clockOffsetMs).toBe(3);
    const afterList = shown(deliver(dec, list));
    expect(afterList?.entries).toHaveLength(4);
    expect(afterList?.known).toEqual(known);
    // The window keeps the same objects while they don't change, so views can skip work.
    expect(afterList?.remembered).toBe(afterState?.remembered);
  });

  it('sends a change when it happens, and a removal as null', () => {
    const enc = new GatewayStreamEncoder();
    const dec = new GatewayStreamDecoder();
    const entries = fleet({ entries: 2, ts: 1 });
    deliver(dec, enc.encode(snap(entries, 1, { known, remembered })));
    const fewer = remembered.slice(1);
    const changed = enc.encode(snap(entries, 1, { known, remembered: fewer }));
    expect(changed[0]).toMatchObject({ kind: 'state', side: { remembered: expect.any(Array) } });
    expect((changed[0] as { side: object }).side).not.toHaveProperty('known');
    expect(shown(deliver(dec, changed))?.remembered).toHaveLength(1999);

    const newKnown: KnownMachines = { note: 'node.list not available on this gateway', readAtMs: 9 };
    const withList = enc.encode(snap(fleet({ entries: 3, ts: 1 }), 2, { known: newKnown, remembered: fewer }));
    expect(withList[0]).toMatchObject({ kind: 'list', side: { known: newKnown } });
    expect(shown(deliver(dec, withList))?.known).toEqual(newKnown);

    const cleared = enc.encode(snap(fleet({ entries: 3, ts: 1 }), 2));
    expect(cleared[0]).toMatchObject({ kind: 'state', side: { known: null, remembered: null } });
    const out = shown(deliver(dec, cleared));
    expect(out).not.toHaveProperty('known');
    expect(out).not.toHaveProperty('remembered');
  });

  it('a fresh start carries the side data again; a start from a whole snapshot does not resend it', () => {
    const first = snap(fleet({ entries: 2, ts: 1 }), 1, { known, remembered });
    const enc = new GatewayStreamEncoder();
    deliver(new GatewayStreamDecoder(), enc.encode(first));
    // The window read the whole snapshot: it has the side data, and a change doesn't carry it.
    enc.startFrom(first);
    const beacon = enc.encode(snap(fleet({ entries: 2, ts: 2 }), 2, { known, remembered }));
    expect(beacon).toHaveLength(1);
    expect(beacon[0]).not.toHaveProperty('side');
    // A window that starts from nothing (a new encoder) gets it with the list.
    const big = fleet({ entries: 1200, ts: 1 });
    const again = new GatewayStreamEncoder().encode(snap(big, 1, { known, remembered }));
    // Batched: the list message that ends the batch brings the side data to a window that has none.
    expect(again.at(-1)).toMatchObject({ kind: 'list', fresh: true, side: { known } });
    const dec = new GatewayStreamDecoder();
    const out = shown(deliver(dec, again));
    expect(out?.entries).toHaveLength(1200);
    expect(out?.remembered).toHaveLength(2000);
    expect(out?.known).toEqual(known);
  });
});
