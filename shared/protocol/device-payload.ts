/**
 * The strings a device signs to prove its identity at `connect`.
 *
 * v3: `v3|deviceId|clientId|clientMode|role|scopes|signedAtMs|token|nonce|platform|deviceFamily`,
 * with platform and device family trimmed and lower-cased (ASCII only, as the
 * real gateway does), scopes comma-joined, and an absent token as "".
 * v2 (the Control UI 2026.9.6 still signs it): the same without platform and
 * device family: `v2|deviceId|clientId|clientMode|role|scopes|signedAtMs|token|nonce`.
 * A gateway tries v3, then v2, like the real one.
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

function commonFields(fields: DevicePayloadFields): string[] {
  return [
    fields.deviceId,
    fields.clientId,
    fields.clientMode,
    fields.role,
    fields.scopes.join(','),
    String(fields.signedAtMs),
    fields.token ?? '',
    fields.nonce,
  ];
}

export function buildDevicePayloadV3(fields: DevicePayloadFields): string {
  return ['v3', ...commonFields(fields), normalizeMetadata(fields.platform), normalizeMetadata(fields.deviceFamily)].join('|');
}

export function buildDevicePayloadV2(fields: DevicePayloadFields): string {
  return ['v2', ...commonFields(fields)].join('|');
}
