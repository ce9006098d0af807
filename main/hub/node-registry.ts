/**
 * Nodes the built-in gateway has seen: every connection with `role: "node"`,
 * remembered across restarts in the gateway's data folder (`nodes.json`), so
 * `node.list` can say "offline, last seen 3 h ago" for a node that is gone.
 *
 * The rules (what a node looks like in `node.list`) are pure functions at the
 * bottom; the class is the stateful shell: live connections, the clock, and
 * the file. Shapes follow the real gateway 2026.9.6's node catalog.
 */
import path from 'node:path';
import { z } from 'zod';
import { moveAside, readPrivateText, writePrivateJson } from '../system/data-files.js';
import type { Clock } from './presence-store.js';

const NODES_FILE = 'nodes.json';
/** Remembered nodes beyond this are forgotten, least recently seen first. */
export const MAX_REMEMBERED_NODES = 1000;

/** Host figures a node host reports (`node.event` `node.host.stats`), as the real gateway validates them. */
export const NodeHostStatsSchema = z
  .strictObject({
    cpuCount: z.number().int().min(1).max(4096),
    loadAverage: z.tuple([z.number().min(0).max(1e5), z.number().min(0).max(1e5), z.number().min(0).max(1e5)]).optional(),
    memoryTotalBytes: z.number().int().min(0),
    memoryFreeBytes: z.number().int().min(0),
    diskTotalBytes: z.number().int().min(0).optional(),
    diskAvailableBytes: z.number().int().min(0).optional(),
  })
  .refine(
    (s) => s.memoryFreeBytes <= s.memoryTotalBytes && (s.diskTotalBytes === undefined ? s.diskAvailableBytes === undefined : s.diskAvailableBytes !== undefined && s.diskAvailableBytes <= s.diskTotalBytes),
    'free resources must not exceed totals and disk values must be paired',
  );
export type NodeHostStats = z.infer<typeof NodeHostStatsSchema> & { readonly updatedAtMs: number };

const text = (max: number) => z.string().min(1).max(max);
const RememberedNodeSchema = z.object({
  nodeId: text(256),
  displayName: text(256).optional(),
  platform: text(128).optional(),
  version: text(64).optional(),
  clientId: text(128).optional(),
  clientMode: text(64).optional(),
  deviceFamily: text(64).optional(),
  modelIdentifier: text(128).optional(),
  remoteIp: text(128).optional(),
  caps: z.array(text(256)).max(512),
  commands: z.array(text(256)).max(512),
  pairedAtMs: z.number().int().nonnegative(),
  lastConnectedAtMs: z.number().int().nonnegative().optional(),
  lastDisconnectedAtMs: z.number().int().nonnegative().optional(),
  lastSeenAtMs: z.number().int().nonnegative().optional(),
  lastSeenReason: text(64).optional(),
  lastHostStats: z.intersection(NodeHostStatsSchema, z.object({ updatedAtMs: z.number().int().nonnegative() })).optional(),
});
export type RememberedNode = z.infer<typeof RememberedNodeSchema>;
const NodesFileSchema = z.object({ version: z.literal(1), nodes: z.array(RememberedNodeSchema).max(MAX_REMEMBERED_NODES) });

/** What a node's `connect` told us. */
export interface NodeConnectInfo {
  readonly nodeId: string;
  readonly connId: string;
  readonly displayName?: string;
  readonly platform: string;
  readonly version: string;
  readonly clientId: string;
  readonly clientMode: string;
  readonly deviceFamily?: string;
  readonly modelIdentifier?: string;
  readonly remoteIp?: string;
  readonly caps: readonly string[];
  readonly commands: readonly string[];
  readonly permissions?: Readonly<Record<string, boolean>>;
  readonly pathEnv?: string;
}

interface LiveNode {
  readonly connIds: Set<string>;
  connectedAtMs: number;
  hostStats?: NodeHostStats;
  permissions?: Readonly<Record<string, boolean>>;
  pathEnv?: string;
}

