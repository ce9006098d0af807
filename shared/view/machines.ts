/**
 * Machines, not connections: folds a gateway's presence entries, its known
 * nodes (`node.list`) and the machines remembered in history into one row per
 * machine, and says what each machine's status is at a given moment.
 *
 * Why: a real gateway lists a row per connection (a `ui` client that
 * reconnects leaves a `disconnect` row behind each time), keeps text-only
 * beacons as `{text, ts}`, and forgets a machine 5 minutes after it goes. A
 * user wants to know which machines are up, and since when.
 *
 * The fold rule: entries with the same `deviceId` are one machine; else the same
 * `instanceId` (case-insensitive); else, for entries with neither, the same host
 * name (trimmed, case-insensitive). An entry without a device id joins the device
 * whose entries carry its `instanceId`, unless two devices claim that id (then it
 * stays apart: a claimed id is not proof). Text-only entries are read for the
 * fields they lack.
 *
 * `foldMachines` is clock-independent (run it when the list changes);
 * `machineStatus` and `compareMachines` take the gateway's time.
 */
import type { HostStats, KnownNode, ReceivedEntry, RememberedMachine } from '../client/view-state.js';
import { parseLegacyText } from '../presence/legacy-text.js';
import { normalizePresenceKey, presenceKeyFor } from '../presence/keys.js';
import { statusFromAge, type StatusThresholds } from '../presence/status.js';
import { textOrder } from './text-order.js';
import type { MachineHistory, MachineStatus } from '../client/machine-history.js';

export type { MachineHistory, MachineStatus };

/** Default order of statuses (after the gateway and this device). */
export const MACHINE_STATUS_ORDER: readonly MachineStatus[] = ['active', 'idle', 'stale', 'disconnected', 'offline', 'gone'];

export const MACHINE_STATUS_LABELS: Readonly<Record<MachineStatus, string>> = {
  active: 'Active',
  idle: 'Idle',
  stale: 'Stale',
  disconnected: 'Disconnected',
  offline: 'Offline',
  gone: 'Gone',
};

/** The fields a machine row shows: the freshest entry's, filled from older entries, its text and its node. */
export type MachineFields = Omit<ReceivedEntry, 'text' | 'ts'> & { readonly text?: string };

export interface Machine {
  /** Stable across updates: `d:<deviceId>`, `i:<instanceId>`, `h:<host>`, else `e:<entry key>`. */
  readonly key: string;
  /** Presence entries folded into this machine, newest first (empty for offline and gone machines). */
  readonly entries: readonly ReceivedEntry[];
  readonly fields: MachineFields;
  /** The newest entry's `ts` (gateway clock); undefined when no entry is listed. */
  readonly latestTs?: number;
  /** The newest entry's reason, which decides "Disconnected". */
  readonly latestReason?: string;
  readonly node?: KnownNode;
  readonly remembered?: RememberedMachine;
  readonly hostStats?: HostStats;
  /** This app's own machine: decided by our device id only, never by a claimed instanceId. */
  readonly isSelf: boolean;
  readonly isGateway: boolean;
  /** Set while the gateway waits for `openclaw nodes approve <requestId>`. */
  readonly approval?: { readonly state: string; readonly requestId?: string };
}

// Made when a search first asks, not with every machine: most updates are drawn with no search.
const searchTexts = new WeakMap<Machine, string>();

/** Lower-cased text the filter searches (ids, host, ip, version, mode, platform, model, family, client ids). */
export function machineSearchText(m: Machine): string {
  let text = searchTexts.get(m);
  if (text === undefined) {
    const f = m.fields;
    text = [f.host, f.ip, f.version, f.mode, f.platform, f.modelIdentifier, f.deviceFamily, f.instanceId, f.deviceId, ...m.entries.map((e) => e.clientId)]
      .filter((v): v is string => typeof v === 'string')
      .join('\n')
      .toLowerCase();
    searchTexts.set(m, text);
  }
  return text;
}

