/**
 * A machine's recorded past, as the history answers it and the bridge carries it
 * (`getMachineHistory`). Here, beside the other snapshot shapes, rather than in
 * `view/`, so that `ipc/` (the bridge contract) needn't import `view/`, which
 * imports `ipc/`: folders form a DAG (tests/unit/shared/folder-graph.test.ts).
 * `view/machines.ts` re-exports both types.
 */

export type MachineStatus = 'active' | 'idle' | 'stale' | 'disconnected' | 'offline' | 'gone';

/** A machine's recent past, from the history database (gateway clock). */
export interface MachineHistory {
  readonly key: string;
  readonly firstSeenAtMs?: number;
  readonly lastSeenAtMs?: number;
  /** Oldest first; the first one is the status at the start of the window asked for. */
  readonly statusChanges: ReadonlyArray<{ readonly atMs: number; readonly status: MachineStatus }>;
  /** Host-stat samples, oldest first: 1-minute load, and used memory and disk as 0–1. */
  readonly stats: ReadonlyArray<{ readonly atMs: number; readonly load1?: number; readonly memoryUsedRatio?: number; readonly diskUsedRatio?: number }>;
}