/** One entry of `node.list`, in the real gateway 2026.9.6's shape (fields it can fill). */
export interface NodeListEntry {
  readonly nodeId: string;
  readonly displayName?: string;
  readonly platform?: string;
  readonly version?: string;
  readonly clientId?: string;
  readonly clientMode?: string;
  readonly deviceFamily?: string;
  readonly modelIdentifier?: string;
  readonly remoteIp?: string;
  readonly caps: string[];
  readonly commands: string[];
  /** Whether the node hosts agent sessions for this gateway: never here. */
  readonly sessionHost: boolean;
  readonly hostStats?: NodeHostStats;
  readonly pathEnv?: string;
  readonly permissions?: Readonly<Record<string, boolean>>;
  /**
   * Our gateway runs no node commands, so it approves none: "unapproved". The
   * real gateway says "pending-approval" until `openclaw nodes approve`.
   */
  readonly approvalState: 'approved' | 'pending-approval' | 'pending-reapproval' | 'unapproved';
  readonly connectedAtMs?: number;
  readonly lastConnectedAtMs?: number;
  readonly lastDisconnectedAtMs?: number;
  readonly lastSeenAtMs?: number;
  readonly lastSeenReason?: string;
  readonly approvedAtMs?: number;
  readonly paired: boolean;
  readonly connected: boolean;
}

/** Pure: one node as `node.list` shows it, from what is remembered and what is live. */
export function nodeListEntry(node: RememberedNode, live: LiveNode | undefined): NodeListEntry {
  const hostStats = live ? live.hostStats : node.lastHostStats;
  const entry: NodeListEntry = {
    nodeId: node.nodeId,
    displayName: node.displayName,
    platform: node.platform,
    version: node.version,
    clientId: node.clientId,
    clientMode: node.clientMode,
    deviceFamily: node.deviceFamily,
    modelIdentifier: node.modelIdentifier,
    remoteIp: node.remoteIp,
    // The approved command surface, as on the real gateway: we approve none, so none is listed
    // (the real one also lists [] until `openclaw nodes approve`). What was declared is kept.
    caps: [],
    commands: [],
    sessionHost: false,
    ...(hostStats ? { hostStats } : {}),
    pathEnv: live?.pathEnv,
    permissions: live?.permissions,
    approvalState: 'unapproved',
    connectedAtMs: live?.connectedAtMs,
    lastConnectedAtMs: node.lastConnectedAtMs,
    // Like the real catalog: a live node has no "last disconnected".
    lastDisconnectedAtMs: live ? undefined : node.lastDisconnectedAtMs,
    lastSeenAtMs: node.lastSeenAtMs,
    lastSeenReason: node.lastSeenReason,
    // A node whose device proved itself with the gateway's secret is paired (as on loopback there).
    paired: true,
    connected: live !== undefined,
  };
  return Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined)) as unknown as NodeListEntry;
}

/** Pure: connected first, then by name, then id (the real catalog's order). */
export function compareNodes(a: NodeListEntry, b: NodeListEntry): number {
  if (a.connected !== b.connected) return a.connected ? -1 : 1;
  const an = (a.displayName ?? a.nodeId).toLowerCase();
  const bn = (b.displayName ?? b.nodeId).toLowerCase();
  return an < bn ? -1 : an > bn ? 1 : a.nodeId.localeCompare(b.nodeId);
}

export class NodeRegistry {
  readonly #remembered = new Map<string, RememberedNode>();
  readonly #live = new Map<string, LiveNode>();
  readonly #file?: string;

  constructor(
    dataDir: string | undefined,
    private readonly clock: Clock,
    private readonly log: (line: string) => void = () => {},
  ) {
    this.#file = dataDir === undefined ? undefined : path.join(dataDir, NODES_FILE);
    this.#load();
  }

