/**
 * A bare WebSocket peer for protocol tests: sends frames exactly as written and
 * records every frame it gets, so a test can assert what crossed the wire.
 */
import WebSocket from 'ws';
import { buildDevicePayloadV2, buildDevicePayloadV3 } from '../../shared/protocol/device-payload.js';
import { generateDeviceKeyPair, signPayload, type DeviceKeyPair } from '../../main/device/ed25519.js';

export interface Frame {
  type: string;
  id?: string;
  ok?: boolean;
  event?: string;
  payload?: any;
  error?: { code: string; message: string; details?: { code?: string } };
  seq?: number;
  stateVersion?: { presence: number; health: number };
}

export class RawClient {
  readonly frames: Frame[] = [];
  readonly socket: WebSocket;
  closed?: { code: number; reason: string };
  #waiters: Array<() => void> = [];
  #nextId = 1;

  private constructor(url: string, headers?: Record<string, string>) {
    this.socket = new WebSocket(url, { headers });
    this.socket.on('message', (data) => {
      try {
        this.frames.push(JSON.parse(data.toString()) as Frame);
      } catch {
        this.frames.push({ type: 'unparseable' });
      }
      this.#wake();
    });
    this.socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.#wake();
    });
    this.socket.on('error', () => this.#wake());
  }

  /** `headers` go on the upgrade request (e.g. an `Origin`, as a browser page would send). */
  static async open(url: string, headers?: Record<string, string>): Promise<RawClient> {
    const client = new RawClient(url, headers);
    await client.waitFor((f) => f.event === 'connect.challenge');
    return client;
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  get nonce(): string {
    return this.frames.find((f) => f.event === 'connect.challenge')?.payload.nonce as string;
  }

  /** Resolves with the first frame (already received or future) that matches. */
  async waitFor(match: (f: Frame) => boolean, timeoutMs = 5000, from = 0): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.frames.slice(from).find(match);
      if (hit) return hit;
      if (this.closed) throw new Error(`socket closed (${this.closed.code} ${this.closed.reason}) before the frame arrived`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching frame within ${timeoutMs} ms; last frames: ${JSON.stringify(this.frames.slice(-3)).slice(0, 600)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async waitClosed(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('socket did not close');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.closed;
  }

  sendRaw(data: string | Buffer): void {
    this.socket.send(data);
  }

  /** Sends a request and waits for its response. */
  async request(method: string, params?: unknown, timeoutMs = 5000): Promise<Frame> {
    const id = String(this.#nextId++);
    this.socket.send(JSON.stringify({ type: 'req', id, method, ...(params === undefined ? {} : { params }) }));
    return this.waitFor((f) => f.type === 'res' && f.id === id, timeoutMs, this.frames.length);
  }

  close(): void {
    this.socket.close();
  }
}

export interface ConnectOptions {
  clientId?: string;
  mode?: string;
  role?: string;
  scopes?: string[];
  token?: string;
  password?: string;
  instanceId?: string;
  displayName?: string;
  platform?: string;
  deviceFamily?: string;
  device?: DeviceKeyPair | false;
  signedAt?: number;
  minProtocol?: number;
  maxProtocol?: number;
  timeZone?: string;
  /** Which device payload to sign: v3 (default, our client) or v2 (the Control UI 2026.9.6). */
  payloadVersion?: 'v2' | 'v3';
  /** More top-level connect params (a node host's `caps`, `commands`, …). */
  extra?: Record<string, unknown>;
}

/** Builds `connect` params the way a well-behaved client would, signing with a device key. */
export function connectParams(nonce: string, o: ConnectOptions = {}): Record<string, unknown> {
  const clientId = o.clientId ?? 'openclaw-linux';
  const mode = o.mode ?? 'ui';
  const role = o.role ?? 'operator';
  const scopes = o.scopes ?? ['operator.read', 'operator.admin'];
  const platform = o.platform ?? 'linux 6.1.0';
  const deviceFamily = o.deviceFamily ?? 'Linux';
  const device = o.device === false ? undefined : (o.device ?? generateDeviceKeyPair());
  const signedAt = o.signedAt ?? Date.now();
  const params: Record<string, unknown> = {
    minProtocol: o.minProtocol ?? 4,
    maxProtocol: o.maxProtocol ?? 4,
    client: {
      id: clientId,
      version: '1.2.3',
      platform,
      deviceFamily,
      mode,
      ...(o.instanceId ? { instanceId: o.instanceId } : {}),
      ...(o.displayName ? { displayName: o.displayName } : {}),
      ...(o.timeZone ? { timeZone: o.timeZone } : {}),
    },
    ...o.extra,
    role,
    scopes,
    ...(o.token !== undefined || o.password !== undefined
      ? { auth: { ...(o.token !== undefined ? { token: o.token } : {}), ...(o.password !== undefined ? { password: o.password } : {}) } }
      : {}),
  };
  if (device) {
    const fields = { deviceId: device.deviceId, clientId, clientMode: mode, role, scopes, signedAtMs: signedAt, token: o.token, nonce, platform, deviceFamily };
    const payload = o.payloadVersion === 'v2' ? buildDevicePayloadV2(fields) : buildDevicePayloadV3(fields);
    params.device = { id: device.deviceId, publicKey: device.publicKey, signature: signPayload(device.privateKeyPem, payload), signedAt, nonce };
  }
  return params;
}

/** Opens a socket and completes the handshake; throws with the error when refused. */
export async function connectedClient(url: string, o: ConnectOptions = {}): Promise<{ client: RawClient; hello: Frame }> {
  const client = await RawClient.open(url);
  const hello = await client.request('connect', connectParams(client.nonce, o));
  if (!hello.ok) throw new Error(`connect refused: ${JSON.stringify(hello.error)}`);
  return { client, hello };
}
