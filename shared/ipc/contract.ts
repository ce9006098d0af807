/**
 * The shapes that cross between the app's core (Electron main, or the browser
 * shell) and the renderer: the snapshot and the settings. The calls that carry
 * them are the bridge table, `bridge.ts`.
 */
import { z } from 'zod';
import type { InstancesSnapshot } from '../client/view-state.js';
import type { StatusThresholds } from '../presence/status.js';

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

/** A machine key as the bridge accepts it (see shared/view/machines.ts). */
export const MachineKeySchema = z.string().min(3).max(300);
