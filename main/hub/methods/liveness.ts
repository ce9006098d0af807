/**
 * `health`, `status`, `last-heartbeat` and `wake`: what `openclaw health`,
 * `openclaw status`, `openclaw gateway probe` and `openclaw system event` call.
 *
 * Each answers in the real gateway 2026.9.6's shape, filled honestly for a
 * presence-only gateway: no plugins, no channels, no agents, no sessions, no
 * heartbeat runs, no tasks. A `wake` gets the real answer `{ok: true}`, but
 * wakes nothing and keeps nothing: there is no agent here to deliver it to.
 */
import { z } from 'zod';
import { METHOD_SCOPES } from '../../../shared/protocol/constants.js';
import { defineMethod, type MethodContext, type MethodDef } from './types.js';

const EMPTY_SESSIONS = { path: '', count: 0, recent: [] as never[] };

/** The health snapshot: also sent in `hello-ok`'s `snapshot.health`. */
export function healthSnapshot(ctx: Pick<MethodContext, 'clock'>, startedAtMs = ctx.clock()): Record<string, unknown> {
  const ts = ctx.clock();
  return {
    ok: true,
    ts,
    durationMs: Math.max(0, Math.round(ts - startedAtMs)),
    plugins: { loaded: [], errors: [] },
    channels: {},
    channelOrder: [],
    channelLabels: {},
    agents: [],
    sessions: EMPTY_SESSIONS,
  };
}

// Params the real CLI sends (`{probe: true}` for a deep check, a timeout); others are refused, the object stays closed.
const HealthParamsSchema = z.strictObject({ probe: z.boolean().optional(), timeoutMs: z.number().int().nonnegative().optional() }).optional();
const StatusParamsSchema = z
  .strictObject({ includeChannelSummary: z.boolean().optional(), probe: z.boolean().optional(), timeoutMs: z.number().int().nonnegative().optional() })
  .optional();

/** `wake` params as the real gateway's `WakeParams` (an open object: extra keys are allowed there too). */
const WakeParamsSchema = z.looseObject({
  mode: z.enum(['now', 'next-heartbeat']),
  text: z.string().trim().min(1).max(16 * 1024),
  sessionKey: z.string().min(1).max(512).optional(),
  agentId: z.string().min(1).max(256).optional(),
});

export const livenessMethods = {
  health: defineMethod({
    scope: METHOD_SCOPES.health,
    params: HealthParamsSchema,
    handle: (ctx) => healthSnapshot(ctx, ctx.clock()),
  }),
  status: defineMethod({
    scope: METHOD_SCOPES.status,
    params: StatusParamsSchema,
    handle: (ctx) => ({
      runtimeVersion: ctx.gateway.version,
      heartbeat: { agents: [] },
      channelSummary: [],
      queuedSystemEvents: [],
      tasks: { total: 0, active: 0, terminal: 0, failures: 0, byStatus: {}, byRuntime: {} },
      sessions: { paths: [], count: 0, defaults: { model: null, contextTokens: null }, recent: [], byAgent: [] },
    }),
  }),
  // No heartbeat ever runs here: the real gateway answers null until its first one.
  'last-heartbeat': defineMethod({
    scope: METHOD_SCOPES['last-heartbeat'],
    params: z.unknown(),
    handle: () => null,
  }),
  wake: defineMethod({
    scope: METHOD_SCOPES.wake,
    params: WakeParamsSchema,
    handle: () => ({ ok: true }),
  }),
} satisfies Record<string, MethodDef>;
