/**
 * The core's side of the bridge, for both shells: one handler per row of the
 * bridge table (`shared/ipc/bridge.ts`), and the one way a call that arrived is
 * answered: its argument checked against the row's schema first, so a bad
 * argument never reaches the core. The Electron IPC handlers and the browser
 * shell's socket dispatch differ only in how a call arrives and who may make it.
 */
import { BRIDGE, type BridgeName, type BridgeRow, type BridgeResult, type CheckedArg } from '../../shared/ipc/bridge.js';
import { checkBridgeArg } from '../../shared/ipc/bridge-args.js';
import type { InstancesService } from '../core/instances-service.js';
import type { ViewSnapshot } from '../../shared/ipc/contract.js';
import type { SnapshotEncoder, SnapshotMessage } from '../../shared/ipc/snapshot-stream.js';

/** What a handler may need to know about the window that called. */
export interface Caller {
  /** The window now holds this whole snapshot: its stream of changes goes on from it. */
  restartStream(from: ViewSnapshot): void;
  /** The window is hidden: its stream sends nothing until `resumeStream` or `restartStream`. */
  pauseStream(): void;
  /** Sends the window what changed while its stream was paused, and goes on. */
  resumeStream(): void;
}

/** The caller whose window's stream is `encoder` (none: a window whose stream is gone), which `send` delivers to. */
export function streamCaller(encoder: SnapshotEncoder | undefined, send: (message: SnapshotMessage) => void): Caller {
  return {
    restartStream: (from) => encoder?.startFrom(from),
    pauseStream: () => encoder?.pause(),
    resumeStream: () => {
      for (const message of encoder?.resume() ?? []) send(message);
    },
  };
}

export type BridgeHandlers = {
  readonly [N in BridgeName]: (arg: CheckedArg<N>, caller: Caller) => BridgeResult<N> | Promise<BridgeResult<N>>;
};

/** The core as the bridge uses it. */
export type BridgeCore = Pick<InstancesService, 'snapshot' | 'refresh' | 'getSettings' | 'saveSettings' | 'getMachineHistory' | 'forgetMachine'>;

/** One handler per call; the compiler asks for a new one when the table grows. */
export function coreHandlers(core: BridgeCore): BridgeHandlers {
  return {
    getSnapshot: (_none, caller) => {
      const snapshot = core.snapshot();
      caller.restartStream(snapshot);
      return snapshot;
    },
    pauseUpdates: (_none, caller) => caller.pauseStream(),
    resumeUpdates: (_none, caller) => caller.resumeStream(),
    refresh: () => core.refresh(),
    getSettings: () => core.getSettings(),
    saveSettings: (update) => core.saveSettings(update),
    getMachineHistory: (key) => core.getMachineHistory(key),
    forgetMachine: (key) => core.forgetMachine(key),
  };
}

/** A call refused for its argument; the message names the call and says what is wrong. */
export class BridgeArgumentError extends Error {
  override readonly name = 'BridgeArgumentError';
  constructor(call: BridgeName, reason: string) {
    super(`${call} refused its argument: ${reason}`);
  }
}

/**
 * Answers one call from a page. A bad argument gets the row's own refusal where
 * its result can say "refused" (`saveSettings`), else fails the call with a
 * {@link BridgeArgumentError}.
 */
export async function answerCall<N extends BridgeName>(handlers: BridgeHandlers, name: N, raw: unknown, caller: Caller): Promise<BridgeResult<N>> {
  const checked = checkBridgeArg(name, raw);
  if (!checked.ok) {
    const row: BridgeRow = BRIDGE[name];
    if (row.refused) return row.refused(checked.reason) as BridgeResult<N>;
    throw new BridgeArgumentError(name, checked.reason);
  }
  const handler: (arg: CheckedArg<N>, caller: Caller) => BridgeResult<N> | Promise<BridgeResult<N>> = handlers[name];
  return handler(checked.arg, caller);
}
