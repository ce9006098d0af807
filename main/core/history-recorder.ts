/**
 * Connects the core's snapshots to the machine history: folds each new list (or
 * new `node.list`/`system.info`) into machines, writes what changed, and gives
 * back the machines this app has seen on the current gateway (`remembered`),
 * which the fold turns into Gone rows once they leave the list.
 *
 * - Recording runs after the snapshot has gone to the windows, at most once per
 *   `minRecordIntervalMs` (coalesced to the newest snapshot), so neither the
 *   fold nor a write holds up a push: a 2,000-machine fold costs 2-20 ms here.
 *   Status changes carry the time they began, not when recorded, so waiting
 *   loses nothing.
 * - One recorder per gateway session; they share the core's database
 *   (`history-database.ts`, which opens, prunes and closes it). A recorder's
 *   `close` writes the last seen times that were held back to once a minute.
 */
import type { ReceivedEntry, RememberedMachine } from '../../shared/client/view-state.js';
import type { ViewSnapshot } from '../../shared/ipc/contract.js';
import { parsePresenceList } from '../../shared/protocol/presence-list.js';
import { foldMachines, type MachineHistory } from '../../shared/view/machines.js';
import { HISTORY_KEEP_MS, HISTORY_WINDOW_MS, type HistoryStore } from '../history/history-store.js';
import { flushWrites, memoryFromStored, planWrites, type MachineMemory } from '../history/plan.js';
import type { HistoryDatabase } from './history-database.js';

/** One gateway's view as the recorder reads it. */
type RecordedView = Pick<ViewSnapshot['gateways'][number], 'gateway' | 'entries' | 'known' | 'listVersion' | 'clockOffsetMs' | 'self' | 'gatewayNowMs' | 'statusThresholds'>;

export interface HistoryRecorderOptions {
  readonly database: HistoryDatabase;
  /** Called when `remembered` changed, so the core pushes a new snapshot. */
  readonly onChange: () => void;
  /** Local clock (the gateway's comes from each snapshot). */
  readonly clock?: () => number;
  /** Least time between two recordings (default 1 s). */
  readonly minRecordIntervalMs?: number;
}

