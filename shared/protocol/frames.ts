/**
 * Wire frames of the gateway protocol (version 4), as zod schemas.
 *
 * Everything that arrives from a socket is parsed with these before any code
 * looks at it. Envelopes are closed objects like the real gateway's, but the
 * payloads we only read (hello-ok, presence entries) are open, so a newer
 * gateway that adds fields still works.
 */
import { z } from 'zod';
import { CLIENT_IDS, CLIENT_MODES } from './constants.js';

const nonEmpty = z.string().trim().min(1);
/** Bounded strings keep a hostile peer from parking megabytes in our state. */
const shortText = (max: number) => z.string().max(max);

export const RequestFrameSchema = z.strictObject({
  type: z.literal('req'),
  id: nonEmpty.max(128),
  method: nonEmpty.max(128),
  params: z.unknown().optional(),
  traceparent: z.string().max(128).optional(),
  /** Real clients may name the user profile they expect; we have no profiles and ignore it. */
  expectedProfileId: z.string().min(1).max(128).optional(),
});
export type RequestFrame = z.infer<typeof RequestFrameSchema>;

export const ErrorShapeSchema = z.looseObject({
  code: nonEmpty,
  message: nonEmpty,
  details: z.unknown().optional(),
  retryable: z.boolean().optional(),
  retryAfterMs: z.number().int().nonnegative().optional(),
});
export type ErrorShape = z.infer<typeof ErrorShapeSchema>;

export const ResponseFrameSchema = z.looseObject({
  type: z.literal('res'),
  id: nonEmpty,
  ok: z.boolean(),
  payload: z.unknown().optional(),
  error: ErrorShapeSchema.optional(),
});
export type ResponseFrame = z.infer<typeof ResponseFrameSchema>;

export const StateVersionSchema = z.looseObject({
  presence: z.number().int().nonnegative(),
  health: z.number().int().nonnegative(),
});
export type StateVersion = z.infer<typeof StateVersionSchema>;

export const EventFrameSchema = z.looseObject({
  type: z.literal('event'),
  event: nonEmpty,
  payload: z.unknown().optional(),
  seq: z.number().int().nonnegative().optional(),
  stateVersion: StateVersionSchema.optional(),
});
export type EventFrame = z.infer<typeof EventFrameSchema>;

/** A frame a client receives from a gateway. */
export const ServerFrameSchema = z.discriminatedUnion('type', [ResponseFrameSchema, EventFrameSchema]);
export type ServerFrame = z.infer<typeof ServerFrameSchema>;

export const ConnectChallengeSchema = z.looseObject({
  nonce: nonEmpty.max(512),
  ts: z.number().int().nonnegative(),
});
export type ConnectChallenge = z.infer<typeof ConnectChallengeSchema>;

export const DeviceProofSchema = z.strictObject({
  id: nonEmpty.max(256),
  publicKey: nonEmpty.max(4096),
  signature: nonEmpty.max(1024),
  signedAt: z.number().int().nonnegative(),
  nonce: nonEmpty.max(512),
});
export type DeviceProof = z.infer<typeof DeviceProofSchema>;

/** Bounds for the lists a node host declares; the real gateway leaves them unbounded, we don't. */
const MAX_DECLARED = 512;
const declared = z.array(nonEmpty.max(256)).max(MAX_DECLARED);

/** `workerRuns` (deprecated v1 node-host envelope), closed like the real gateway's. */
const WorkerRunsSchema = z.strictObject({
  bundleHash: z.string().regex(/^[a-f0-9]{64}$/),
  openclawVersion: z.string().min(1).max(128),
  protocolFeatures: z.array(z.string().min(1).max(128)).max(64),
  bundlePrewarm: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
});

/** `modelCatalog`: either a session reference or a short id, both closed. */
const ModelCatalogSchema = z.union([
  z.strictObject({ agentId: nonEmpty.max(256).optional(), sessionKey: nonEmpty.max(512).optional() }),
  z.strictObject({ agentId: nonEmpty.max(256).optional(), shortId: nonEmpty.max(256), slugHint: nonEmpty.max(256).optional() }),
]);

