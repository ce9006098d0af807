/**
 * Presence keys: which field names an entry, and how keys compare.
 *
 * Keys are trimmed and case-insensitive, so `Mac-Studio` and ` mac-studio `
 * are one entry; precedence is deviceId, instanceId, host, ip, then the first
 * 64 characters of `text` (OpenClaw's presence rules).
 */
export function normalizePresenceKey(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  return trimmed === '' ? undefined : trimmed.toLowerCase();
}

export interface KeySource {
  readonly deviceId?: string;
  readonly instanceId?: string;
  readonly host?: string;
  readonly ip?: string;
  readonly text?: string;
}

/** The key an entry is stored under, or undefined when nothing identifies it. */
export function presenceKeyFor(source: KeySource): string | undefined {
  return (
    normalizePresenceKey(source.deviceId) ??
    normalizePresenceKey(source.instanceId) ??
    normalizePresenceKey(source.host) ??
    normalizePresenceKey(source.ip) ??
    normalizePresenceKey(source.text?.trim().slice(0, 64))
  );
}

/** Keys unique within one list: the first keeps its key, repeats become `key#2`, `key#3`, … */
export function uniqueKeys<T>(items: readonly T[], keyOf: (item: T, index: number) => string): string[] {
  const seen = new Map<string, number>();
  return items.map((item, index) => {
    const base = keyOf(item, index);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}#${n}`;
  });
}

/**
 * The keys of a list's entries, unique within the list: the presence key, numbered
 * when it repeats, `#<position>` when nothing identifies an entry. The one row key:
 * the snapshot stream and the tables both use it.
 */
export function listKeys<T extends KeySource>(entries: readonly T[], keyOf: (entry: T) => string | undefined = presenceKeyFor): readonly string[] {
  if (keyOf === presenceKeyFor) {
    const known = knownListKeys.get(entries);
    if (known) return known;
  }
  return uniqueKeys(entries, (e, i) => keyOf(e) ?? `#${i}`);
}

// Lists whose keys are already known: the window's stream decoder receives them with the
// list, and the tables would otherwise work out 10,000 keys again on every update.
const knownListKeys = new WeakMap<readonly unknown[], readonly string[]>();

/** Records `keys` as `listKeys(entries)` (the caller vouches for it: they came with the list). */
export function rememberListKeys(entries: readonly KeySource[], keys: readonly string[]): void {
  if (keys.length === entries.length) knownListKeys.set(entries, keys);
}
