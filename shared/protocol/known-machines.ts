/**
 * What a gateway knows beyond presence, read at the edge: `node.list` (paired
 * and pending nodes, connected or not) and `system.info` (the gateway host's
 * own load, memory and disk).
 *
 * The shapes follow the real gateway 2026.9.6 (its `server-methods/nodes.read`
 * and `system.info` handlers): open objects, since a newer gateway adds fields.
 * Strings and arrays are bounded and numbers must be finite, so a hostile or
 * broken gateway can't hand the window megabytes or NaN. A bad node is dropped
 * on its own (counted), never the whole list; only the fields the view uses are
 * kept (not `caps`, `commands`, `permissions`, which can be large).
 */
import { z } from 'zod';
import type { HostStats, KnownNode } from '../client/view-state.js';

/** More nodes than any real fleet; beyond it the list is refused rather than truncated silently. */
export const MAX_KNOWN_NODES = 10_000;

const Str = z.string().max(256);
const LongStr = z.string().max(1024);
const Ms = z.number().finite().nonnegative();
const Count = z.number().finite().nonnegative();

/** `hostStats` in `node.list`, and the same figures in `system.info`. */
const HostStatsSchema = z.looseObject({
  cpuCount: Count.optional(),
  loadAverage: z.array(z.number().finite().nonnegative()).max(3).optional(),
  memoryTotalBytes: Count.optional(),
  memoryFreeBytes: Count.optional(),
  diskTotalBytes: Count.optional(),
  diskAvailableBytes: Count.optional(),
  updatedAtMs: Ms.optional(),
});

const KnownNodeSchema = z.looseObject({
  nodeId: z.string().trim().min(1).max(256),
  displayName: Str.optional(),
  platform: Str.optional(),
  version: Str.optional(),
  clientId: Str.optional(),
  clientMode: Str.optional(),
  deviceFamily: Str.optional(),
  modelIdentifier: Str.optional(),
  remoteIp: Str.optional(),
  hostStats: HostStatsSchema.optional(),
  approvalState: Str.optional(),
  pendingRequestId: Str.optional(),
  connectedAtMs: Ms.optional(),
  lastConnectedAtMs: Ms.optional(),
  lastDisconnectedAtMs: Ms.optional(),
  lastSeenAtMs: Ms.optional(),
  lastSeenReason: Str.optional(),
  paired: z.boolean().optional(),
  connected: z.boolean().optional(),
});

const NodeListSchema = z.looseObject({
  ts: Ms.optional(),
  nodes: z.array(z.unknown()).max(MAX_KNOWN_NODES),
});

const SystemInfoSchema = z.looseObject({
  hostname: LongStr.optional(),
  cpuCount: Count.optional(),
  loadAverage: z.array(z.number().finite().nonnegative()).max(3).optional(),
  memoryTotalBytes: Count.optional(),
  memoryFreeBytes: Count.optional(),
  diskTotalBytes: Count.optional(),
  diskAvailableBytes: Count.optional(),
});

const NODE_FIELDS = [
  'displayName',
  'platform',
  'version',
  'clientId',
  'clientMode',
  'deviceFamily',
  'modelIdentifier',
  'remoteIp',
  'approvalState',
  'pendingRequestId',
  'connectedAtMs',
  'lastConnectedAtMs',
  'lastDisconnectedAtMs',
  'lastSeenAtMs',
  'lastSeenReason',
  'paired',
  'connected',
] as const;

const STAT_FIELDS = ['cpuCount', 'loadAverage', 'memoryTotalBytes', 'memoryFreeBytes', 'diskTotalBytes', 'diskAvailableBytes', 'updatedAtMs'] as const;

function pickStats(raw: Record<string, unknown>): HostStats | undefined {
  const out: Record<string, unknown> = {};
  for (const k of STAT_FIELDS) if (raw[k] !== undefined) out[k] = raw[k];
  return Object.keys(out).length ? (out as HostStats) : undefined;
}

export type ParseResult<T> = { readonly ok: true; readonly value: T; readonly dropped: number; readonly firstProblem?: string } | { readonly ok: false; readonly error: string };

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('/') || '(root)'}: ${issue.message}` : 'invalid';
}

/** A `node.list` payload: its nodes, each checked on its own. */
export function parseNodeList(raw: unknown): ParseResult<KnownNode[]> {
  const list = NodeListSchema.safeParse(raw);
  if (!list.success) return { ok: false, error: `not a node list (${firstIssue(list.error)})` };
  const nodes: KnownNode[] = [];
  let dropped = 0;
  let firstProblem: string | undefined;
  for (const item of list.data.nodes) {
    const parsed = KnownNodeSchema.safeParse(item);
    if (!parsed.success) {
      dropped += 1;
      firstProblem ??= firstIssue(parsed.error);
      continue;
    }
    const node: Record<string, unknown> = { nodeId: parsed.data.nodeId };
    for (const k of NODE_FIELDS) if (parsed.data[k] !== undefined) node[k] = parsed.data[k];
    const stats = parsed.data.hostStats ? pickStats(parsed.data.hostStats) : undefined;
    if (stats) node.hostStats = stats;
    nodes.push(node as unknown as KnownNode);
  }
  return { ok: true, value: nodes, dropped, ...(firstProblem ? { firstProblem } : {}) };
}

/**
 * A `system.info` payload as host stats. `readAtMs` (gateway clock) stands in for
 * `updatedAtMs`, which `system.info` doesn't carry: its figures are read live.
 */
export function parseSystemInfo(raw: unknown, readAtMs: number): ParseResult<HostStats> {
  const info = SystemInfoSchema.safeParse(raw);
  if (!info.success) return { ok: false, error: `not a system.info answer (${firstIssue(info.error)})` };
  const stats = pickStats({ ...info.data, updatedAtMs: Number.isFinite(readAtMs) && readAtMs >= 0 ? readAtMs : undefined });
  return stats ? { ok: true, value: stats, dropped: 0 } : { ok: false, error: 'system.info carried no host figures' };
}