/** The history's name for a gateway: `embedded`, or its URL without userinfo, query or fragment. */
export function gatewayIdFor(gateway: RecordedView['gateway']): string {
  if (gateway.kind === 'embedded') return 'embedded';
  try {
    const u = new URL(gateway.url);
    const pathname = u.pathname === '/' ? '' : u.pathname;
    return `${u.protocol}//${u.host}${pathname}`;
  } catch {
    return gateway.url.replace(/[?#].*$/s, '');
  }
}

export class HistoryRecorder {
  readonly #o: HistoryRecorderOptions;
  readonly #clock: () => number;
  #gatewayId?: string;
  #memory = new Map<string, MachineMemory>();
  #remembered: readonly RememberedMachine[] = [];
  /** Checked rows per memory object (replaced whenever the machine changes), so a rebuild re-checks only those. */
  #rememberedRows = new WeakMap<MachineMemory, RememberedMachine | null>();
  #lastListVersion?: number;
  #lastKnown?: RecordedView['known'];
  /** The list the last fold was made from (its entries' keys are reused). */
  #lastEntries?: readonly ReceivedEntry[];
  #pending?: RecordedView;
  #scheduled?: NodeJS.Timeout;
  #lastRecordAtMs = Number.NEGATIVE_INFINITY;
  #closed = false;
  #clockOffsetMs = 0;
  readonly #offPrune: () => void;

  constructor(options: HistoryRecorderOptions) {
    this.#o = options;
    this.#clock = options.clock ?? Date.now;
    this.#offPrune = options.database.onPrune((sinceMs) => this.#pruned(sinceMs - this.#clockOffsetMs));
  }

  get #store(): HistoryStore | undefined {
    return this.#o.database.store;
  }

  /** Writes what was held back; the database stays open for the other sessions. */
  close(): void {
    this.#closed = true;
    this.#offPrune();
    clearTimeout(this.#scheduled);
    this.#scheduled = undefined;
    if (this.#pending) this.#record(this.#pending);
    this.#pending = undefined;
    const store = this.#store;
    if (!store || this.#gatewayId === undefined) return;
    const flushed = flushWrites(this.#memory);
    this.#o.database.write(this.#gatewayId, flushed.writes);
    this.#memory = flushed.memory;
  }

  /** Machines of the current gateway seen in the last 7 days, newest first (undefined without history). */
  get remembered(): readonly RememberedMachine[] | undefined {
    return this.#store ? this.#remembered : undefined;
  }

  /** Takes note of a snapshot the core pushed; records it shortly after, once per burst. */
  observe(snapshot: RecordedView): void {
    if (!this.#store) return;
    this.#pending = snapshot;
    if (this.#scheduled) return;
    const waitMs = Math.max(0, this.#lastRecordAtMs + (this.#o.minRecordIntervalMs ?? 1000) - this.#clock());
    this.#scheduled = setTimeout(() => {
      // In turn with the other gateways' recorders (HistoryDatabase.takeTurn); still "scheduled" until it runs.
      this.#o.database.takeTurn(() => {
        if (this.#closed) return;
        this.#scheduled = undefined;
        const s = this.#pending;
        this.#pending = undefined;
        if (s) this.#record(s);
      });
    }, waitMs);
  }

  /** Records a snapshot now (tests and benchmarks; the core goes through `observe`). */
  recordNow(snapshot: RecordedView): void {
    this.#record(snapshot);
    this.#o.database.flush();
  }

  /** The last 24 hours of a machine on the current gateway. */
  history(key: string): MachineHistory {
    if (!this.#store || this.#gatewayId === undefined) return { key, statusChanges: [], stats: [] };
    this.#o.database.flush();
    const now = this.#gatewayNow();
    return this.#store.history(this.#gatewayId, key, now - HISTORY_WINDOW_MS, now);
  }

  /** Deletes a machine from history; if it is still listed, the next list records it afresh. */
  forget(key: string): void {
    if (!this.#store || this.#gatewayId === undefined) return;
    this.#o.database.flush();
    this.#store.forget(this.#gatewayId, key);
    this.#memory.delete(key);
    // Record the current list again, so a machine that is still listed comes back at once.
    this.#lastListVersion = undefined;
    this.#rebuildRemembered();
    this.#o.onChange();
  }

  #record(s: RecordedView): void {
    const store = this.#store;
    if (!store) return;
    this.#clockOffsetMs = s.clockOffsetMs;
    const gatewayId = gatewayIdFor(s.gateway);
    if (gatewayId !== this.#gatewayId) this.#switchGateway(store, gatewayId);
    // Only a list the gateway actually sent says who is there (0: none yet, or no scope to read it).
    const newList = s.listVersion > 0 && s.listVersion !== this.#lastListVersion;
    const newKnown = s.known !== undefined && s.known !== this.#lastKnown;
    if (!newList && !newKnown) return;
    if (s.listVersion === 0) return;
    this.#lastRecordAtMs = this.#clock();
    this.#lastListVersion = s.listVersion;
    this.#lastKnown = s.known;
    const machines = foldMachines({
      entries: s.entries,
      ...(s.known?.nodes ? { nodes: s.known.nodes } : {}),
      ...(s.known?.gatewayHostStats ? { gatewayHostStats: s.known.gatewayHostStats } : {}),
      selfDeviceId: s.self.deviceId,
      // Keys of the entries that didn't change are reused from the last list (readEntryKeys).
      ...(this.#lastEntries ? { previousEntries: this.#lastEntries } : {}),
    });
    this.#lastEntries = s.entries;
    const plan = planWrites({ machines, memory: this.#memory, gatewayNowMs: s.gatewayNowMs, thresholds: s.statusThresholds });
    // With the other gateways' writes, within a second (HistoryDatabase.write).
    this.#o.database.write(gatewayId, plan.writes);
    this.#memory = plan.memory;
    if (plan.rememberedChanged) {
      this.#rebuildRemembered();
      this.#o.onChange();
    }
  }

  #switchGateway(store: HistoryStore, gatewayId: string): void {
    if (this.#gatewayId !== undefined) this.#o.database.write(this.#gatewayId, flushWrites(this.#memory).writes);
    // What this gateway's machines are must include what is still queued.
    this.#o.database.flush();
    this.#gatewayId = gatewayId;
    this.#lastListVersion = undefined;
    this.#lastKnown = undefined;
    this.#memory = memoryFromStored(store.machines(gatewayId, this.#gatewayNow() - HISTORY_KEEP_MS));
    this.#rebuildRemembered();
    // Gone rows show from the start, even while the gateway can't be reached.
    this.#o.onChange();
  }

  #rebuildRemembered(): void {
    const since = this.#gatewayNow() - HISTORY_KEEP_MS;
    const out: RememberedMachine[] = [];
    for (const m of this.#memory.values()) {
      // A gateway that left is not a machine that went away: a restarted gateway lists itself anew.
      if (m.lastSeenAtMs < since || (m.isGateway && m.status === 'gone')) continue;
      let row = this.#rememberedRows.get(m);
      if (row === undefined) {
        const raw = { ...m.fields, text: typeof m.fields.text === 'string' ? m.fields.text : '', ts: Math.max(0, Math.round(m.lastSeenAtMs)) };
        // Fields read back from a file are checked like a presence entry before the window sees them;
        // fields from a live list were checked at the edge already.
        const entry = m.fromFile ? parsePresenceList([raw])?.entries[0] : (raw as ReceivedEntry);
        row = entry ? { key: m.key, firstSeenAtMs: m.firstSeenAtMs, lastSeenAtMs: m.lastSeenAtMs, entry } : null;
        this.#rememberedRows.set(m, row);
      }
      if (row) out.push(row);
    }
    out.sort((a, b) => b.lastSeenAtMs - a.lastSeenAtMs || (a.key < b.key ? -1 : 1));
    this.#remembered = out;
  }

  /** The database dropped machines not seen since `sinceMs` (gateway clock): forget them here too. */
  #pruned(sinceMs: number): void {
    if (this.#gatewayId === undefined) return;
    let dropped = false;
    for (const [key, m] of this.#memory) {
      if (m.lastSeenAtMs < sinceMs) {
        this.#memory.delete(key);
        dropped = true;
      }
    }
    if (!dropped) return;
    this.#rebuildRemembered();
    this.#o.onChange();
  }

  #gatewayNow(): number {
    return this.#clock() + this.#clockOffsetMs;
  }
}
