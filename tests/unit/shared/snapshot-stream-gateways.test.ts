/**
 * The snapshot stream with several gateways (issue 14): each gateway's part
 * travels on its own, wrapped with its id, through JSON as a socket carries it;
 * a gateway that didn't change sends nothing and keeps its objects on the
 * window's side.
 */
import { describe, expect, it } from 'vitest';
import { SnapshotDecoder, SnapshotEncoder, type DecodeResult, type SnapshotMessage } from '../../../shared/ipc/snapshot-stream.js';
import { gatewayView, snapshotOf } from '../../helpers/view-snapshot.js';
import { fleet } from '../../helpers/fleet.js';

const wire = (m: SnapshotMessage): SnapshotMessage => JSON.parse(JSON.stringify(m)) as SnapshotMessage;
function deliver(dec: SnapshotDecoder, messages: SnapshotMessage[]): DecodeResult | undefined {
  return messages.map((m) => dec.decode(wire(m))).at(-1);
}
const shown = (r: DecodeResult | undefined) => (r?.kind === 'snapshot' ? r.snapshot : undefined);

const home = (entries = fleet({ entries: 3, ts: 1 }), listVersion = 1) => gatewayView(entries, listVersion, { id: 'home', name: 'Home', gateway: { kind: 'remote', url: 'ws://home' } });
const work = (entries = fleet({ entries: 5, ts: 1 }), listVersion = 1) => gatewayView(entries, listVersion, { id: 'work', name: 'Work', gateway: { kind: 'remote', url: 'ws://work' } });

