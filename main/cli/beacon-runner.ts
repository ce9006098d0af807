/**
 * Runs one presence client per gateway side by side. Each keeps its own
 * connection and retries, and logs under its own prefix; one gateway that is
 * down or refuses us never stops the others. Only when every gateway has refused
 * for good (a wrong token, a protocol mismatch) is there nothing left to run.
 */
import type { ListClient } from './list-reader.js';
import { describeTransition } from './connection-log.js';
import type { BeaconTarget } from './beacon-targets.js';
import type { ConnectionState } from '../../shared/client/view-state.js';

export interface BeaconGateway {
  readonly target: BeaconTarget;
  readonly client: ListClient;
  readonly log: (line: string) => void;
}

export interface RunningBeacons {
  /** Resolves when every gateway has failed for good. */
  readonly allFailed: Promise<void>;
  /**
   * Stops every client at once. Resolves true when all closed within
   * `deadlineMs`, false when one didn't (the caller exits anyway: Ctrl-C never hangs).
   */
  stop(deadlineMs: number): Promise<boolean>;
}

export function runBeacons(gateways: readonly BeaconGateway[], clock: () => number = Date.now): RunningBeacons {
  const failed = new Set<BeaconGateway>();
  let allFailed!: () => void;
  const allFailedPromise = new Promise<void>((resolve) => (allFailed = resolve));
  const unsubscribes = gateways.map((g) => {
    let prev: ConnectionState | undefined;
    return g.client.subscribe((s) => {
      const line = describeTransition(prev, s.connection, clock());
      prev = s.connection;
      if (line) g.log(line);
      if (s.connection.kind === 'failed') {
        failed.add(g);
        if (failed.size === gateways.length) allFailed();
      }
    });
  });
  for (const g of gateways) g.client.start();

  return {
    allFailed: allFailedPromise,
    async stop(deadlineMs) {
      for (const u of unsubscribes) u();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), deadlineMs)));
      const stopped = Promise.all(
        gateways.map(async (g) => {
          await g.client.stop();
          g.log('stopped');
        }),
      ).then(() => true as const);
      try {
        return await Promise.race([stopped, deadline]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
