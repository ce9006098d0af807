/**
 * The browser shell's wire (`npm run serve`): the page calls the core over one
 * WebSocket with the same bridge as the Electron preload. Both ends read these
 * shapes, and each checks what it receives with the schemas here: the shell
 * checks every call frame, the page every frame from the shell.
 */
import { z } from 'zod';
import type { BridgeName } from './bridge.js';
import type { SnapshotMessage } from './snapshot-stream.js';

/** The socket the page opens on its own origin. */
export const SOCKET_PATH = '/api';
/** Where the page trades its launch token for the session cookie, and asks whether it has one. */
export const SESSION_PATH = '/session';

/** Page → shell: one bridge call; `id` pairs it with its result. */
export interface CallFrame {
  readonly type: 'call';
  readonly id: number;
  readonly method: BridgeName;
  readonly arg?: unknown;
}

/**
 * A call frame's envelope. The method is checked against the bridge table
 * separately, so a frame with a usable id but an unknown method still gets a
 * result (an error) and the caller's promise settles.
 */
export const CallFrameSchema = z.strictObject({
  type: z.literal('call'),
  id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  method: z.string().max(100),
  arg: z.unknown().optional(),
});

/** Shell → page. */
export type HostFrame =
  | { readonly type: 'snapshot'; readonly message: SnapshotMessage }
  | { readonly type: 'result'; readonly id: number; readonly ok: true; readonly value?: unknown }
  | { readonly type: 'result'; readonly id: number; readonly ok: false; readonly error: string }
  /** A frame the shell couldn't read at all (not JSON, no usable id). */
  | { readonly type: 'error'; readonly error: string };

const SNAPSHOT_KINDS: ReadonlySet<unknown> = new Set(['full', 'gateways', 'gateway'] satisfies Array<SnapshotMessage['kind']>);

export const HostFrameSchema: z.ZodType<HostFrame> = z.union([
  z.strictObject({
    type: z.literal('snapshot'),
    // The stream's own decoder reads the message and asks for the whole snapshot when it can't follow it.
    message: z.custom<SnapshotMessage>((m) => typeof m === 'object' && m !== null && SNAPSHOT_KINDS.has((m as { kind?: unknown }).kind)),
  }),
  z.strictObject({ type: z.literal('result'), id: z.number(), ok: z.literal(true), value: z.unknown().optional() }),
  z.strictObject({ type: z.literal('result'), id: z.number(), ok: z.literal(false), error: z.string() }),
  z.strictObject({ type: z.literal('error'), error: z.string() }),
]);
