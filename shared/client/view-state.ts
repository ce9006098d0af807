/**
 * What the client knows, as plain serialisable data: the one shape that crosses
 * from the client (main process or browser host) to the renderer.
 */
import type { PresenceEntry } from '../presence/entry.js';

export type ConnectionState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'connecting'; readonly url: string; readonly attempt: number }
  | { readonly kind: 'connected'; readonly url: string; readonly serverVersion: string; readonly scopes: readonly string[] }
  | { readonly kind: 'reconnecting'; readonly url: string; readonly attempt: number; readonly retryAtMs: number; readonly lastError: string }
  | { readonly kind: 'failed'; readonly url: string; readonly reason: string; readonly action: string };

/** A presence entry as received, plus fields a newer gateway added that we keep for the details panel. */
export type ReceivedEntry = PresenceEntry & { readonly [extra: string]: unknown };

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
  readonly lastBeacon?: BeaconReport;
  readonly gateway: { readonly kind: 'embedded' | 'remote'; readonly url: string };
}
