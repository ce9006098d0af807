/**
 * How our client introduces itself at `connect`.
 *
 * Client id: the real gateway accepts only ids from a fixed set; the desktop
 * apps' own ids fit (`openclaw-macos`, `openclaw-linux`); Windows has none, so
 * `gateway-client`.
 *
 * Mode: measured against the real gateway 2026.9.6, a `ui` connection gets a
 * row keyed by its connection id (a new row on every reconnect, left behind as
 * `reason: disconnect` until the 5-minute TTL) besides the row its beacons make,
 * so one app shows as two or more rows. A `backend` connection gets no connect
 * row, and its beacons (keyed by the device id) make exactly one row that
 * survives reconnects. So we connect as `backend` and say `mode: "ui"` in the
 * beacon, which is what the row shows. `presenceMode: 'connect-row'` restores the
 * `ui` connection for gateways that expect it.
 */
import type { ClientId, ClientMode } from '../../shared/protocol/constants.js';

/** `viewer`: a one-off look at the list (`--list`) that must not add a row of its own. */
export type PresenceMode = 'beacon-only' | 'connect-row' | 'viewer';

export function clientIdFor(presenceMode: PresenceMode, platform: NodeJS.Platform): ClientId {
  if (presenceMode === 'viewer') return 'cli';
  if (platform === 'darwin') return 'openclaw-macos';
  if (platform === 'linux') return 'openclaw-linux';
  return 'gateway-client';
}

export function connectModeFor(presenceMode: PresenceMode): ClientMode {
  if (presenceMode === 'viewer') return 'cli';
  return presenceMode === 'beacon-only' ? 'backend' : 'ui';
}

/** The mode our row shows: a desktop app with a window. */
export const BEACON_MODE = 'ui';
