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
 * - The database opens once at start and closes at stop (after writing the last
 *   seen times that were held back to once a minute). It is pruned to 7 days
 *   on open and hourly.
 * - If the database can't be opened (another process holds it), the app runs
 *   without history and says so in the log; nothing else changes.
 */
import path from 'node:path';
import type { ReceivedEntry, RememberedMachine } from '../../shared/client/view-state.js';
import type { ViewSnapshot } from '../../shared/ipc/contract.js';
import { parsePresenceList } from '../../shared/protocol/presence-list.js';
import { foldMachines, type MachineHistory } from '../../shared/view/machines.js';
import { HISTORY_FILE, openHistoryDatabase, releaseHistory } from '../history/history-db.js';
import { HISTORY_KEEP_MS, HISTORY_WINDOW_MS, HistoryStore } from '../history/history-store.js';
import { flushWrites, memoryFromStored, planWrites, type MachineMemory } from '../history/plan.js';

export const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

export interface HistoryRecorderOptions {
  readonly dataDir: string;
  /** Called when `remembered` changed, so the core pushes a new snapshot. */
  readonly onChange: () => void;
  readonly log?: (line: string) => void;
  /** Local clock (the gateway's comes from each snapshot). */
  readonly clock?: () => number;
  /** Least time between two recordings (default 1 s). */
  readonly minRecordIntervalMs?: number;
}

/** The history's name for a gateway: `embedded`, or its URL without userinfo, query or fragment. */
export function gatewayIdFor(gateway: ViewSnapshot['gateway']): string {
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
  #store?: HistoryStore;
  #gatewayId?: string;
  #memory = new Map<string, MachineMemory>();
  #remembered: readonly RememberedMachine[] = [];
  /** Checked rows per memory object (replaced whenever the machine changes), so a rebuild re-checks only those. */
  #rememberedRows = new WeakMap<MachineMemory, RememberedMachine | null>();
  #lastListVersion?: number;
  #lastKnown?: ViewSnapshot['known'];
  #pending?: ViewSnapshot;
  #scheduled?: NodeJS.Timeout;
  #lastRecordAtMs = Number.NEGATIVE_INFINITY;
  #pruneTimer?: NodeJS.Timeout;
  #clockOffsetMs = 0;

  constructor(options: HistoryRecorderOptions) {
    this.#o = options;
    this.#clock = options.clock ?? Date.now;
  }

  get file(): string {
    return path.join(this.#o.dataDir, HISTORY_FILE);
  }

  get isOpen(): boolean {
    return this.#store !== undefined;
  }

  open(): void {
    if (this.#store) return;
    try {
      this.#store = new HistoryStore(openHistoryDatabase(this.#o.dataDir, this.#log, this.#clock()));
    } catch (err) {
      this.#log(`history: not kept this session: ${(err as Error).message}`);
      return;
    }
    this.#prune();
    this.#pruneTimer = setInterval(() => this.#prune(), PRUNE_INTERVAL_MS);
    this.#pruneTimer.unref?.();
  }

  /** Writes what was held back, then closes the database. */
  close(): void {
    clearTimeout(this.#scheduled);
    this.#scheduled = undefined;
    if (this.#pending) this.#record(this.#pending);
    this.#pending = undefined;
    clearInterval(this.#pruneTimer);
    const store = this.#store;
    this.#store = undefined;
    if (!store) return;
    try {
      if (this.#gatewayId !== undefined) {
        const flushed = flushWrites(this.#memory);
        store.apply(this.#gatewayId, flushed.writes);
        this.#memory = flushed.memory;
      }
    } catch (err) {
      this.#log(`history: could not write the last seen times: ${(err as Error).message}`);
    }
    store.close();
    try {
      releaseHistory(this.#o.dataDir);
    } catch (err) {
      this.#log(`history: ${(err as Error).message}`);
    }
  }

  /** Machines of the current gateway seen in the last 7 days, newest first (undefined without history). */
  get remembered(): readonly RememberedMachine[] | undefined {
    return this.#store ? this.#remembered : undefined;
  }

  /** Takes note of a snapshot the core pushed; records it shortly after, once per burst. */
  observe(snapshot: ViewSnapshot): void {
    if (!this.#store) return;
    this.#pending = snapshot;
    if (this.#scheduled) return;
    const waitMs = Math.max(0, this.#lastRecordAtMs + (this.#o.minRecordIntervalMs ?? 1000) - this.#clock());
    this.#scheduled = setTimeout(() => {
      this.#scheduled = undefined;
      const s = this.#pending;
      this.#pending = undefined;
      if (s) this.#record(s);
    }, waitMs);
  }

  /** Records a snapshot now (tests and benchmarks; the core goes through `observe`). */
  recordNow(snapshot: ViewSnapshot): void {
    this.#record(snapshot);
  }

  /** The last 24 hours of a machine on the current gateway. */
  history(key: string): MachineHistory {
    if (!this.#store || this.#gatewayId === undefined) return { key, statusChanges: [], stats: [] };
    const now = this.#gatewayNow();
    return this.#store.history(this.#gatewayId, key, now - HISTORY_WINDOW_MS, now);
  }

  /** Deletes a machine from history; if it is still listed, the next list records it afresh. */
  forget(key: string): void {
    if (!this.#store || this.#gatewayId === undefined) return;
    this.#store.forget(this.#gatewayId, key);
    this.#memory.delete(key);
    // Record the current list again, so a machine that is still listed comes back at once.
    this.#lastListVersion = undefined;
    this.#rebuildRemembered();
    this.#o.onChange();
  }

  #record(s: ViewSnapshot): void {
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
    });
    const plan = planWrites({ machines, memory: this.#memory, gatewayNowMs: s.gatewayNowMs, thresholds: s.statusThresholds });
    try {
      store.apply(gatewayId, plan.writes);
    } catch (err) {
      // Memory moves on anyway: the next change writes the newest state again.
      this.#log(`history: a write failed: ${(err as Error).message}`);
    }
    this.#memory = plan.memory;
    if (plan.rememberedChanged) {
      this.#rebuildRemembered();
      this.#o.onChange();
    }
  }

  #switchGateway(store: HistoryStore, gatewayId: string): void {
    if (this.#gatewayId !== undefined) {
      try {
        store.apply(this.#gatewayId, flushWrites(this.#memory).writes);
      } catch (err) {
        this.#log(`history: could not write the last seen times: ${(err as Error).message}`);
      }
    }
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

  #prune(): void {
    if (!this.#store) return;
    try {
      const dropped = this.#store.prune(this.#gatewayNow() - HISTORY_KEEP_MS);
      if (dropped.machines) this.#log(`history: pruned ${dropped.machines} machine(s) not seen for 7 days`);
      if (dropped.machines && this.#gatewayId !== undefined) {
        const since = this.#gatewayNow() - HISTORY_KEEP_MS;
        for (const [key, m] of this.#memory) if (m.lastSeenAtMs < since) this.#memory.delete(key);
        this.#rebuildRemembered();
        this.#o.onChange();
      }
    } catch (err) {
      this.#log(`history: pruning failed: ${(err as Error).message}`);
    }
  }

  #gatewayNow(): number {
    return this.#clock() + this.#clockOffsetMs;
  }

  #log = (line: string): void => {
    this.#o.log?.(line);
  };
}
