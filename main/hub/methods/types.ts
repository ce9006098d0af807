/**
 * The shape of one gateway method: the scope it needs, the schema its params
 * must pass, and the handler. Every method of the hub is one row of the table
 * in `./index.ts`; the server reads only that table.
 */
import type { z } from 'zod';
import type { MethodScope, Role } from '../../../shared/protocol/constants.js';
import type { NodeRegistry } from '../node-registry.js';
import type { Clock, PresenceStore } from '../presence-store.js';

/** What a handler may know about the connection that called it. */
export interface CallerInfo {
  readonly connId: string;
  readonly role: Role;
  readonly scopes: readonly string[];
  /** The proven device, for nodes their node id. */
  readonly deviceId?: string;
}

/** What a handler may know about the gateway itself. */
export interface GatewayFacts {
  readonly version: string;
  readonly instanceId: string;
  /** A new id per process start (the real gateway's `processInstanceId`). */
  readonly processInstanceId: string;
  readonly startedAtMs: number;
  readonly port: number;
  readonly dataDir?: string;
  readonly tickIntervalMs: number;
}

export interface MethodContext {
  readonly caller: CallerInfo;
  readonly gateway: GatewayFacts;
  readonly store: PresenceStore;
  readonly nodes: NodeRegistry;
  readonly clock: Clock;
}

/** A refusal a handler wants the caller to read; anything else thrown is a bug and answers UNAVAILABLE. */
export class MethodError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'MethodError';
  }
}

export interface MethodDef<P = unknown> {
  readonly scope: MethodScope;
  readonly params: z.ZodType<P>;
  readonly handle: (ctx: MethodContext, params: P) => unknown;
}

/** Keeps each row's params and handler types tied together while the table holds many. */
export function defineMethod<P>(def: MethodDef<P>): MethodDef<unknown> {
  return def as MethodDef<unknown>;
}
