/** `system-presence` (the list) and `system-event` (a beacon). */
import { z } from 'zod';
import { METHOD_SCOPES } from '../../../shared/protocol/constants.js';
import { SystemEventParamsSchema } from '../../../shared/protocol/frames.js';
import { defineMethod, type MethodDef } from './types.js';

export const presenceMethods = {
  // The real gateway takes no params here; a client that sends some ({} or stray keys) is still answered.
  'system-presence': defineMethod({
    scope: METHOD_SCOPES['system-presence'],
    params: z.unknown(),
    handle: (ctx) => ctx.store.list(),
  }),
  'system-event': defineMethod({
    scope: METHOD_SCOPES['system-event'],
    params: SystemEventParamsSchema,
    handle: (ctx, params) => {
      ctx.store.beacon(params, `conn:${ctx.caller.connId}`);
      return { ok: true };
    },
  }),
} satisfies Record<string, MethodDef>;
