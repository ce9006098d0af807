/**
 * The shapes that cross between the app's core (Electron main, or the browser
 * shell) and the renderer: the snapshot and the settings. The calls that carry
 * them are the bridge table, `bridge.ts`.
 */
import { z } from 'zod';
import type { InstancesSnapshot } from '../client/view-state.js';
import type { StatusThresholds } from '../presence/status.js';
import type { GatewaySource } from '../settings/schema.js';

export { SettingsUpdateSchema, type PublicSettings, type PublicGateway, type SettingsUpdate, type SaveResult } from '../settings/schema.js';

/** One gateway as the window sees it: its session's snapshot, named and coloured, with its clock. */
export interface GatewayView extends InstancesSnapshot {
  /** Stable within this app: `builtin`, `env`, `openclaw-config`, or the id Settings gave it. */
  readonly id: string;
  readonly name: string;
  /** The name has the gateway's host in it (made from its URL, or typed so): *Hide hosts & IPs* blurs it. */
  readonly nameShowsAddress: boolean;
  /** `#rrggbb`: the gateway's chip. */
  readonly colour: string;
  readonly source: GatewaySource;
  /** The core's best estimate of this gateway's time when the snapshot was made. */
  readonly gatewayNowMs: number;
  readonly statusThresholds: StatusThresholds;
}

/** What the window shows: every gateway the core watches, in the user's order (issue 14). */
export interface ViewSnapshot {
  readonly gateways: readonly GatewayView[];
  readonly self: { readonly instanceId: string; readonly deviceId: string };
  readonly statusThresholds: StatusThresholds;
}

/** A machine key as the bridge accepts it (see shared/view/machines.ts). */
export const MachineKeySchema = z.string().min(3).max(300);
