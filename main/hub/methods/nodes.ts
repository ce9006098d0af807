/**
 * `node.list` (operators: the nodes this gateway knows, online or not) and
 * `node.event` (nodes: events they publish; `node.host.stats` is kept, the
 * rest acknowledged as unhandled, as the real gateway does for unknown events).
 */
import { z } from 'zod';
import { METHOD_SCOPES } from '../../../shared/protocol/constants.js';
import { NodeHostStatsSchema } from '../node-registry.js';
import { defineMethod, MethodError, type MethodDef } from './types.js';

export const NODE_HOST_STATS_EVENT = 'node.host.stats';

const NodeEventParamsSchema = z.strictObject({
  event: z.string().trim().min(1).max(256),
  payload: z.unknown().optional(),
  payloadJSON: z.string().max(256 * 1024).nullable().optional(),
});

function eventPayload(params: z.infer<typeof NodeEventParamsSchema>): unknown {
  if (params.payload !== undefined) return params.payload;
  if (typeof params.payloadJSON !== 'string') return undefined;
  try {
    return JSON.parse(params.payloadJSON) as unknown;
  } catch {
    throw new MethodError('INVALID_REQUEST', `invalid node.event payloadJSON for ${params.event}`);
  }
}

export const nodeMethods = {
  'node.list': defineMethod({
    scope: METHOD_SCOPES['node.list'],
    params: z.strictObject({}).optional(),
    handle: (ctx) => ({ ts: ctx.clock(), nodes: ctx.nodes.list() }),
  }),
  'node.event': defineMethod({
    scope: METHOD_SCOPES['node.event'],
    params: NodeEventParamsSchema,
    handle: (ctx, params) => {
      const nodeId = ctx.caller.deviceId;
      if (params.event !== NODE_HOST_STATS_EVENT || !nodeId) return { ok: true, event: params.event, handled: false };
      const stats = NodeHostStatsSchema.safeParse(eventPayload(params));
      if (!stats.success) throw new MethodError('INVALID_REQUEST', `invalid ${NODE_HOST_STATS_EVENT} payload: ${stats.error.issues[0]?.message ?? 'bad shape'}`);
      ctx.nodes.hostStats(nodeId, stats.data);
      return { ok: true, event: params.event, handled: true };
    },
  }),
} satisfies Record<string, MethodDef>;
