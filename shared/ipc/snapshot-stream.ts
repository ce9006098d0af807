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
import { listKeys, presenceKeyFor, rememberListKeys } from '../presence/keys.js';
import type { GatewayView, ViewSnapshot } from './contract.js';

type WithoutEntries = Omit<GatewayView, 'entries' | 'known' | 'remembered'>;

/** Side data that changed since the last message; `null`: it is gone from the snapshot. */
export interface SideChanges {
  readonly known?: KnownMachines | null;
  readonly remembered?: readonly RememberedMachine[] | null;
}
/**
 * Changed entries as two arrays of the same length, the keys and the entries: not an
 * object keyed by entry key, whose 500 property names the page's JSON parser would
 * intern and then hash again, making a fleet-wide change's garbage twice as large.
 */
export interface ChangedEntries {
  readonly keys: readonly string[];
  readonly entries: readonly ReceivedEntry[];
  /**
   * Entries the window already has under the same key, sent as only the fields that
   * changed or were added: when a fleet reconnects, every entry gets a new `ts` and
   * `reason` but keeps its host, address, version and ids. The page then parses, and
   * keeps, a new object that shares the strings it had, not ten new strings per entry,
   * so a fleet-wide change leaves a fraction of the garbage (and of the collections).
   * An entry that lost a field goes whole.
   */
  readonly patched?: EntryPatches;
}

/** Patches as two arrays of the same length: the keys, and each entry's changed fields. */
export interface EntryPatches {
  readonly keys: readonly string[];
  readonly fields: readonly EntryFields[];
}
export type EntryFields = Readonly<Record<string, unknown>>;

/**
 * The shells push a window at most this often (shared/events/paced.ts): it draws at most
 * once per frame, so the snapshots of a storm in between would be encoded, sent and decoded
 * for nothing. A push after a quiet spell goes at once.
 */
export const WINDOW_PUSH_INTERVAL_MS = 16;

/** About 120 KB of JSON: a couple of milliseconds to parse, well inside a frame. */
export const MAX_ENTRIES_PER_MESSAGE = 500;

/** One gateway's part of the stream. */
export type GatewayMessage =
  | { readonly kind: 'full'; readonly snapshot: GatewayView }
  | { readonly kind: 'state'; readonly snapshot: WithoutEntries; readonly side?: SideChanges }
  /** Changed entries sent ahead of the `list` message that uses them. */
  | ({ readonly kind: 'entries'; readonly base?: number } & ChangedEntries)
  /**
   * The list as keys in order (absent: the same keys in the same order as the last
   * list, only some entries changed); `fresh` starts from no list rather than the last one.
   * `base`, on every message that changes a list (not fresh), is the `listVersion` of the
   * list it changes: a window that has another (it missed a message, or a change overtook
   * the whole snapshot it asked for) asks for the whole snapshot rather than patch the wrong
   * entries.
   */
  | {
      readonly kind: 'list';
      readonly base?: number;
      readonly snapshot: WithoutEntries;
      readonly order?: readonly string[];
      readonly changed: ChangedEntries;
      readonly fresh?: true;
      readonly side?: SideChanges;
    };

/** What one gateway's message gives the window. */
export type GatewayDecodeResult =
  | { readonly kind: 'snapshot'; readonly snapshot: GatewayView }
  /** Entries held for the `list` message that follows: nothing to show yet. */
  | { readonly kind: 'pending' }
  /** The message refers to a list this side doesn't have: read the whole snapshot again. */
  | { readonly kind: 'resync' };

/** The stream as it crosses the bridge: which gateways there are, and each one's messages. */
export type SnapshotMessage =
  /** The whole snapshot (from `getSnapshot`): the decoder starts again from it. */
  | { readonly kind: 'full'; readonly snapshot: ViewSnapshot }
  | { readonly kind: 'gateways'; readonly ids: readonly string[]; readonly common: Omit<ViewSnapshot, 'gateways'> }
  | { readonly kind: 'gateway'; readonly id: string; readonly message: GatewayMessage };

