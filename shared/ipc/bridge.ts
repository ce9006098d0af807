/**
 * The bridge table: every call the page can make on the app's core, written
 * once. Each row names the call, its IPC channel (`domain:verb`), the schema
 * its argument must pass (by name, see `bridge-args.ts`) and its result type.
 * The preload, the Electron IPC handlers, the browser shell's socket dispatch
 * and the page's socket client are all built from this table (GitHub Desktop's
 * `lib/ipc-shared.ts` is the model), so adding a call is one row here plus its
 * handler in `main/page/bridge-handlers.ts`.
 *
 * This module has no runtime imports: the sandboxed preload bundles it, and
 * must stay small (about 2 KB; with zod it would be about 750 KB). That is why
 * a row names its argument schema instead of holding it: the schemas live in
 * `bridge-args.ts`, which only the receiving sides (main, and the page for the
 * socket frames) load.
 */
import type { z } from 'zod';
import type { ArgSchemaName, BridgeArgSchemas } from './bridge-args.js';
import type { PublicSettings, SaveResult, ViewSnapshot } from './contract.js';
import type { SnapshotMessage } from './snapshot-stream.js';
import type { MachineHistory } from '../client/machine-history.js';

declare const resultType: unique symbol;
/** A result type carried by a row (type only; the value is an empty object). */
export interface Returns<T> {
  readonly [resultType]?: T;
}
const returns = <T>(): Returns<T> => ({});

export interface BridgeRow {
  readonly channel: `${string}:${string}`;
  /** Which schema in `BRIDGE_ARG_SCHEMAS` the argument must pass; `none`: the call takes no argument. */
  readonly arg: ArgSchemaName;
  readonly result: Returns<unknown>;
  /**
   * For a call whose result already says "refused" (`SaveResult`): the result a
   * bad argument gets, so the page shows the reason instead of a failed call.
   * Without it, a bad argument fails the call with an error that says why.
   */
  readonly refused?: (reason: string) => unknown;
}

export const BRIDGE = {
  /** The whole snapshot; pushes then continue from it. */
  getSnapshot: { channel: 'presence:snapshot', arg: 'none', result: returns<ViewSnapshot>() },
  /** The window is hidden or minimised: send it nothing until it resumes (or asks for the whole snapshot). */
  pauseUpdates: { channel: 'presence:pause', arg: 'none', result: returns<void>() },
  /** Shown again: what changed while it was hidden arrives as one catch-up on the stream, before this answers. */
  resumeUpdates: { channel: 'presence:resume', arg: 'none', result: returns<void>() },
  refresh: { channel: 'presence:refresh', arg: 'none', result: returns<void>() },
  getSettings: { channel: 'settings:get', arg: 'none', result: returns<PublicSettings>() },
  saveSettings: {
    channel: 'settings:save',
    arg: 'settingsUpdate',
    result: returns<SaveResult>(),
    refused: (reason: string): SaveResult => ({ ok: false, error: `invalid settings: ${reason}` }),
  },
  /** A machine's last 24 hours from the history database (status changes, host stats). */
  getMachineHistory: { channel: 'history:get', arg: 'machineKey', result: returns<MachineHistory>() },
  /** Drops a machine from history: a Gone row disappears. */
  forgetMachine: { channel: 'history:forget', arg: 'machineKey', result: returns<void>() },
} as const satisfies Readonly<Record<string, BridgeRow>>;

export type BridgeName = keyof typeof BRIDGE;
/** The calls, in table order. */
export const BRIDGE_NAMES = Object.keys(BRIDGE) as BridgeName[];

/** Whether `name` is a call in the table (own rows only: `toString` or `__proto__` is not a call). */
export function isBridgeName(name: unknown): name is BridgeName {
  return typeof name === 'string' && Object.hasOwn(BRIDGE, name);
}

/** The one push channel: snapshot messages from the core to the window (see snapshot-stream.ts). */
export const SNAPSHOT_CHANNEL = 'presence:changed';

/** The name the preload gives the bridge on the page's `window`. */
export const BRIDGE_GLOBAL = 'clawInstances';

type ArgSchema<N extends BridgeName> = BridgeArgSchemas[(typeof BRIDGE)[N]['arg']];
/** What the page passes (the schema's input). */
export type BridgeArg<N extends BridgeName> = z.input<ArgSchema<N>>;
/** What the handler receives once the argument passed its schema. */
export type CheckedArg<N extends BridgeName> = z.output<ArgSchema<N>>;
export type BridgeResult<N extends BridgeName> = (typeof BRIDGE)[N]['result'] extends Returns<infer T> ? T : never;

/** The calls both sides of the bridge share: task-shaped, each a promise; a call without an argument takes none. */
export type BridgeCalls = {
  readonly [N in BridgeName]: BridgeArg<N> extends undefined ? () => Promise<BridgeResult<N>> : (arg: BridgeArg<N>) => Promise<BridgeResult<N>>;
};

/**
 * What the preload exposes (and the browser shell's socket mirrors): the calls,
 * plus the raw snapshot stream. The page decodes the stream itself, so entries
 * that didn't change stay the same objects from one update to the next;
 * decoding in the preload would have every update deep-copied across the context
 * bridge, 10,000 entries at a time in a fleet view.
 */
export type HostBridge = BridgeCalls & {
  onSnapshotMessage(listener: (message: SnapshotMessage) => void): () => void;
};

/** The bridge the components get, stream decoded; the subscription returns its unsubscribe. */
export type InstancesApi = BridgeCalls & {
  onSnapshot(listener: (snapshot: ViewSnapshot) => void): () => void;
};

/**
 * Builds the calls from the table: `send(name, arg)` is the one way each side
 * carries a call (IPC invoke in the preload, a socket frame in the browser).
 * Only the first argument is passed on, so what arrives is what the row's
 * schema is checked against.
 */
export function bridgeCalls(send: (name: BridgeName, arg: unknown) => Promise<unknown>): BridgeCalls {
  return Object.fromEntries(BRIDGE_NAMES.map((name) => [name, (arg?: unknown) => send(name, arg)])) as unknown as BridgeCalls;
}
