/**
 * `beacon --list`: reads each gateway's presence list once, all at the same time,
 * so one slow or dead gateway costs its own wait and never the others'.
 */
import type { InstancesSnapshot, ReceivedEntry } from '../../shared/client/view-state.js';
import type { BeaconTarget } from './beacon-targets.js';

/** What a list read needs of `PresenceClient`. */
export interface ListClient {
  start(): void;
  stop(): Promise<void>;
  subscribe(listener: (s: InstancesSnapshot) => void): () => void;
}

export type GatewayRead =
  | { readonly target: BeaconTarget; readonly ok: true; readonly entries: readonly ReceivedEntry[]; readonly gatewayNowMs: number }
  | { readonly target: BeaconTarget; readonly ok: false; readonly error: string; readonly action?: string };

export interface ReadOptions {
  /** The longest a gateway may take (default 20 s, as `--list` always allowed). */
  readonly timeoutMs?: number;
  /**
   * Failed connection attempts in a row before giving up (default 3): a port with
   * nothing listening is reported in about a second rather than after the whole
   * timeout, while a gateway that is just starting (it answers `UNAVAILABLE`) or a
   * dropped first socket still gets its retries.
   */
  readonly maxAttempts?: number;
  readonly clock?: () => number;
}

/** Resolves, once, with the first list (or the reason there is none); the client is stopped before it resolves. */
export function readList(target: BeaconTarget, client: ListClient, o: ReadOptions = {}): Promise<GatewayRead> {
  const clock = o.clock ?? Date.now;
  const maxAttempts = o.maxAttempts ?? 3;
  const timeoutMs = o.timeoutMs ?? 20_000;
  return new Promise<GatewayRead>((resolve) => {
    let done = false;
    let lastError: string | undefined;
    const finish = (read: GatewayRead) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      unsubscribe();
      void client.stop().then(() => resolve(read));
    };
    const timer = setTimeout(() => {
      const waited = `timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${target.url}`;
      finish({ target, ok: false, error: lastError ? `${waited}; last error: ${lastError}` : waited });
    }, timeoutMs);
    const unsubscribe = client.subscribe((s) => {
      const c = s.connection;
      if (c.kind === 'failed') finish({ target, ok: false, error: c.reason, action: c.action });
      else if (c.kind === 'connected' && s.missingScope) finish({ target, ok: false, error: `this connection lacks ${s.missingScope}` });
      else if (c.kind === 'connected' && s.listReceivedAtMs !== undefined) {
        finish({ target, ok: true, entries: s.entries, gatewayNowMs: clock() + s.clockOffsetMs });
      } else if (c.kind === 'reconnecting') {
        lastError = c.lastError;
        if (c.attempt >= maxAttempts) finish({ target, ok: false, error: c.lastError });
      }
    });
    client.start();
  });
}

/** Every target's list, in the targets' order. */
export function readLists(targets: readonly BeaconTarget[], clientFor: (t: BeaconTarget) => ListClient, o: ReadOptions = {}): Promise<GatewayRead[]> {
  return Promise.all(targets.map((t) => readList(t, clientFor(t), o)));
}