export interface FoldInput {
  readonly entries: readonly ReceivedEntry[];
  readonly nodes?: readonly KnownNode[];
  readonly remembered?: readonly RememberedMachine[];
  readonly gatewayHostStats?: HostStats;
  readonly selfDeviceId: string;
  /**
   * The last fold's machines by key: a machine whose entries (the same objects),
   * node, remembered record and host stats did not change is returned as the same
   * object, so a view can skip it (one beacon changes one machine of 2,000).
   */
  readonly previous?: ReadonlyMap<string, Machine>;
  /**
   * The entries each of `previous`'s machines was made from, in list order, by machine
   * key: a machine whose entries are the same objects in the same order is reused
   * without sorting them again. The caller keeps this map between folds and the fold
   * updates it in place: a WeakMap keyed by machine would take 2,000 new weak entries
   * on every fleet-wide change for the collector to trace.
   */
  readonly sources?: Map<string, readonly ReceivedEntry[]>;
  /** The list the last fold was made from: its entries' keys are reused (`readEntryKeys`). */
  readonly previousEntries?: readonly ReceivedEntry[];
}

const FIELD_NAMES = ['host', 'ip', 'version', 'platform', 'deviceFamily', 'modelIdentifier', 'mode', 'lastInputSeconds', 'reason', 'instanceId', 'deviceId'] as const;

// Filled copies per entry object, so an unchanged text-only entry stays the same object
// from one fold to the next (and its machine can be reused). Only text-bearing entries
// that lack fields get here, so the map stays small.
const filledByEntry = new WeakMap<ReceivedEntry, ReceivedEntry>();

/** An entry with the fields its `Node: …` text carries filled in where the entry lacks them. */
export function withTextFields(entry: ReceivedEntry): ReceivedEntry {
  if (!entry.text || (entry.host !== undefined && entry.ip !== undefined && entry.version !== undefined && entry.mode !== undefined)) return entry;
  const cached = filledByEntry.get(entry);
  if (cached) return cached;
  const filled = fillFromText(entry);
  filledByEntry.set(entry, filled);
  return filled;
}

function fillFromText(entry: ReceivedEntry): ReceivedEntry {
  const parsed = parseLegacyText(entry.text);
  let out: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(parsed)) {
    if (v !== undefined && entry[k] === undefined) (out ??= { ...entry })[k] = v;
  }
  return (out as ReceivedEntry | undefined) ?? entry;
}

/** The key a lone entry's machine would have: the fold's key levels in order. */
export function machineKey(entry: Pick<ReceivedEntry, 'deviceId' | 'instanceId' | 'host'> & Partial<ReceivedEntry>): string | undefined {
  const d = normalizePresenceKey(entry.deviceId);
  if (d) return `d:${d}`;
  const i = normalizePresenceKey(entry.instanceId);
  if (i) return `i:${i}`;
  const h = normalizePresenceKey(entry.host);
  return h ? `h:${h}` : undefined;
}

interface Group {
  key: string;
  /** In list order, as the fold met them. */
  entries: ReceivedEntry[];
}

/** What the fold reads of one entry (its text's fields filled in), worked out once per list (`readEntryKeys`). */
interface EntryKeys {
  readonly instanceId: string | undefined;
  /**
   * `d:<deviceId>`, `i:<instanceId>` (only without a device id: the fold uses the first key
   * an entry has), `h:<host>`: the same string objects each fold, so map look-ups don't hash them again.
   */
  readonly deviceKey: string | undefined;
  readonly instanceKey: string | undefined;
  readonly hostKey: string | undefined;
}

function keysOf(entry: ReceivedEntry): EntryKeys {
  const filled = withTextFields(entry);
  const d = normalizePresenceKey(filled.deviceId);
  const i = normalizePresenceKey(filled.instanceId);
  // Only entries with neither id are keyed by host.
  const h = d || i ? undefined : normalizePresenceKey(filled.host);
  // One shape for every entry (no spreads): this runs for every entry of a fleet-wide change.
  return { instanceId: i, deviceKey: d ? `d:${d}` : undefined, instanceKey: i && !d ? `i:${i}` : undefined, hostKey: h ? `h:${h}` : undefined };
}

// Per list, not per entry object: a beacon changes one entry of thousands, and the decoder keeps
// every other entry the same object in the same place, so the keys of the list before are reused by
// position and only the changed entry is trimmed, lower-cased and parsed. One weak key per list: a
// weak key per entry made every collection of a fleet-wide change's 10,000 new entries slower.
const keysByList = new WeakMap<readonly ReceivedEntry[], readonly EntryKeys[]>();