/** What one message gives the window. */
export type DecodeResult =
  | { readonly kind: 'snapshot'; readonly snapshot: ViewSnapshot }
  /** Entries held for the `list` message that follows: nothing to show yet. */
  | { readonly kind: 'pending' }
  /** The message refers to a list this side doesn't have: read the whole snapshot again. */
  | { readonly kind: 'resync' };

/**
 * On the core's side, per entry object, its key and its JSON, worked out once:
 * entries are immutable, and an entry the gateway didn't change comes back as the
 * same object (PresenceListReader), so a list of 190 where one changed costs one key
 * and one `JSON.stringify`, not 190 (the real gateway sends the whole list on every
 * change). The page's side doesn't cache: there a whole fleet's entries are new at
 * once, and the lookups cost more than they save.
 */
const jsonCache = new WeakMap<ReceivedEntry, string>();
const keyCache = new WeakMap<ReceivedEntry, string | null>();

function cachedKey(entry: ReceivedEntry): string | undefined {
  let key = keyCache.get(entry);
  if (key === undefined) {
    key = presenceKeyFor(entry) ?? null;
    keyCache.set(entry, key);
  }
  return key ?? undefined;
}

/** The encoder's keys: the one row key (`listKeys`), from the cache. */
const encoderKeysOf = (entries: readonly ReceivedEntry[]) => listKeys(entries, cachedKey);

function jsonOf(entry: ReceivedEntry): string {
  let json = jsonCache.get(entry);
  if (json === undefined) {
    json = JSON.stringify(entry);
    jsonCache.set(entry, json);
  }
  return json;
}

const keysOf = listKeys;

function withoutEntries(s: GatewayView): WithoutEntries {
  const { entries: _entries, known: _known, remembered: _remembered, ...rest } = s;
  return rest;
}

/** The snapshot with its side data as the decoder last had it. */
function withSide<T extends object>(s: T, known: KnownMachines | undefined, remembered: readonly RememberedMachine[] | undefined): T & Pick<GatewayView, 'known' | 'remembered'> {
  return { ...s, ...(known ? { known } : {}), ...(remembered ? { remembered } : {}) };
}

export class GatewayStreamEncoder {
  #listVersion?: number;
  #url?: string;
  /** What the window has, per key (compared by identity first, then by JSON). */
  #sent = new Map<string, ReceivedEntry>();
  /** The order the window has. */
  #order?: readonly string[];
  #known?: KnownMachines;
  #remembered?: readonly RememberedMachine[];