/**
 * `computerUse` is opaque to the gateway's connect schema (its owner validates it);
 * we never read it, so only its serialised size is bounded.
 */
const OpaqueBounded = (maxBytes: number) =>
  z.unknown().refine((v) => {
    try {
      return JSON.stringify(v).length <= maxBytes;
    } catch {
      return false;
    }
  }, `too large (limit ${maxBytes} bytes)`);

/**
 * `connect` params: a closed object, like the real gateway's (unknown keys are
 * refused). Every key the real 2026.9.6 schema accepts is accepted here (node
 * hosts send `caps`, `commands`, `permissions`, `pathEnv`, …), with bounded sizes.
 * `role` is any non-empty string on the wire, as there; connect-auth refuses
 * roles other than `operator` and `node` with the real gateway's "invalid role".
 */
export const ConnectParamsSchema = z.strictObject({
  minProtocol: z.number().int().min(1),
  maxProtocol: z.number().int().min(1),
  client: z.strictObject({
    id: z.enum(CLIENT_IDS),
    displayName: nonEmpty.max(256).optional(),
    version: nonEmpty.max(64),
    buildId: z.string().min(1).max(96).optional(),
    platform: nonEmpty.max(128),
    deviceFamily: nonEmpty.max(64).optional(),
    modelIdentifier: nonEmpty.max(128).optional(),
    timeZone: z.string().min(1).max(64).optional(),
    mode: z.enum(CLIENT_MODES),
    instanceId: nonEmpty.max(256).optional(),
  }),
  caps: declared.optional(),
  commands: declared.optional(),
  computerUse: OpaqueBounded(64 * 1024).optional(),
  workerRuns: WorkerRunsSchema.optional(),
  permissions: z.record(nonEmpty.max(256), z.boolean()).refine((r) => Object.keys(r).length <= MAX_DECLARED, 'too many permissions').optional(),
  pathEnv: z.string().max(32 * 1024).optional(),
  role: nonEmpty.max(64).optional(),
  scopes: z.array(nonEmpty.max(128)).max(64).optional(),
  modelCatalog: ModelCatalogSchema.optional(),
  device: DeviceProofSchema.optional(),
  auth: z
    .strictObject({
      token: shortText(4096).optional(),
      bootstrapToken: shortText(4096).optional(),
      deviceToken: shortText(4096).optional(),
      password: shortText(4096).optional(),
      approvalRuntimeToken: shortText(4096).optional(),
      agentRuntimeIdentityToken: shortText(8192).optional(),
    })
    .optional(),
  locale: shortText(64).optional(),
  userAgent: shortText(512).optional(),
});
export type ConnectParams = z.infer<typeof ConnectParamsSchema>;

/** Presence fields shared by entries and beacons, each bounded so a peer can't park megabytes in our state. */
const PRESENCE_FIELDS = {
  instanceId: z.string().max(256).optional(),
  host: z.string().max(256).optional(),
  ip: z.string().max(128).optional(),
  version: z.string().max(64).optional(),
  platform: z.string().max(128).optional(),
  deviceFamily: z.string().max(64).optional(),
  modelIdentifier: z.string().max(128).optional(),
  mode: z.string().max(64).optional(),
  reason: z.string().max(128).optional(),
  deviceId: z.string().max(256).optional(),
  roles: z.array(z.string().max(128)).max(64).optional(),
  scopes: z.array(z.string().max(128)).max(64).optional(),
};

/** The largest time a JavaScript `Date` can hold; beyond it `toISOString()` throws (issue 12, V5: `ts: 9e15` blanked the window). */
export const MAX_DATE_MS = 8_640_000_000_000_000;
/** Bounds for what a presence entry may carry beyond the fields we know: a few fields, a few KB. */
export const MAX_ENTRY_EXTRA_KEYS = 32;
export const MAX_ENTRY_JSON_CHARS = 16 * 1024;

