/**
 * Pushing snapshots to a window without resending the whole list each time.
 *
 * The gateway sends its whole list on every change; with a fleet-sized list,
 * copying all of it to the window again (JSON or structured clone, then parsing)
 * costs more than a frame. The encoder sends the list once, then only the order
 * of keys and the entries that changed; a push that didn't change the list (a
 * connection state, a beacon report) carries no list at all.
 *
 * When many entries change at once (a first list, a fleet that reconnected), the
 * changed entries go ahead in batches of `MAX_ENTRIES_PER_MESSAGE`, each its own
 * message, so the window parses them in separate tasks and keeps drawing frames
 * in between; the `list` message that follows applies them all at once, so the
 * view never shows half an update. The decoder, on the window's side, rebuilds
 * the full snapshot, so the rest of the renderer sees plain snapshots.
 *
 * `known` (node.list, system.info) and `remembered` (machines from history, up
 * to thousands) change far less often than the connection state or the list:
 * they go only when they changed (by identity: the core hands out the same
 * object until it changes), in `side`, and the decoder keeps the last ones.
 */
import type { KnownMachines, ReceivedEntry, RememberedMachine } from '../client/view-state.js';
import { presenceKeyFor, uniqueKeys } from '../presence/keys.js';
import type { ViewSnapshot } from './contract.js';

type WithoutEntries = Omit<ViewSnapshot, 'entries' | 'known' | 'remembered'>;

/** Side data that changed since the last message; `null`: it is gone from the snapshot. */
export interface SideChanges {
  readonly known?: KnownMachines | null;
  readonly remembered?: readonly RememberedMachine[] | null;
}
type EntriesByKey = Readonly<Record<string, ReceivedEntry>>;

/** About 120 KB of JSON: a couple of milliseconds to parse, well inside a frame. */
export const MAX_ENTRIES_PER_MESSAGE = 500;

export type SnapshotMessage =
  | { readonly kind: 'full'; readonly snapshot: ViewSnapshot }
  | { readonly kind: 'state'; readonly snapshot: WithoutEntries; readonly side?: SideChanges }
  /** Changed entries sent ahead of the `list` message that uses them. */
  | { readonly kind: 'entries'; readonly entries: EntriesByKey }
  /** The list as keys in order; `fresh` starts from no list rather than the last one. */
  | {
      readonly kind: 'list';
      readonly snapshot: WithoutEntries;
      readonly order: readonly string[];
      readonly changed: EntriesByKey;
      readonly fresh?: true;
      readonly side?: SideChanges;
    };

/** What one message gives the window. */
export type DecodeResult =
  | { readonly kind: 'snapshot'; readonly snapshot: ViewSnapshot }
  /** Entries held for the `list` message that follows: nothing to show yet. */
  | { readonly kind: 'pending' }
  /** The message refers to a list this side doesn't have: read the whole snapshot again. */
  | { readonly kind: 'resync' };

/**
 * Per entry object, its presence key and its JSON, worked out once: entries are
 * immutable, and an entry the gateway didn't change comes back as the same
 * object (PresenceListReader), so a list of 190 where one changed costs one key
 * and one `JSON.stringify`, not 190 (the real gateway sends the whole list on
 * every change). `null`: the entry has no presence key.
 */
const keyCache = new WeakMap<ReceivedEntry, string | null>();
const jsonCache = new WeakMap<ReceivedEntry, string>();

function cachedKey(entry: ReceivedEntry): string | null {
  let key = keyCache.get(entry);
  if (key === undefined) {
    key = presenceKeyFor(entry) ?? null;
    keyCache.set(entry, key);
  }
  return key;
}

function jsonOf(entry: ReceivedEntry): string {
  let json = jsonCache.get(entry);
  if (json === undefined) {
    json = JSON.stringify(entry);
    jsonCache.set(entry, json);
  }
  return json;
}

/** Keys unique within one list: the presence key, numbered when it repeats. */
function keysOf(entries: readonly ReceivedEntry[]): string[] {
  return uniqueKeys(entries, (e, i) => cachedKey(e) ?? `#${i}`);
}

function withoutEntries(s: ViewSnapshot): WithoutEntries {
  const { entries: _entries, known: _known, remembered: _remembered, ...rest } = s;
  return rest;
}

/** The snapshot with its side data as the decoder last had it. */
function withSide<T extends object>(s: T, known: KnownMachines | undefined, remembered: readonly RememberedMachine[] | undefined): T & Pick<ViewSnapshot, 'known' | 'remembered'> {
  return { ...s, ...(known ? { known } : {}), ...(remembered ? { remembered } : {}) };
}

export class SnapshotEncoder {
  #listVersion?: number;
  #url?: string;
  /** What the window has, per key (compared by identity first, then by JSON). */
  #sent = new Map<string, ReceivedEntry>();
  #known?: KnownMachines;
  #remembered?: readonly RememberedMachine[];

