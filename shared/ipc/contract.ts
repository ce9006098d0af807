/**
 * The one contract between the app's core (Electron main, or the browser shell)
 * and the renderer: the bridge API, its channel names, and the settings shapes.
 * Written once; the preload, the IPC handlers and the browser shell all follow it.
 */
import { z } from 'zod';
import type { InstancesSnapshot } from '../client/view-state.js';
import type { StatusThresholds } from '../presence/status.js';
import type { SnapshotMessage } from './snapshot-stream.js';
import type { MachineHistory } from '../client/machine-history.js';

/** Settings as the renderer may see them: the secret itself never comes back. */
export interface PublicSettings {
  /** Empty: use the built-in local gateway. */
  readonly gatewayUrl: string;
  readonly authKind: 'token' | 'password';
  readonly hasSecret: boolean;
  /** Where the secret is kept: the OS keychain, or a 0600 file where none exists. */
  readonly secretStorage: 'os-keychain' | 'file';
  readonly beaconIntervalSeconds: number;
  readonly shareActivity: boolean;
  /** Where the gateway in use came from. */
  readonly gatewaySource: 'embedded' | 'settings' | 'environment' | 'openclaw-config';
}

export const SettingsUpdateSchema = z.strictObject({
  gatewayUrl: z.string().max(2048).optional(),
  authKind: z.enum(['token', 'password']).optional(),
  /** A new secret; `null` clears it; absent keeps the saved one. */
  secret: z.string().max(4096).nullable().optional(),
  beaconIntervalSeconds: z.number().int().min(10).max(3600).optional(),
  shareActivity: z.boolean().optional(),
});
export type SettingsUpdate = z.infer<typeof SettingsUpdateSchema>;

export type SaveResult = { readonly ok: true; readonly settings: PublicSettings } | { readonly ok: false; readonly error: string };

/** What the renderer shows, plus the core's best estimate of the gateway's time when it was sent. */
export interface ViewSnapshot extends InstancesSnapshot {
  readonly gatewayNowMs: number;
  readonly statusThresholds: StatusThresholds;
}

/** The calls both sides of the bridge share: task-shaped, each a promise. */
export interface BridgeCalls {
  /** The whole snapshot; pushes then continue from it. */
  getSnapshot(): Promise<ViewSnapshot>;
  refresh(): Promise<void>;
  getSettings(): Promise<PublicSettings>;
  saveSettings(update: SettingsUpdate): Promise<SaveResult>;
  /** A machine's last 24 hours from the history database (status changes, host stats). */
  getMachineHistory(machineKey: string): Promise<MachineHistory>;
  /** Drops a machine from history: a Gone row disappears. */
  forgetMachine(machineKey: string): Promise<void>;
}

/** A machine key as the bridge accepts it (see shared/view/machines.ts). */
export const MachineKeySchema = z.string().min(3).max(300);

/**
 * What the preload exposes (and the browser shell's socket mirrors): the calls,
 * plus the raw snapshot stream. The page decodes the stream itself, so entries
 * that didn't change stay the same objects from one update to the next;
 * decoding in the preload would have every update deep-copied across the context
 * bridge, 10,000 entries at a time in a fleet view.
 */
export interface HostBridge extends BridgeCalls {
  onSnapshotMessage(listener: (message: SnapshotMessage) => void): () => void;
}

/** The bridge the components get, stream decoded; the subscription returns its unsubscribe. */
export interface InstancesApi extends BridgeCalls {
  onSnapshot(listener: (snapshot: ViewSnapshot) => void): () => void;
}

export { IPC, APP_ORIGIN, APP_SCHEME } from './channels.js';

/** Calls the browser shell accepts over its WebSocket (same names as the API). */
export const HOST_CALLS = ['getSnapshot', 'refresh', 'getSettings', 'saveSettings', 'getMachineHistory', 'forgetMachine'] as const;
export type HostCall = (typeof HOST_CALLS)[number];

export const HostRequestSchema = z.strictObject({
  type: z.literal('call'),
  id: z.number().int().nonnegative(),
  method: z.enum(HOST_CALLS),
  arg: z.unknown().optional(),
});