/**
 * A presence entry as a gateway reports it. Open: the real gateway adds
 * `clientId`, `onlineSince`, `user`, … and a viewer should keep showing rows.
 * `lastInputSeconds` may be fractional here: the real gateway stores what it is sent.
 *
 * Every part is bounded, so a hostile gateway can't make a row unrenderable
 * or park megabytes in our state: known strings by length, numbers by range
 * (`ts` within what a Date holds; how far from the gateway's clock is checked
 * in parsePresenceList, which knows that clock), and the unknown extras by
 * count and total size. A known text over its bound is cut to it
 * (parsePresenceList: a long version is honest input); an entry that breaks
 * any other bound is dropped, and the rest of the list stays.
 */
export const PresenceEntrySchema = z
  .looseObject({
    ...PRESENCE_FIELDS,
    lastInputSeconds: z.number().nonnegative().max(10 * 365 * 24 * 3600).optional(),
    clientId: z.string().max(128).optional(),
    text: z.string().max(4096).optional(),
    ts: z.number().int().nonnegative().max(MAX_DATE_MS),
  })
  .check((ctx) => {
    const keys = Object.keys(ctx.value);
    if (keys.length > Object.keys(PRESENCE_FIELDS).length + 4 + MAX_ENTRY_EXTRA_KEYS) {
      ctx.issues.push({ code: 'custom', message: `too many fields (${keys.length})`, input: ctx.value });
      return;
    }
    let size: number;
    try {
      size = JSON.stringify(ctx.value).length;
    } catch {
      size = Infinity;
    }
    if (size > MAX_ENTRY_JSON_CHARS) ctx.issues.push({ code: 'custom', message: `entry too large (${size} characters)`, input: ctx.value });
  });

export const TickPayloadSchema = z.looseObject({ ts: z.number().int().nonnegative() });

export const ShutdownPayloadSchema = z.looseObject({
  reason: z.string().max(512),
  restartExpectedMs: z.number().int().nonnegative().optional(),
});

export const HelloOkSchema = z.looseObject({
  type: z.literal('hello-ok'),
  protocol: z.number().int().min(1),
  server: z.looseObject({ version: z.string(), connId: z.string() }),
  features: z
    .looseObject({ methods: z.array(z.string()), events: z.array(z.string()) })
    .optional(),
  snapshot: z.looseObject({
    // Read entry by entry later (parsePresenceList), so one bad row can't sink the handshake.
    presence: z.unknown(),
    stateVersion: StateVersionSchema.optional(),
    uptimeMs: z.number().nonnegative().optional(),
  }),
  auth: z
    .looseObject({ role: z.string().optional(), scopes: z.array(z.string()).optional() })
    .optional(),
  policy: z
    .looseObject({
      maxPayload: z.number().int().positive().optional(),
      tickIntervalMs: z.number().int().positive().optional(),
    })
    .optional(),
});
export type HelloOk = z.infer<typeof HelloOkSchema>;

/**
 * `system-event` params: a closed object like the real gateway's. Unlike the real
 * gateway (which stores whatever number arrives, negative included),
 * `lastInputSeconds` must be a non-negative number of seconds (fractions are
 * kept, as there).
 */
export const SystemEventParamsSchema = z.strictObject({
  ...PRESENCE_FIELDS,
  text: z.string().max(4096).refine((t) => t.trim().length > 0, 'text required'),
  idempotencyKey: z.string().min(1).max(256).optional(),
  sessionKey: z.string().max(256).optional(),
  wake: z.boolean().optional(),
  lastInputSeconds: z.number().nonnegative().max(10 * 365 * 24 * 3600).optional(),
  tags: z.array(z.string().max(128)).max(64).optional(),
});
export type SystemEventParams = z.infer<typeof SystemEventParamsSchema>;

/** Short, human-readable account of why a value failed a schema. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `at /${issue.path.join('/')}: ${issue.message}`)
    .join('; ');
}
