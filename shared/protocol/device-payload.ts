/**
 * The string a device signs to prove its identity at `connect` (payload v3).
 *
 * `v3|deviceId|clientId|clientMode|role|scopes|signedAtMs|token|nonce|platform|deviceFamily`,
 * with platform and device family trimmed and lower-cased (ASCII only, as the
 * real gateway does), scopes comma-joined, and an absent token as "".
 */
export interface DevicePayloadFields {
  readonly deviceId: string;
  readonly clientId: string;
  readonly clientMode: string;
  readonly role: string;
  readonly scopes: readonly string[];
  readonly signedAtMs: number;
  readonly token?: string;
  readonly nonce: string;
  readonly platform?: string;
  readonly deviceFamily?: string;
}

function normalizeMetadata(value: string | undefined): string {
  return (value ?? '').trim().replace(/[A-Z]/g, (c) => c.toLowerCase());
}

export function buildDevicePayloadV3(fields: DevicePayloadFields): string {
  return [
    'v3',
    fields.deviceId,
    fields.clientId,
    fields.clientMode,
    fields.role,
    fields.scopes.join(','),
    String(fields.signedAtMs),
    fields.token ?? '',
    fields.nonce,
    normalizeMetadata(fields.platform),
    normalizeMetadata(fields.deviceFamily),
  ].join('|');
}
