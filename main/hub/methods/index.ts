/**
 * Every method the built-in gateway serves, in one table: name → scope,
 * params schema, handler. The server dispatches through it and advertises its
 * keys in `hello-ok`; scopes come from `shared/protocol/constants.ts`, where
 * the client reads them too. A method not in this table is `UNKNOWN_METHOD`.
 */
import { GATEWAY_METHODS, type GatewayMethod } from '../../../shared/protocol/constants.js';
import { livenessMethods } from './liveness.js';
import { nodeMethods } from './nodes.js';
import { presenceMethods } from './presence.js';
import { systemInfoMethods } from './system-info.js';
import type { MethodDef } from './types.js';

export const METHOD_TABLE: Readonly<Record<GatewayMethod, MethodDef>> = {
  ...presenceMethods,
  ...livenessMethods,
  ...systemInfoMethods,
  ...nodeMethods,
};

export function lookupMethod(name: string): MethodDef | undefined {
  return Object.hasOwn(METHOD_TABLE, name) ? METHOD_TABLE[name as GatewayMethod] : undefined;
}

/** Method names in the order `hello-ok` advertises them. */
export const ADVERTISED_METHODS: readonly string[] = GATEWAY_METHODS;