  /** Side data that differs from what the window has (and notes it as sent). */
  #side(snapshot: GatewayView): { side?: SideChanges } {
    const side: { known?: KnownMachines | null; remembered?: readonly RememberedMachine[] | null } = {};
    if (snapshot.known !== this.#known) side.known = snapshot.known ?? null;
    if (snapshot.remembered !== this.#remembered) side.remembered = snapshot.remembered ?? null;
    this.#known = snapshot.known;
    this.#remembered = snapshot.remembered;
    return Object.keys(side).length ? { side } : {};
  }

  /** The messages that bring the window up to `snapshot`, to be sent in order. */
  encode(snapshot: GatewayView): GatewayMessage[] {
    const fresh = this.#listVersion === undefined || this.#url !== snapshot.gateway.url;
    if (!fresh && snapshot.listVersion === this.#listVersion) return [{ kind: 'state', snapshot: withoutEntries(snapshot), ...this.#side(snapshot) }];
    const order = encoderKeysOf(snapshot.entries);
    const previous = fresh ? new Map<string, ReceivedEntry>() : this.#sent;
    const base = fresh ? {} : { base: this.#listVersion! };
    /** Each changed entry's key, and the entry whole or the fields of it that changed. */
    const changes: Array<{ key: string; entry?: ReceivedEntry; fields?: EntryFields }> = [];
    const next = new Map<string, ReceivedEntry>();
    snapshot.entries.forEach((entry, i) => {
      const key = order[i]!;
      next.set(key, entry);
      const before = previous.get(key);
      if (before === entry || (before !== undefined && jsonOf(before) === jsonOf(entry))) return;
      const fields = before && changedFields(before, entry);
      changes.push(fields ? { key, fields } : { key, entry });
    });
    this.#sent = next;
    // A beacon that changes an entry in place leaves the order as it was: 10,000 keys the window need not parse again.
    const sameOrder = !fresh && this.#order !== undefined && sameKeys(this.#order, order);
    this.#order = order;
    this.#listVersion = snapshot.listVersion;
    this.#url = snapshot.gateway.url;
    const batch = (start: number, end: number) => changedEntries(changes.slice(start, end));
    if (fresh && changes.length <= MAX_ENTRIES_PER_MESSAGE) {
      this.#known = snapshot.known;
      this.#remembered = snapshot.remembered;
      return [{ kind: 'full', snapshot }];
    }
    const messages: GatewayMessage[] = [];
    // Everything but the last batch goes ahead; the last rides with the list itself.
    let start = 0;
    for (; changes.length - start > MAX_ENTRIES_PER_MESSAGE; start += MAX_ENTRIES_PER_MESSAGE) {
      messages.push({ kind: 'entries', ...base, ...batch(start, start + MAX_ENTRIES_PER_MESSAGE) });
    }
    messages.push({
      kind: 'list',
      ...base,
      snapshot: withoutEntries(snapshot),
      ...(sameOrder ? {} : { order }),
      changed: batch(start, changes.length),
      ...(fresh ? { fresh: true as const } : {}),
      // A fresh list may reach a window that has nothing yet: it gets all side data.
      ...(fresh ? this.#allSide(snapshot) : this.#side(snapshot)),
    });
    return messages;
  }

  /**
   * The window was just handed `view` whole (a `getSnapshot` answer, which it decodes as
   * `full` before any later message): the stream goes on from it, so the next change
   * sends only what differs, not the whole list again.
   */
  startFrom(view: GatewayView): void {
    const order = encoderKeysOf(view.entries);
    this.#sent = new Map(view.entries.map((entry, i) => [order[i]!, entry]));
    this.#order = order;
    this.#listVersion = view.listVersion;
    this.#url = view.gateway.url;
    this.#known = view.known;
    this.#remembered = view.remembered;
  }

  #allSide(snapshot: GatewayView): { side: SideChanges } {
    this.#known = snapshot.known;
    this.#remembered = snapshot.remembered;
    return { side: { known: snapshot.known ?? null, remembered: snapshot.remembered ?? null } };
  }
}

/**
 * The fields of `entry` that differ from `before`'s (compared by value), or undefined when
 * `entry` lacks one of `before`'s fields and must go whole.
 */
function changedFields(before: ReceivedEntry, entry: ReceivedEntry): EntryFields | undefined {
  for (const name in before) if (before[name] !== undefined && entry[name] === undefined) return undefined;
  const fields: Record<string, unknown> = {};
  for (const name in entry) {
    const value = entry[name];
    const was = before[name];
    if (value === was || value === undefined) continue;
    if (typeof value === 'object' && value !== null && typeof was === 'object' && JSON.stringify(value) === JSON.stringify(was)) continue;
    // Spread on the page's side defines fields, so even this name can't reach a prototype; but it is no field of ours.
    if (name === '__proto__') return undefined;
    fields[name] = value;
  }
  return fields;
}

function changedEntries(changes: ReadonlyArray<{ key: string; entry?: ReceivedEntry; fields?: EntryFields }>): ChangedEntries {
  const keys: string[] = [];
  const entries: ReceivedEntry[] = [];
  const patched = { keys: [] as string[], fields: [] as EntryFields[] };
  for (const change of changes) {
    if (change.fields) {
      patched.keys.push(change.key);
      patched.fields.push(change.fields);
    } else {
      keys.push(change.key);
      entries.push(change.entry!);
    }
  }
  return patched.keys.length ? { keys, entries, patched } : { keys, entries };
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

export class GatewayStreamDecoder {
  /** Every entry of `#list` by key, and entries sent ahead of the next list. */
  #entries = new Map<string, ReceivedEntry>();
  /** Whether `#list` is the stream's current list: a list that only changes the last one needs it. */
  #synced = false;
  #list: readonly ReceivedEntry[] = [];
  /** The `listVersion` of `#list`: a change names the list it changes (`base`). */
  #listVersion?: number;
  /** The keys of `#list`, in its order, and (made when first needed) each key's place. */
  #order: readonly string[] = [];
  #indexOf?: Map<string, number>;
  /**
   * Keys of entries from `entries` messages, waiting for their `list`. The entries
   * themselves go into `#entries` at once: that map is only read when a list is
   * applied, and a list that can't be applied drops it.
   */
  #ahead: string[] = [];
  #known?: KnownMachines;
  #remembered?: readonly RememberedMachine[];

  #applySide(side: SideChanges | undefined): void {
    if (!side) return;
    if (side.known !== undefined) this.#known = side.known ?? undefined;
    if (side.remembered !== undefined) this.#remembered = side.remembered ?? undefined;
  }

  decode(message: GatewayMessage): GatewayDecodeResult {
    switch (message.kind) {
      case 'full': {
        const order = keysOf(message.snapshot.entries);
        this.#entries = new Map(message.snapshot.entries.map((e, i) => [order[i]!, e]));
        this.#synced = true;
        this.#list = message.snapshot.entries;
        this.#listVersion = message.snapshot.listVersion;
        this.#order = order;
        this.#indexOf = undefined;
        this.#ahead = [];
        this.#known = message.snapshot.known;
        this.#remembered = message.snapshot.remembered;
        return { kind: 'snapshot', snapshot: message.snapshot };
      }
      case 'state':
        // A state message keeps the list: it must be the one this side has.
        if (!this.#synced || message.snapshot.listVersion !== this.#listVersion) return this.#lost();
        this.#applySide(message.side);
        return { kind: 'snapshot', snapshot: withSide({ ...message.snapshot, entries: this.#list }, this.#known, this.#remembered) };
      case 'entries':
        if (!isChanged(message) || !this.#follows(message.base, message) || !this.#take(message, this.#ahead)) return this.#lost();
        return { kind: 'pending' };
      case 'list':
        return this.#applyList(message);
    }
  }

  /**
   * Whether changes made against list `base` can be applied here. With no base they are for a
   * fresh list, so whole entries only: a patch needs the list it patches.
   */
  #follows(base: number | undefined, changed: ChangedEntries): boolean {
    return base === undefined ? changed.patched === undefined : this.#synced && base === this.#listVersion;
  }

  /**
   * Puts changed entries into `#entries`, a patched one made from the entry there under its
   * key, and notes their keys in `placed`; false when a patch has no entry to start from.
   */
  #take(changed: ChangedEntries, placed: string[]): boolean {
    const entries = this.#entries;
    for (let i = 0; i < changed.keys.length; i += 1) {
      entries.set(changed.keys[i]!, changed.entries[i]!);
      placed.push(changed.keys[i]!);
    }
    const patched = changed.patched;
    if (!patched) return true;
    for (let i = 0; i < patched.keys.length; i += 1) {
      const key = patched.keys[i]!;
      const before = entries.get(key);
      if (!before) return false;
      // Spread defines the fields (no setter runs, not even `__proto__`'s), and keeps the entry's shape.
      entries.set(key, { ...before, ...patched.fields[i]! } as ReceivedEntry);
      placed.push(key);
    }
    return true;
  }

  /**
   * The stream can't be followed from here: forget the batches held for a list and read the
   * whole snapshot again. Entries they left in `#entries` are replaced by the full snapshot, or
   * dropped by the next fresh list's order.
   */
  #lost(): GatewayDecodeResult {
    this.#synced = false;
    this.#ahead = [];
    return { kind: 'resync' };
  }

  #applyList(message: Extract<GatewayMessage, { kind: 'list' }>): GatewayDecodeResult {
    // The keys of every entry this list changes: those sent ahead, then its own.
    const placed = this.#ahead;
    this.#ahead = [];
    const changed = message.changed;
    const entries = this.#entries;
    // A fresh list names every key it keeps (its order always comes with it); `#listInOrder` drops the others.
    // Only a fresh list may come without the version of the list it changes.
    if (!isChanged(changed) || (!message.fresh && message.base === undefined) || !this.#follows(message.base, changed)) return this.#lost();
    // Unchanged entries stay the same objects, so views can reuse what they derived from them.
    if (!this.#take(changed, placed)) return this.#lost();
    const list = message.order ? this.#listInOrder(entries, message.order) : message.fresh ? undefined : this.#listInPlace(entries, placed);
    // A key this side never had.
    if (!list) return this.#lost();
    this.#synced = true;
    this.#list = list;
    this.#listVersion = message.snapshot.listVersion;
    rememberListKeys(list, this.#order);
    this.#applySide(message.side);
    return { kind: 'snapshot', snapshot: withSide({ ...message.snapshot, entries: list }, this.#known, this.#remembered) };
  }

  /** The list in a new order. */
  #listInOrder(entries: Map<string, ReceivedEntry>, order: readonly string[]): ReceivedEntry[] | undefined {
    const list: ReceivedEntry[] = new Array<ReceivedEntry>(order.length);
    for (let i = 0; i < order.length; i += 1) {
      const entry = entries.get(order[i]!);
      if (!entry) return undefined;
      list[i] = entry;
    }
    if (entries.size !== list.length) {
      const keep = new Set(order);
      for (const key of entries.keys()) if (!keep.has(key)) entries.delete(key);
    }
    this.#order = order;
    this.#indexOf = undefined;
    return list;
  }

  /** The last list, in the same order, with the changed entries put in their places. */
  #listInPlace(entries: ReadonlyMap<string, ReceivedEntry>, changed: readonly string[]): ReceivedEntry[] | undefined {
    let indexOf = this.#indexOf;
    if (!indexOf) {
      indexOf = new Map();
      for (let i = 0; i < this.#order.length; i += 1) indexOf.set(this.#order[i]!, i);
      this.#indexOf = indexOf;
    }
    const list = this.#list.slice();
    const place = (key: string) => {
      const at = indexOf.get(key);
      if (at === undefined) return false;
      list[at] = entries.get(key)!;
      return true;
    };
    for (const key of changed) if (!place(key)) return undefined;
    return list;
  }
}

/** The shape `ChangedEntries` promises (the socket checks only a message's outer kind). */
function isChanged(c: unknown): c is ChangedEntries {
  if (typeof c !== 'object' || c === null) return false;
  const { keys, entries, patched } = c as { keys?: unknown; entries?: unknown; patched?: unknown };
  if (!keyedArrays(keys, entries)) return false;
  if (patched === undefined) return true;
  if (typeof patched !== 'object' || patched === null) return false;
  const p = patched as { keys?: unknown; fields?: unknown };
  return keyedArrays(p.keys, p.fields) && p.fields.every((f) => typeof f === 'object' && f !== null && !Array.isArray(f));
}

/** String keys and their values, as two arrays of the same length. */
function keyedArrays(keys: unknown, values: unknown): values is unknown[] {
  return Array.isArray(keys) && Array.isArray(values) && keys.length === values.length && keys.every((k) => typeof k === 'string');
}

/** The same machines, last seen at the same times (a machine seen again has a new `lastSeenAtMs`). */
function sameRemembered(a: NonNullable<GatewayView['remembered']>, b: NonNullable<GatewayView['remembered']>): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.key !== y.key || x.lastSeenAtMs !== y.lastSeenAtMs || x.firstSeenAtMs !== y.firstSeenAtMs || x.entry.ts !== y.entry.ts) return false;
  }
  return true;
}

/**
 * A gateway's view with the parts that didn't change kept as the previous objects, for a
 * whole snapshot read again (a resync, a reconnect of the browser shell's socket): the
 * stream keeps them by itself, and this keeps them across a whole read too, so every
 * selector over them skips its work. The one place list identity is kept.
 */
export function keepUnchanged(previous: GatewayView | undefined, incoming: GatewayView): GatewayView {
  if (!previous) return incoming;
  const sameList = previous.listVersion === incoming.listVersion && previous.gateway.url === incoming.gateway.url;
  const keepKnown = previous.known !== undefined && incoming.known !== undefined && previous.known.readAtMs === incoming.known.readAtMs;
  const keepRemembered = previous.remembered !== undefined && incoming.remembered !== undefined && sameRemembered(previous.remembered, incoming.remembered);
  if (!sameList && !keepKnown && !keepRemembered) return incoming;
  return {
    ...incoming,
    ...(sameList ? { entries: previous.entries, self: previous.self } : {}),
    ...(keepKnown ? { known: previous.known } : {}),
    ...(keepRemembered ? { remembered: previous.remembered } : {}),
  };
}

/** What the window was last sent of the gateway list and the common fields, to send again only when they change. */
function sameCommon(a: Omit<ViewSnapshot, 'gateways'>, b: Omit<ViewSnapshot, 'gateways'>): boolean {
  return a.self.instanceId === b.self.instanceId && a.self.deviceId === b.self.deviceId && JSON.stringify(a.statusThresholds) === JSON.stringify(b.statusThresholds);
}

/** The core's side: one encoder per gateway, and a `gateways` message when the list of gateways changes. */
export class SnapshotEncoder {
  #gateways = new Map<string, { encoder: GatewayStreamEncoder; last?: GatewayView }>();
  #ids?: readonly string[];
  #common?: Omit<ViewSnapshot, 'gateways'>;
  /** Set while the window is hidden: the newest snapshot it was not sent (see `pause`). */
  #paused?: { missed?: ViewSnapshot };

  /**
   * The window is hidden: `encode` sends nothing and keeps only the newest snapshot.
   * A hidden window had decoded every change it would never draw (a busy fleet's
   * 60 a second); now it does nothing until shown.
   */
  pause(): void {
    this.#paused ??= {};
  }

  /** Shown again: the messages that bring the window from what it was last sent to the newest snapshot. */
  resume(): SnapshotMessage[] {
    const missed = this.#paused?.missed;
    this.#paused = undefined;
    return missed ? this.encode(missed) : [];
  }

  encode(snapshot: ViewSnapshot): SnapshotMessage[] {
    if (this.#paused) {
      this.#paused.missed = snapshot;
      return [];
    }
    const { gateways, ...common } = snapshot;
    const ids = gateways.map((g) => g.id);
    const messages: SnapshotMessage[] = [];
    const idsChanged = !this.#ids || this.#ids.length !== ids.length || this.#ids.some((id, i) => id !== ids[i]);
    // coreNowMs changes every time; it goes with every `gateways` message and is otherwise implied by each gateway's clock.
    if (idsChanged || !this.#common || !sameCommon(this.#common, common)) {
      messages.push({ kind: 'gateways', ids, common });
      this.#ids = ids;
      this.#common = common;
      for (const id of this.#gateways.keys()) if (!ids.includes(id)) this.#gateways.delete(id);
    }
    for (const view of gateways) {
      let slot = this.#gateways.get(view.id);
      if (!slot) this.#gateways.set(view.id, (slot = { encoder: new GatewayStreamEncoder() }));
      // The core hands out the same view object while a gateway is unchanged: with fifty
      // gateways, one beacon on one of them sends one gateway's part, not fifty.
      if (slot.last === view) continue;
      slot.last = view;
      for (const message of slot.encoder.encode(view)) messages.push({ kind: 'gateway', id: view.id, message });
    }
    return messages;
  }

  /** The window was just handed `snapshot` whole: each gateway's stream goes on from it. */
  startFrom(snapshot: ViewSnapshot): void {
    this.#paused = undefined;
    this.#gateways.clear();
    const { gateways, ...common } = snapshot;
    this.#ids = gateways.map((g) => g.id);
    this.#common = common;
    for (const view of gateways) {
      const encoder = new GatewayStreamEncoder();
      encoder.startFrom(view);
      this.#gateways.set(view.id, { encoder, last: view });
    }
  }
}

const GATEWAY_MESSAGE_KINDS: ReadonlySet<unknown> = new Set(['full', 'state', 'entries', 'list'] satisfies Array<GatewayMessage['kind']>);

/**
 * The window's side: rebuilds the whole snapshot after each message. Gateways
 * that didn't change keep the same view objects, so the views derived from them
 * (a gateway's machines, its rows) are reused.
 */
export class SnapshotDecoder {
  #gateways = new Map<string, { decoder: GatewayStreamDecoder; view?: GatewayView }>();
  #ids?: readonly string[];
  #common?: Omit<ViewSnapshot, 'gateways'>;

  /** Starts from a whole snapshot (from `getSnapshot`), keeping what didn't change as the objects the page has. */
  load(snapshot: ViewSnapshot): ViewSnapshot {
    const previous = new Map([...this.#gateways].map(([id, slot]) => [id, slot.view]));
    this.reset();
    const { gateways, ...common } = snapshot;
    this.#common = common;
    this.#ids = gateways.map((g) => g.id);
    const views = gateways.map((incoming) => {
      const view = keepUnchanged(previous.get(incoming.id), incoming);
      const decoder = new GatewayStreamDecoder();
      decoder.decode({ kind: 'full', snapshot: view });
      this.#gateways.set(view.id, { decoder, view });
      return view;
    });
    return { ...common, gateways: views };
  }

  reset(): void {
    this.#gateways.clear();
    this.#ids = undefined;
    this.#common = undefined;
  }

  decode(message: SnapshotMessage): DecodeResult {
    if (message.kind === 'full') return { kind: 'snapshot', snapshot: this.load(message.snapshot) };
    if (message.kind === 'gateways') {
      const before = this.#ids;
      const sameAsBefore = before !== undefined && this.#common !== undefined && sameCommon(this.#common, message.common) && before.length === message.ids.length && before.every((id, i) => id === message.ids[i]);
      this.#ids = message.ids;
      this.#common = message.common;
      for (const id of this.#gateways.keys()) if (!message.ids.includes(id)) this.#gateways.delete(id);
      // Nothing new to show until a gateway's own part arrives (unless one left, or the common fields changed).
      return sameAsBefore ? { kind: 'pending' } : this.#current();
    }
    // The socket checks only the outer kind: an inner part this side can't read means start again from the whole snapshot.
    if (!GATEWAY_MESSAGE_KINDS.has((message.message as { kind?: unknown } | null)?.kind)) return { kind: 'resync' };
    let slot = this.#gateways.get(message.id);
    if (!slot) this.#gateways.set(message.id, (slot = { decoder: new GatewayStreamDecoder() }));
    const result = slot.decoder.decode(message.message);
    if (result.kind === 'resync') return result;
    if (result.kind === 'pending') return result;
    slot.view = result.snapshot;
    return this.#current();
  }

  #current(): DecodeResult {
    if (!this.#ids || !this.#common) return { kind: 'resync' };
    const gateways: GatewayView[] = [];
    for (const id of this.#ids) {
      const view = this.#gateways.get(id)?.view;
      // A gateway announced whose first view hasn't come yet: wait for it rather than show the list without it.
      if (!view) return { kind: 'pending' };
      gateways.push(view);
    }
    return { kind: 'snapshot', snapshot: { ...this.#common, gateways } };
  }
}
