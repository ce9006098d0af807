/** `system-presence` (the list) and `system-event` (a beacon). */
import { z } from 'zod';
import { ERROR_CODES, METHOD_SCOPES } from '../../../shared/protocol/constants.js';
import { SystemEventParamsSchema } from '../../../shared/protocol/frames.js';
import { MethodError, defineMethod, type MethodDef } from './types.js';

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
      // A connection writes only its own device's row (issue 12, V7; see admitBeacon).
      const written = ctx.store.beacon(params, { deviceId: ctx.caller.deviceId, fallbackKey: `conn:${ctx.caller.connId}` });
      if (!written.ok) throw new MethodError(ERROR_CODES.forbidden, written.message, { code: written.code });
      return { ok: true };
    },
  }),
} satisfies Record<string, MethodDef>;
