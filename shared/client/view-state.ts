/**
 * What the client knows, as plain serialisable data: the one shape that crosses
 * from the client (main process or browser shell) to the renderer.
 */
import type { PresenceEntry } from '../presence/entry.js';

export type ConnectionState =
  | { readonly kind: 'idle' }
  /** `lastError` is set on a retry: why the connection before this attempt failed, so the UI can keep saying so. */
  | { readonly kind: 'connecting'; readonly url: string; readonly attempt: number; readonly lastError?: string }
  | { readonly kind: 'connected'; readonly url: string; readonly serverVersion: string; readonly scopes: readonly string[] }
  | { readonly kind: 'reconnecting'; readonly url: string; readonly attempt: number; readonly retryAtMs: number; readonly lastError: string }
  | { readonly kind: 'failed'; readonly url: string; readonly reason: string; readonly action: string };

/** A presence entry as received, plus fields a newer gateway added that we keep for the details panel. */
export type ReceivedEntry = PresenceEntry & { readonly [extra: string]: unknown };

export interface UnreadEntries {
  readonly count: number;
  /** What was wrong with the first of them ("host: expected string, received number"). */
  readonly problem: string;
  /** No entry of that list could be read, so the one before it is still shown. */
  readonly keptLastList: boolean;
}

export interface BeaconReport {
  readonly atMs: number;
  readonly reason: string;
  readonly ok: boolean;
  readonly error?: string;
}

export interface InstancesSnapshot {
  readonly connection: ConnectionState;
  /** Newest first, as the gateway sent it; kept while offline so the UI can dim it. */
  readonly entries: readonly ReceivedEntry[];
  /** Local time the list was last confirmed by the gateway. */
  readonly listReceivedAtMs?: number;
  /** Increases each time a list is applied; equal means the same list, so views can skip work. */
  readonly listVersion: number;
  /** Estimated gateway clock minus local clock, from hello and tick timestamps. */
  readonly clockOffsetMs: number;
  readonly self: { readonly instanceId: string; readonly deviceId: string };
  /** Scope this connection would need but lacks (e.g. `operator.read`). */
  readonly missingScope?: string;
  /** Entries of the gateway's last list that failed the checks and are left out; absent when none did. */
  readonly unreadEntries?: UnreadEntries;
  readonly lastBeacon?: BeaconReport;
  readonly gateway: { readonly kind: 'embedded' | 'remote'; readonly url: string };
  /** What the gateway knows beyond presence (`node.list`, `system.info`); absent until first read. */
  readonly known?: KnownMachines;
  /** Machines this app has seen on this gateway (from its history), newest first. */
  readonly remembered?: readonly RememberedMachine[];
}

/** Load, memory and disk of a machine, as `node.list` `hostStats` or `system.info` report them. */
export interface HostStats {
  readonly cpuCount?: number;
  /** 1, 5 and 15 minute load averages. */
  readonly loadAverage?: readonly number[];
  readonly memoryTotalBytes?: number;
  readonly memoryFreeBytes?: number;
  readonly diskTotalBytes?: number;
  readonly diskAvailableBytes?: number;
  /** Gateway clock. */
  readonly updatedAtMs?: number;
}

/** A node the gateway knows (`node.list`), whether connected or not. Times are on the gateway's clock. */
export interface KnownNode {
  readonly nodeId: string;
  readonly displayName?: string;
  readonly platform?: string;
  readonly version?: string;
  readonly clientId?: string;
  readonly clientMode?: string;
  readonly deviceFamily?: string;
  readonly modelIdentifier?: string;
  readonly remoteIp?: string;
  readonly hostStats?: HostStats;
  /** `approved`, `pending-approval`, `pending-reapproval`, `unapproved`, or a newer word. */
  readonly approvalState?: string;
  readonly pendingRequestId?: string;
  readonly connectedAtMs?: number;
  readonly lastConnectedAtMs?: number;
  readonly lastDisconnectedAtMs?: number;
  readonly lastSeenAtMs?: number;
  readonly lastSeenReason?: string;
  readonly paired?: boolean;
  readonly connected?: boolean;
}

/** What the client read besides presence; each part may be missing (an older gateway, a missing scope). */
export interface KnownMachines {
  /** From `node.list`; undefined when it could not be read. */
  readonly nodes?: readonly KnownNode[];
  /** The gateway host's own figures, from `system.info`. */
  readonly gatewayHostStats?: HostStats;
  /** One line for the details panel when a part could not be read (method missing, scope missing). */
  readonly note?: string;
  /** Local time of the last read. */
  readonly readAtMs: number;
}

/** A machine from the history database: what it last looked like, and when it was last seen (gateway clock). */
export interface RememberedMachine {
  /** The machine key (see shared/view/machines.ts `machineKey`). */
  readonly key: string;
  readonly firstSeenAtMs: number;
  readonly lastSeenAtMs: number;
  /** Its last known fields. */
  readonly entry: ReceivedEntry;
}