/**
 * Each entry's keys, in list order: worked out once per list (a view can do this in a
 * task of its own before folding 10,000 new entries), reusing `previous`'s (the list
 * before it) for the entries that are the same objects, or new ones with the same ids and host.
 */
export function readEntryKeys(entries: readonly ReceivedEntry[], previous?: readonly ReceivedEntry[]): readonly EntryKeys[] {
  const known = keysByList.get(entries);
  if (known) return known;
  const before = previous ? keysByList.get(previous) : undefined;
  const keys = new Array<EntryKeys>(entries.length);
  // Entries that stayed are where they were, or moved together by one place (an entry that
  // moved to the top shifts those after it), so the search follows the last shift seen.
  // No map of the last list: after a fleet-wide change nothing would be found in it.
  let shift = 0;
  for (let i = 0; i < entries.length; i += 1) {
    const entry = entries[i]!;
    let k: EntryKeys | undefined;
    if (before && previous) {
      let j = i + shift;
      if (previous[j] !== entry) {
        j = previous[i] === entry ? i : previous[i - 1] === entry ? i - 1 : previous[i + 1] === entry ? i + 1 : -1;
        if (j >= 0) shift = j - i;
      }
      if (j >= 0) k = before[j];
      // A new object for the same connection (every entry is new after a fleet-wide change): its
      // keys are the last ones when what they are made of is the same, so no new key strings survive.
      else if (sameKeySource(previous[i + shift], entry)) k = before[i + shift];
    }
    keys[i] = k ?? keysOf(entry);
  }
  keysByList.set(entries, keys);
  return keys;
}

/** Whether two entries give the same keys: both without fields to fill from their text, with the same ids and host. */
function sameKeySource(a: ReceivedEntry | undefined, b: ReceivedEntry): boolean {
  return a !== undefined && a.deviceId === b.deviceId && a.instanceId === b.instanceId && a.host === b.host && withTextFields(a) === a && withTextFields(b) === b;
}

/**
 * Which device's machine each instanceId belongs to (`d:<deviceId>`), from the
 * entries that carry both; a second device claiming it makes it ambiguous (null).
 */
function instanceOwners(keys: readonly EntryKeys[]): Map<string, string | null> {
  const owners = new Map<string, string | null>();
  for (const k of keys) {
    if (k.deviceKey === undefined || k.instanceId === undefined) continue;
    const owner = owners.get(k.instanceId);
    if (owner === undefined) owners.set(k.instanceId, k.deviceKey);
    else if (owner !== k.deviceKey) owners.set(k.instanceId, null);
  }
  return owners;
}