  /** Side data that differs from what the window has (and notes it as sent). */
  #side(snapshot: ViewSnapshot): { side?: SideChanges } {
    const side: { known?: KnownMachines | null; remembered?: readonly RememberedMachine[] | null } = {};
    if (snapshot.known !== this.#known) side.known = snapshot.known ?? null;
    if (snapshot.remembered !== this.#remembered) side.remembered = snapshot.remembered ?? null;
    this.#known = snapshot.known;
    this.#remembered = snapshot.remembered;
    return Object.keys(side).length ? { side } : {};
  }

  /** The messages that bring the window up to `snapshot`, to be sent in order. */
  encode(snapshot: ViewSnapshot): SnapshotMessage[] {
    const fresh = this.#listVersion === undefined || this.#url !== snapshot.gateway.url;
    if (!fresh && snapshot.listVersion === this.#listVersion) return [{ kind: 'state', snapshot: withoutEntries(snapshot), ...this.#side(snapshot) }];
    const order = keysOf(snapshot.entries);
    const previous = fresh ? new Map<string, ReceivedEntry>() : this.#sent;
    const changed: Array<[string, ReceivedEntry]> = [];
    const next = new Map<string, ReceivedEntry>();
    snapshot.entries.forEach((entry, i) => {
      const key = order[i]!;
      next.set(key, entry);
      const before = previous.get(key);
      if (before !== entry && (before === undefined || jsonOf(before) !== jsonOf(entry))) changed.push([key, entry]);
    });
    this.#sent = next;
    this.#listVersion = snapshot.listVersion;
    this.#url = snapshot.gateway.url;
    if (fresh && changed.length <= MAX_ENTRIES_PER_MESSAGE) {
      this.#known = snapshot.known;
      this.#remembered = snapshot.remembered;
      return [{ kind: 'full', snapshot }];
    }
    const messages: SnapshotMessage[] = [];
    // Everything but the last batch goes ahead; the last rides with the list itself.
    let start = 0;
    for (; changed.length - start > MAX_ENTRIES_PER_MESSAGE; start += MAX_ENTRIES_PER_MESSAGE) {
      messages.push({ kind: 'entries', entries: Object.fromEntries(changed.slice(start, start + MAX_ENTRIES_PER_MESSAGE)) });
    }
    messages.push({
      kind: 'list',
      snapshot: withoutEntries(snapshot),
      order,
      changed: Object.fromEntries(changed.slice(start)),
      ...(fresh ? { fresh: true as const } : {}),
      // A fresh list may reach a window that has nothing yet: it gets all side data.
      ...(fresh ? this.#allSide(snapshot) : this.#side(snapshot)),
    });
    return messages;
  }

  /** The window re-read the whole snapshot: the next push starts from a full list again. */
  reset(): void {
    this.#listVersion = undefined;
    this.#sent = new Map();
    this.#known = undefined;
    this.#remembered = undefined;
  }

  #allSide(snapshot: ViewSnapshot): { side: SideChanges } {
    this.#known = snapshot.known;
    this.#remembered = snapshot.remembered;
    return { side: { known: snapshot.known ?? null, remembered: snapshot.remembered ?? null } };
  }
}

export class SnapshotDecoder {
  #entries?: Map<string, ReceivedEntry>;
  #list: readonly ReceivedEntry[] = [];
  /** Entries from `entries` messages, waiting for their `list`. */
  #ahead = new Map<string, ReceivedEntry>();
  #known?: KnownMachines;
  #remembered?: readonly RememberedMachine[];

  #applySide(side: SideChanges | undefined): void {
    if (!side) return;
    if (side.known !== undefined) this.#known = side.known ?? undefined;
    if (side.remembered !== undefined) this.#remembered = side.remembered ?? undefined;
  }

  decode(message: SnapshotMessage): DecodeResult {
    switch (message.kind) {
      case 'full': {
        const order = keysOf(message.snapshot.entries);
        this.#entries = new Map(message.snapshot.entries.map((e, i) => [order[i]!, e]));
        this.#list = message.snapshot.entries;
        this.#ahead.clear();
        this.#known = message.snapshot.known;
        this.#remembered = message.snapshot.remembered;
        return { kind: 'snapshot', snapshot: message.snapshot };
      }
      case 'state':
        if (!this.#entries) return { kind: 'resync' };
        this.#applySide(message.side);
        return { kind: 'snapshot', snapshot: withSide({ ...message.snapshot, entries: this.#list }, this.#known, this.#remembered) };
      case 'entries':
        for (const key in message.entries) this.#ahead.set(key, message.entries[key]!);
        return { kind: 'pending' };
      case 'list':
        return this.#applyList(message);
    }
  }

  #applyList(message: Extract<SnapshotMessage, { kind: 'list' }>): DecodeResult {
    const ahead = this.#ahead;
    this.#ahead = new Map();
    const entries = message.fresh ? new Map<string, ReceivedEntry>() : this.#entries;
    if (!entries) return { kind: 'resync' };
    // Unchanged entries stay the same objects, so views can reuse what they derived from them.
    for (const [key, entry] of ahead) entries.set(key, entry);
    for (const key in message.changed) entries.set(key, message.changed[key]!);
    const list: ReceivedEntry[] = new Array<ReceivedEntry>(message.order.length);
    for (let i = 0; i < message.order.length; i += 1) {
      const entry = entries.get(message.order[i]!);
      if (!entry) {
        // A key this side never had: the stream can't be followed from here.
        this.#entries = undefined;
        return { kind: 'resync' };
      }
      list[i] = entry;
    }
    if (entries.size !== list.length) {
      const keep = new Set(message.order);
      for (const key of entries.keys()) if (!keep.has(key)) entries.delete(key);
    }
    this.#entries = entries;
    this.#list = list;
    this.#applySide(message.side);
    return { kind: 'snapshot', snapshot: withSide({ ...message.snapshot, entries: list }, this.#known, this.#remembered) };
  }
}
