/**
 * The legacy one-line presence text:
 * `Node: <host> (<ip>) · app <version> · last input <n>s ago · mode <mode> · reason <reason>`.
 *
 * Old clients send only this line; the real gateway also requires every
 * `system-event` to carry a non-blank `text`, and queues any text that does not
 * start with `Node:` into the agent's session. So we parse it on the way in and
 * always write it on the way out.
 */
export interface LegacyFields {
  readonly host?: string;
  readonly ip?: string;
  readonly version?: string;
  readonly lastInputSeconds?: number;
  readonly mode?: string;
  readonly reason?: string;
}

const SEPARATOR = ' · ';

/** Parses the fields that are present; segments may be missing or reordered. */
export function parseLegacyText(text: string): LegacyFields {
  const trimmed = text.trim();
  const head = /^(?:Node|Gateway):\s*([^\s(·]+)(?:\s*\(([^)]*)\))?/i.exec(trimmed);
  if (!head) return {};
  const fields: { -readonly [K in keyof LegacyFields]: LegacyFields[K] } = {};
  const host = head[1]?.trim();
  if (host && host.toLowerCase() !== 'unknown') fields.host = host;
  const ip = head[2]?.trim();
  if (ip) fields.ip = ip;
  for (const segment of trimmed.slice(head[0].length).split('·')) {
    const part = segment.trim();
    let m: RegExpExecArray | null;
    if ((m = /^app\s+(.+)$/i.exec(part))) fields.version = m[1]!.trim();
    else if ((m = /^last input\s+(\d+)\s*s ago$/i.exec(part))) fields.lastInputSeconds = Number.parseInt(m[1]!, 10);
    else if ((m = /^mode\s+(.+)$/i.exec(part))) fields.mode = m[1]!.trim();
    else if ((m = /^reason\s+(.+)$/i.exec(part))) fields.reason = m[1]!.trim();
  }
  return fields;
}

/** Writes the line; segments whose value is unknown are left out, never invented. */
export function formatLegacyText(fields: LegacyFields, prefix: 'Node' | 'Gateway' = 'Node'): string {
  const host = fields.host?.trim() || 'unknown';
  const parts = [`${prefix}: ${host}${fields.ip ? ` (${fields.ip})` : ''}`];
  if (fields.version) parts.push(`app ${fields.version}`);
  if (fields.lastInputSeconds !== undefined) parts.push(`last input ${Math.floor(fields.lastInputSeconds)}s ago`);
  if (fields.mode) parts.push(`mode ${fields.mode}`);
  if (fields.reason) parts.push(`reason ${fields.reason}`);
  return parts.join(SEPARATOR);
}