describe('snapshot stream across gateways', () => {
  it('brings a window from nothing to every gateway, in order', () => {
    const enc = new SnapshotEncoder();
    const dec = new SnapshotDecoder();
    const messages = enc.encode(snapshotOf(home(), work()));
    expect(messages[0]).toMatchObject({ kind: 'gateways', ids: ['home', 'work'] });
    const got = shown(deliver(dec, messages));
    expect(got?.gateways.map((g) => [g.id, g.entries.length])).toEqual([
      ['home', 3],
      ['work', 5],
    ]);
  });

  it('sends a paused (hidden) window nothing, then on resume one catch-up to the newest snapshot', () => {
    const enc = new SnapshotEncoder();
    const dec = new SnapshotDecoder();
    // The core hands out the same view while a gateway is unchanged.
    const quiet = work();
    deliver(dec, enc.encode(snapshotOf(home(), quiet)));
    enc.pause();
    // Three changes while hidden: nothing is sent.
    for (let v = 2; v <= 4; v += 1) expect(enc.encode(snapshotOf(home(fleet({ entries: 3 + v, ts: v }), v), quiet))).toEqual([]);
    const catchUp = enc.resume();
    expect(catchUp.length).toBeGreaterThan(0);
    // Only the gateway that changed, and only its newest list.
    expect(catchUp.every((m) => m.kind === 'gateway' && m.id === 'home')).toBe(true);
    expect(shown(deliver(dec, catchUp))?.gateways.map((g) => [g.id, g.entries.length])).toEqual([
      ['home', 7],
      ['work', 5],
    ]);
    // Resumed: the stream goes on as before; nothing missed means nothing to catch up.
    expect(enc.resume()).toEqual([]);
    expect(shown(deliver(dec, enc.encode(snapshotOf(home(fleet({ entries: 8, ts: 5 }), 5), quiet))))?.gateways[0]!.entries).toHaveLength(8);
  });

  it('a whole snapshot handed to a paused window resumes its stream from it', () => {
    const enc = new SnapshotEncoder();
    enc.encode(snapshotOf(home(), work()));
    enc.pause();
    enc.startFrom(snapshotOf(home(fleet({ entries: 4, ts: 2 }), 2), work()));
    expect(enc.encode(snapshotOf(home(fleet({ entries: 5, ts: 3 }), 3), work()))).not.toEqual([]);
  });

  it('goes on from a whole snapshot the window was handed, sending only what changed after it', () => {
    const enc = new SnapshotEncoder();
    const dec = new SnapshotDecoder();
    enc.encode(snapshotOf(home(), work()));
    // The window read the whole snapshot (its first, or after a resync): both sides start from it.
    const unchanged = work();
    const whole = snapshotOf(home(fleet({ entries: 3, ts: 2 }), 2), unchanged);
    enc.startFrom(whole);
    dec.load(JSON.parse(JSON.stringify(whole)) as typeof whole);
    const beacon = fleet({ entries: 3, ts: 2 }).map((e, i) => (i === 1 ? { ...e, ts: 3 } : e));
    const messages = enc.encode(snapshotOf(home(beacon, 3), unchanged));
    expect(messages).toEqual([{ kind: 'gateway', id: 'home', message: expect.objectContaining({ kind: 'list', changed: { keys: [], entries: [], patched: { keys: ['h-1'], fields: [{ ts: 3 }] } } }) }]);
    expect(shown(deliver(dec, messages))?.gateways.map((g) => g.entries)).toEqual([beacon, fleet({ entries: 5, ts: 1 })]);
  });

  it('asks for the whole snapshot again when a change overtakes the snapshot it was made from', () => {
    const enc = new SnapshotEncoder();
    const dec = new SnapshotDecoder();
    const at = (ts: number, version: number, reason = 'periodic') => snapshotOf(home(fleet({ entries: 3, ts }).map((e) => ({ ...e, reason })), version));
    dec.load(at(1, 1));
    // The page asked for the whole snapshot (version 2, where every reason is 'connect'); a change
    // made after it (version 3, new times only) goes out before the answer arrives.
    enc.startFrom(at(2, 2, 'connect'));
    const early = enc.encode(at(3, 3, 'connect'));
    // Patched onto version 1's entries, it would show 'connect' nowhere and version 3's times.
    expect(early.map((m) => dec.decode(wire(m)).kind)).toEqual(['resync']);
    dec.load(at(2, 2, 'connect'));
    // The resync's own answer: the stream goes on from the newest snapshot, and the page follows it.
    enc.startFrom(at(3, 3, 'connect'));
    dec.load(at(3, 3, 'connect'));
    const next = at(4, 4, 'connect');
    expect(shown(deliver(dec, enc.encode(next)))?.gateways[0]!.entries).toEqual(next.gateways[0]!.entries);
    // A state message for a list this side doesn't have is not shown on the one it has.
    expect(dec.decode(wire({ kind: 'gateway', id: 'home', message: { kind: 'state', snapshot: { ...next.gateways[0]!, listVersion: 9 } } }))).toEqual({ kind: 'resync' });
  });

  it('sends only the gateway that changed, and the other keeps its objects', () => {
    const enc = new SnapshotEncoder();
    const dec = new SnapshotDecoder();
    const first = shown(deliver(dec, enc.encode(snapshotOf(home(), work()))))!;
    const changed = fleet({ entries: 5, ts: 1 }).map((e, i) => (i === 2 ? { ...e, host: 'renamed' } : e));
    const messages = enc.encode(snapshotOf(home(), work(changed, 2)));
    expect(messages.every((m) => m.kind === 'gateway')).toBe(true);
    // Home's part is a bare state message (no list); only work carries an entry, and just the changed one.
    expect(messages.filter((m) => m.kind === 'gateway' && m.message.kind === 'list').map((m) => m.kind === 'gateway' && m.id)).toEqual(['work']);
    const listMessage = messages.find((m) => m.kind === 'gateway' && m.id === 'work');
    expect(listMessage?.kind === 'gateway' && listMessage.message.kind === 'list' && listMessage.message.changed).toEqual({ keys: [], entries: [], patched: { keys: ['h-2'], fields: [{ host: 'renamed' }] } });
    const next = shown(deliver(dec, messages))!;
    expect(next.gateways[0]!.entries).toBe(first.gateways[0]!.entries);
    expect(next.gateways[1]!.entries[2]!.host).toBe('renamed');
    expect(next.gateways[1]!.entries[0]).toBe(first.gateways[1]!.entries[0]);
  });

  it('drops a gateway that left the list and adds one that joined', () => {
    const enc = new SnapshotEncoder();
    const dec = new SnapshotDecoder();
    deliver(dec, enc.encode(snapshotOf(home(), work())));
    const third = gatewayView(fleet({ entries: 1, ts: 1 }), 1, { id: 'lab', name: 'Lab' });
    const got = shown(deliver(dec, enc.encode(snapshotOf(work(), third))));
    expect(got?.gateways.map((g) => g.id)).toEqual(['work', 'lab']);
  });

  it('asks for the whole snapshot when it meets a gateway part it cannot follow', () => {
    const enc = new SnapshotEncoder();
    enc.encode(snapshotOf(home()));
    const later = enc.encode(snapshotOf(home(fleet({ entries: 4, ts: 1 }), 2)));
    expect(deliver(new SnapshotDecoder(), later)).toEqual({ kind: 'resync' });
    // After a resync the window loads the whole snapshot, and the stream goes on from there.
    const dec = new SnapshotDecoder();
    dec.load(snapshotOf(home(fleet({ entries: 4, ts: 1 }), 2)));
    expect(shown(deliver(dec, enc.encode(snapshotOf(home(fleet({ entries: 4, ts: 1 }), 2)))))?.gateways[0]?.entries).toHaveLength(4);
  });

  it('keeps the same gateway ids apart: two gateways listing the same instance keep both rows', () => {
    const enc = new SnapshotEncoder();
    const dec = new SnapshotDecoder();
    const same = fleet({ entries: 2, ts: 1 });
    const got = shown(deliver(dec, enc.encode(snapshotOf(home(same), work(same)))));
    expect(got?.gateways.flatMap((g) => g.entries.map((e) => `${g.id}/${e.instanceId}`))).toEqual(['home/h-0', 'home/h-1', 'work/h-0', 'work/h-1']);
  });
});

describe('a quiet gateway costs nothing', () => {
  it('sends nothing for a gateway whose view is the same object as last time', () => {
    const enc = new SnapshotEncoder();
    const dec = new SnapshotDecoder();
    const quiet = work();
    const first = shown(deliver(dec, enc.encode(snapshotOf(home(), quiet))))!;
    const messages = enc.encode(snapshotOf(home(fleet({ entries: 4, ts: 1 }), 2), quiet));
    expect(messages.map((m) => m.kind === 'gateway' && m.id)).toEqual(['home']);
    const next = shown(deliver(dec, messages))!;
    expect(next.gateways[1]).toBe(first.gateways[1]);
  });
});