  /** A node connected (one of possibly several connections of the same node). */
  connected(info: NodeConnectInfo): void {
    const now = this.clock();
    const before = this.#remembered.get(info.nodeId);
    this.#remembered.set(info.nodeId, {
      ...before,
      nodeId: info.nodeId,
      displayName: info.displayName ?? before?.displayName,
      platform: info.platform,
      version: info.version,
      clientId: info.clientId,
      clientMode: info.clientMode,
      deviceFamily: info.deviceFamily ?? before?.deviceFamily,
      modelIdentifier: info.modelIdentifier ?? before?.modelIdentifier,
      remoteIp: info.remoteIp ?? before?.remoteIp,
      caps: [...info.caps],
      commands: [...info.commands],
      pairedAtMs: before?.pairedAtMs ?? now,
      lastConnectedAtMs: now,
      lastSeenAtMs: now,
      lastSeenReason: 'connect',
    });
    const live = this.#live.get(info.nodeId);
    if (live) live.connIds.add(info.connId);
    else this.#live.set(info.nodeId, { connIds: new Set([info.connId]), connectedAtMs: now });
    const current = this.#live.get(info.nodeId)!;
    current.permissions = info.permissions;
    current.pathEnv = info.pathEnv;
    this.#save();
  }

  /** A node's connection closed; returns true when it was the node's last one (the node is now offline). */
  disconnected(nodeId: string, connId: string): boolean {
    const live = this.#live.get(nodeId);
    if (!live?.connIds.delete(connId)) return false;
    if (live.connIds.size > 0) return false;
    this.#live.delete(nodeId);
    const now = this.clock();
    const node = this.#remembered.get(nodeId);
    if (node) {
      this.#remembered.set(nodeId, { ...node, lastDisconnectedAtMs: now, lastSeenAtMs: now, lastSeenReason: 'disconnect', lastHostStats: live.hostStats ?? node.lastHostStats });
      this.#save();
    }
    return true;
  }

  /** Host figures from a connected node; kept so an offline node still shows its last ones. */
  hostStats(nodeId: string, stats: z.infer<typeof NodeHostStatsSchema>): void {
    const live = this.#live.get(nodeId);
    const node = this.#remembered.get(nodeId);
    if (!live || !node) return;
    live.hostStats = { ...stats, updatedAtMs: this.clock() };
    this.#remembered.set(nodeId, { ...node, lastHostStats: live.hostStats });
    this.#save();
  }

  list(): NodeListEntry[] {
    return [...this.#remembered.values()].map((n) => nodeListEntry(n, this.#live.get(n.nodeId))).sort(compareNodes);
  }

  #load(): void {
    if (!this.#file) return;
    let raw: string | undefined;
    try {
      raw = readPrivateText(this.#file);
    } catch (err) {
      this.log(`could not read ${this.#file}: ${(err as Error).message}; nodes are not remembered this run`);
      return;
    }
    if (raw === undefined) return;
    try {
      for (const node of NodesFileSchema.parse(JSON.parse(raw)).nodes) this.#remembered.set(node.nodeId, node);
    } catch (err) {
      moveAside(this.#file, (err as Error).message.slice(0, 200), this.log);
    }
  }

  #save(): void {
    if (!this.#file) return;
    let nodes = [...this.#remembered.values()];
    if (nodes.length > MAX_REMEMBERED_NODES) {
      nodes = nodes.sort((a, b) => (b.lastSeenAtMs ?? 0) - (a.lastSeenAtMs ?? 0)).slice(0, MAX_REMEMBERED_NODES);
      this.#remembered.clear();
      for (const n of nodes) this.#remembered.set(n.nodeId, n);
    }
    try {
      writePrivateJson(this.#file, { version: 1, nodes });
    } catch (err) {
      // Presence must keep working even when the disk doesn't; the next change tries again.
      this.log(`could not save ${this.#file}: ${(err as Error).message}`);
    }
  }
}
