/**
 * The `system-event` beacon our client sends: host, IP, idle time, version,
 * platform, device family and model, plus the legacy `Node: …` text line (the
 * real gateway requires `text`, and queues any text not starting with `Node:`
 * into the agent's session).
 */
import { CLEAR_LAST_INPUT_TAG } from '../../shared/protocol/constants.js';
import type { SystemEventParams } from '../../shared/protocol/frames.js';
import { withoutUndefined } from '../../shared/presence/entry.js';
import { formatLegacyText } from '../../shared/presence/legacy-text.js';
import type { HostInfo } from '../system/host-info.js';
import { BEACON_MODE } from './client-profile.js';

export interface BeaconInputs {
  readonly instanceId: string;
  readonly deviceId: string;
  readonly host: HostInfo;
  readonly version: string;
  /** Seconds since the last keyboard or mouse input; undefined when the OS can't tell. */
  readonly idleSeconds: number | undefined;
  /** The user's choice to share activity (idle time) with the gateway. */
  readonly shareActivity: boolean;
  readonly reason: string;
}

export function buildBeacon(i: BeaconInputs): SystemEventParams {
  const idle = i.idleSeconds;
  // Only a real reading is sent: never a guess, never a negative or fractional number.
  const lastInputSeconds = i.shareActivity && idle !== undefined && Number.isFinite(idle) && idle >= 0 ? Math.floor(idle) : undefined;
  const text = formatLegacyText({ host: i.host.host, ip: i.host.ip, version: i.version, lastInputSeconds, mode: BEACON_MODE, reason: i.reason });
  return withoutUndefined({
    text,
    deviceId: i.deviceId,
    instanceId: i.instanceId,
    host: i.host.host,
    ip: i.host.ip,
    version: i.version,
    platform: i.host.platform,
    deviceFamily: i.host.deviceFamily,
    modelIdentifier: i.host.modelIdentifier,
    mode: BEACON_MODE,
    reason: i.reason,
    lastInputSeconds,
    // Tells the gateway to forget an idle time we shared before the user turned sharing off.
    tags: i.shareActivity ? undefined : [CLEAR_LAST_INPUT_TAG],
  });
}