/** Folds entries, nodes and remembered machines into machines (unordered; see `compareMachines`). */
export function foldMachines(input: FoldInput): Machine[] {
  const groups = new Map<string, Group>();
  const add = (key: string, entry: ReceivedEntry) => {
    const g = groups.get(key);
    if (g) g.entries.push(entry);
    else groups.set(key, { key, entries: [entry] });
  };
  // Only an entry with an instanceId and no deviceId asks who owns its instanceId: most
  // lists (every client signs in with a device) never build the table.
  let owners: Map<string, string | null> | undefined;
  const keys = readEntryKeys(input.entries, input.previousEntries);
  for (let index = 0; index < keys.length; index += 1) {
    const k = keys[index]!;
    const filled = withTextFields(input.entries[index]!);
    if (k.deviceKey) add(k.deviceKey, filled);
    else if (k.instanceKey) add((owners ??= instanceOwners(keys)).get(k.instanceId!) ?? k.instanceKey, filled);
    else if (k.hostKey) add(k.hostKey, filled);
    else add(`e:${presenceKeyFor(filled) ?? `#${index}`}`, filled);
  }

  const nodesByKey = new Map<string, KnownNode>();
  for (const node of input.nodes ?? []) {
    const id = normalizePresenceKey(node.nodeId);
    if (id) nodesByKey.set(`d:${id}`, node);
  }
  const rememberedByKey = new Map<string, RememberedMachine>();
  for (const r of input.remembered ?? []) rememberedByKey.set(r.key, r);

  const machines: Machine[] = [];
  const sources = input.sources;
  const selfKey = `d:${normalizePresenceKey(input.selfDeviceId) ?? ''}`;
  const build = (key: string, listed: readonly ReceivedEntry[]) => {
    const node = nodesByKey.get(key);
    const remembered = rememberedByKey.get(key);
    const isSelf = key === selfKey;
    const prev = input.previous?.get(key);
    const reusable =
      prev !== undefined &&
      prev.node === node &&
      prev.remembered === remembered &&
      prev.isSelf === isSelf &&
      prev.hostStats === (node?.hostStats ?? (prev.isGateway ? input.gatewayHostStats : undefined));
    const source = reusable ? sources?.get(key) : undefined;
    if (reusable && source && sameItems(source, listed)) {
      machines.push(prev);
      return;
    }
    // Newest first (a stable sort: entries with the same ts keep their list order).
    const sorted = newestFirst(listed) ? listed : [...listed].sort((a, b) => b.ts - a.ts);
    const machine = reusable && sameItems(prev.entries, sorted) ? prev : makeMachine(key, sorted, node, remembered, isSelf, input.gatewayHostStats);
    sources?.set(key, listed);
    machines.push(machine);
  };
  for (const g of groups.values()) build(g.key, g.entries);
  for (const key of nodesByKey.keys()) if (!groups.has(key)) build(key, []);
  for (const key of rememberedByKey.keys()) if (!groups.has(key) && !nodesByKey.has(key)) build(key, []);
  if (sources && sources.size > machines.length) {
    for (const key of sources.keys()) if (!groups.has(key) && !nodesByKey.has(key) && !rememberedByKey.has(key)) sources.delete(key);
  }
  return machines;
}

/** Whether entries are already newest first (a stable sort would leave them as they are). */
function newestFirst(entries: readonly ReceivedEntry[]): boolean {
  for (let i = 1; i < entries.length; i += 1) if (entries[i]!.ts > entries[i - 1]!.ts) return false;
  return true;
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

function makeMachine(
  key: string,
  entries: readonly ReceivedEntry[],
  node: KnownNode | undefined,
  remembered: RememberedMachine | undefined,
  isSelf: boolean,
  gatewayHostStats: HostStats | undefined,
): Machine {
  const fields: Record<string, unknown> = {};
  const newestToOldest = entries.length ? entries : remembered ? [remembered.entry] : [];
  // Freshest first: each field comes from the newest entry that has it. Field by field, so the
  // newest entry (which mostly has them all) is read once per field, and every machine's fields
  // come in one order (one shape), however its entries differ.
  for (const name of FIELD_NAMES) {
    for (const source of newestToOldest) {
      const value = source[name];
      if (value !== undefined) {
        fields[name] = value;
        break;
      }
    }
  }
  const text = newestToOldest.find((source) => source.text)?.text;
  if (text !== undefined) fields.text = text;
  if (node) {
    fields.host ??= node.displayName;
    fields.ip ??= node.remoteIp;
    fields.version ??= node.version;
    fields.platform ??= node.platform;
    fields.deviceFamily ??= node.deviceFamily;
    fields.modelIdentifier ??= node.modelIdentifier;
    fields.mode ??= node.clientMode;
    fields.deviceId ??= node.nodeId;
  }
  const isGateway = entries.some((e) => e.mode === 'gateway');
  const approval =
    node?.approvalState && node.approvalState !== 'approved' ? { state: node.approvalState, ...(node.pendingRequestId ? { requestId: node.pendingRequestId } : {}) } : undefined;
  // Optional fields set after, not spread in: a fleet-wide change makes 2,000 machines, and a spread
  // of a conditional object costs a runtime call each.
  const machine: Mutable<Machine> = { key, entries, fields: fields as MachineFields, latestTs: entries[0]?.ts, latestReason: entries[0]?.reason, isSelf, isGateway };
  if (node) machine.node = node;
  if (remembered) machine.remembered = remembered;
  const hostStats = node?.hostStats ?? (isGateway ? gatewayHostStats : undefined);
  if (hostStats) machine.hostStats = hostStats;
  if (approval) machine.approval = approval;
  return machine;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface MachineState {
  readonly status: MachineStatus;
  /** What the status's age counts from (gateway clock): the last update, or when it was last seen. */
  readonly sinceMs?: number;
  /** `lastSeenReason` for offline nodes. */
  readonly lastSeenReason?: string;
}

/**
 * A machine's status at `gatewayNowMs`:
 * - listed, newest entry `disconnect` → Disconnected (since that entry);
 * - a node the gateway says is not connected, with no entry newer than its disconnect → Offline (since last seen);
 * - listed → Active / Idle / Stale from the newest entry's age;
 * - a known node not listed → Offline (or by last-seen age while the gateway says it is connected);
 * - only remembered → Gone (since last seen).
 */
export function machineStatus(m: Machine, gatewayNowMs: number, thresholds: StatusThresholds): MachineState {
  const node = m.node;
  const nodeLastSeen = node ? (node.lastSeenAtMs ?? node.lastDisconnectedAtMs ?? node.lastConnectedAtMs) : undefined;
  if (m.latestTs !== undefined) {
    const nodeIsDown = node?.connected === false && (node.lastDisconnectedAtMs === undefined || m.latestTs <= node.lastDisconnectedAtMs || m.latestReason === 'disconnect');
    if (nodeIsDown) return { status: 'offline', sinceMs: nodeLastSeen ?? m.latestTs, ...(node.lastSeenReason ? { lastSeenReason: node.lastSeenReason } : {}) };
    if (m.latestReason === 'disconnect') return { status: 'disconnected', sinceMs: m.latestTs };
    return { status: statusFromAge(gatewayNowMs - m.latestTs, thresholds), sinceMs: m.latestTs };
  }
  if (node) {
    if (node.connected === true && nodeLastSeen !== undefined) return { status: statusFromAge(gatewayNowMs - nodeLastSeen, thresholds), sinceMs: nodeLastSeen };
    return { status: 'offline', ...(nodeLastSeen !== undefined ? { sinceMs: nodeLastSeen } : {}), ...(node.lastSeenReason ? { lastSeenReason: node.lastSeenReason } : {}) };
  }
  return { status: 'gone', ...(m.remembered ? { sinceMs: m.remembered.lastSeenAtMs } : {}) };
}

/**
 * The span of time (gateway clock, both ends exclusive) over which `state` stays
 * as it is on its own: only Active, Idle and Stale follow the clock, each from its
 * `sinceMs` (`machineStatus`); every other status holds until something is received.
 */
export function statusSpan(state: MachineState, thresholds: StatusThresholds): { readonly fromMs: number; readonly untilMs: number } {
  const since = state.sinceMs;
  if (since === undefined) return { fromMs: -Infinity, untilMs: Infinity };
  if (state.status === 'active') return { fromMs: -Infinity, untilMs: since + thresholds.activeMs };
  if (state.status === 'idle') return { fromMs: since + thresholds.activeMs, untilMs: since + thresholds.idleMs };
  if (state.status === 'stale') return { fromMs: since + thresholds.idleMs, untilMs: Infinity };
  return { fromMs: -Infinity, untilMs: Infinity };
}

/** The first moment (gateway clock) after a span's end, when a status changes; undefined when it never does. */
export function firstMomentAfter(span: { readonly untilMs: number }): number | undefined {
  return Number.isFinite(span.untilMs) ? span.untilMs + 1 : undefined;
}

/**
 * When `machineStatus` can next change on its own (gateway clock), so a view can
 * re-derive statuses then instead of every second; undefined when it never will.
 */
export function nextStatusChangeAtMs(m: Machine, gatewayNowMs: number, thresholds: StatusThresholds): number | undefined {
  return firstMomentAfter(statusSpan(machineStatus(m, gatewayNowMs, thresholds), thresholds));
}

function rank(m: Machine, status: MachineStatus): number {
  if (m.isGateway) return 0;
  if (m.isSelf) return 1;
  return 2 + MACHINE_STATUS_ORDER.indexOf(status);
}

/** Display name for ordering and labels: host, else the node's name, else the key. */
export function machineName(m: Machine): string {
  return typeof m.fields.host === 'string' && m.fields.host.trim() ? m.fields.host : m.key.slice(2);
}

/**
 * The default order: the gateway → this device → Active → Idle → Stale →
 * Disconnected → Offline → Gone, then by name (then key, so ties are stable).
 */
export function compareMachines(a: Machine, sa: MachineStatus, b: Machine, sb: MachineStatus): number {
  return rank(a, sa) - rank(b, sb) || textOrder.compare(machineName(a), machineName(b)) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}
