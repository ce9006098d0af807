/**
 * Issue 12, V6: pre-auth exhaustion against our hub, over real loopback sockets.
 * Idle sockets that never sign in, half-sent big frames and a wrong-token loop
 * run together while the right token signs in and reads the list; then the
 * lockout a browser origin earns, in the real gateway's shape, as our own
 * client sees it.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { HubServer, type HubServerOptions } from '../../../main/hub/hub-server.js';
import { RawClient, connectParams, connectedClient, type Frame } from '../../helpers/raw-client.js';
import { testClient } from '../../helpers/test-client.js';
import { waitForState } from './attack-helpers.js';

const TOKEN = 'right-token-0123456789';
const SELF = { host: 'hub-host', version: '0.1.0' };

let hub: HubServer | undefined;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await hub?.stop();
  hub = undefined;
});

async function startHub(o: Partial<HubServerOptions> = {}): Promise<HubServer> {
  hub = new HubServer({ self: SELF, token: TOKEN, ...o });
  await hub.start();
  return hub;
}

interface HalfSent {
  /** Resolves when the server ends the TCP connection. */
  readonly closed: Promise<{ afterMs: number; closeCode?: number }>;
}

/**
 * Upgrades by hand, then sends the header of a frame that claims `claimBytes`
 * and only `sendBytes` of its body: the frame is never finished.
 */
function halfSentFrame(port: number, claimBytes: number, sendBytes: number): Promise<HalfSent> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    let upgradedAt = 0;
    let resolveClosed!: (v: { afterMs: number; closeCode?: number }) => void;
    const closed = new Promise<{ afterMs: number; closeCode?: number }>((r) => (resolveClosed = r));
    socket.on('error', () => {});
    socket.on('close', () => {
      // A close frame from the server: 0x88, length, then the 2-byte code.
      const at = received.indexOf(Buffer.from([0x88]));
      const closeCode = at >= 0 && received.length >= at + 4 ? received.readUInt16BE(at + 2) : undefined;
      resolveClosed({ afterMs: Date.now() - upgradedAt, closeCode });
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (upgradedAt || !received.includes('\r\n\r\n')) return;
      if (!received.toString('latin1').startsWith('HTTP/1.1 101')) {
        reject(new Error(`no upgrade: ${received.toString('latin1').slice(0, 80)}`));
        return;
      }
      upgradedAt = Date.now();
      received = received.subarray(received.indexOf('\r\n\r\n') + 4);
      const header = Buffer.alloc(14);
      header[0] = 0x81; // FIN + text
      header[1] = 0x80 | 127; // masked, 64-bit length follows
      header.writeBigUInt64BE(BigInt(claimBytes), 2);
      header.writeUInt32BE(0x01020304, 10); // mask key
      socket.write(header);
      socket.write(Buffer.alloc(sendBytes, 0x20));
      resolve({ closed });
    });
    socket.write(
      'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    cleanups.push(() => socket.destroy());
  });
}

function openIdle(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url);
  cleanups.push(() => ws.terminate());
  return new Promise((resolve) => {
    ws.once('message', () => resolve(ws));
    ws.once('error', () => resolve(ws));
  });
}

/** One wrong-token attempt; resolves with the answer and how long it took. */
async function wrongToken(url: string, headers?: Record<string, string>): Promise<{ frame: Frame; ms: number; closeCode: number }> {
  const client = await RawClient.open(url, headers);
  cleanups.push(() => client.close());
  const started = Date.now();
  const frame = await client.request('connect', connectParams(client.nonce, { token: 'wrong-token' }), 15_000);
  const ms = Date.now() - started;
  return { frame, ms, closeCode: (await client.waitClosed()).code };
}

describe('pre-auth exhaustion (V6)', () => {
  it('lets the right token in and read the list while idle sockets, half-sent frames and a wrong-token loop run', async () => {
    const server = await startHub();
    const memBefore = process.memoryUsage().rss;

    // 300 sockets that never sign in: more than the 128 one address may park.
    const idle = await Promise.all(Array.from({ length: 300 }, () => openIdle(server.url)));
    expect(idle.length).toBe(300);
    expect(server.unauthenticatedCount).toBeLessThanOrEqual(128);

    // 100 frames that claim 2 MiB and send 256 KiB, never finished.
    const halfSent = await Promise.all(Array.from({ length: 100 }, () => halfSentFrame(server.port, 2 * 1024 * 1024, 256 * 1024)));

    // A wrong-token loop, bounded in count and time, running beside the right client.
    const loopStarted = Date.now();
    const wrongAnswers: Array<{ ms: number; code?: string }> = [];
    const loop = (async () => {
      while (wrongAnswers.length < 40 && Date.now() - loopStarted < 4_000) {
        const { frame, ms } = await wrongToken(server.url);
        wrongAnswers.push({ ms, code: frame.error?.details?.code });
      }
    })();

    // The right token, during all of it.
    const { client, hello } = await connectedClient(server.url, { token: TOKEN, instanceId: 'right-one', displayName: 'right-one' });
    cleanups.push(() => client.close());
    expect(hello.payload.auth.scopes).toContain('operator.read');
    const list = await client.request('system-presence');
    expect(list.ok).toBe(true);
    expect((list.payload as Array<{ host?: string }>).map((e) => e.host)).toContain('right-one');
    const signedInAfterMs = Date.now() - loopStarted;

    await loop;
    // The right client got in while the loop still had time left.
    expect(signedInAfterMs).toBeLessThan(Date.now() - loopStarted);
    // Every half-sent frame was cut off at the pre-auth budget (1009), not left to wait for the deadline.
    const ends = await Promise.all(halfSent.map((h) => h.closed));
    expect(ends.every((e) => e.closeCode === 1009)).toBe(true);
    // The loop was slowed to a crawl: before the fix it made thousands of guesses in 5 s.
    expect(wrongAnswers.length).toBeGreaterThan(0);
    expect(wrongAnswers.length).toBeLessThanOrEqual(6);
    expect(wrongAnswers.every((a) => a.code === 'AUTH_TOKEN_MISMATCH')).toBe(true);
    const times = wrongAnswers.map((a) => a.ms);
    for (let i = 1; i < times.length; i += 1) expect(times[i]!).toBeGreaterThan(times[i - 1]!);
    // 100 × 256 KiB was sent; the hub kept at most 64 KiB of each (plus our own client-side buffers).
    expect(process.memoryUsage().rss - memBefore).toBeLessThan(150 * 1024 * 1024);
  });

  it('holds the right answer as long as the wrong ones while local guesses run in parallel, so speed tells nothing', async () => {
    const server = await startHub({ authBackoff: { localDelayBaseMs: 200, localDelayMaxMs: 800 } });
    const guesses = await Promise.all(Array.from({ length: 20 }, () => RawClient.open(server.url)));
    for (const g of guesses) cleanups.push(() => g.close());
    const started = Date.now();
    const answers = guesses.map(async (g, i) => {
      await g.request('connect', connectParams(g.nonce, { token: `guess-${i}` }), 5_000);
      return Date.now() - started;
    });
    // The first held answer shows the guesses have reached the hub; the rest are still held.
    await Promise.race(answers);
    const wrong = Promise.all(answers);
    const right = await RawClient.open(server.url);
    cleanups.push(() => right.close());
    const sentAt = Date.now();
    const hello = await right.request('connect', connectParams(right.nonce, { token: TOKEN }), 5_000);
    const rightMs = Date.now() - sentAt;
    expect(hello.ok).toBe(true);
    const wrongMs = await wrong;
    expect(Math.max(...wrongMs)).toBeGreaterThanOrEqual(700);
    // The right token still got in, but no sooner than a held wrong answer would have come.
    expect(rightMs).toBeGreaterThanOrEqual(400);
  });

  it('closes a socket that sends no connect by the deadline, and keeps one that signed in', async () => {
    const server = await startHub({ handshakeTimeoutMs: 400 });
    const idle = await RawClient.open(server.url);
    const { client } = await connectedClient(server.url, { token: TOKEN });
    cleanups.push(() => client.close());
    expect(await idle.waitClosed()).toEqual({ code: 1008, reason: 'handshake timeout' });
    expect((await client.request('system-presence')).ok).toBe(true);
  });

  it('takes one connect per socket: a second one cannot guess while the first failure is held', async () => {
    const server = await startHub();
    const c = await RawClient.open(server.url);
    cleanups.push(() => c.close());
    c.sendRaw(JSON.stringify({ type: 'req', id: 'a', method: 'connect', params: connectParams(c.nonce, { token: 'wrong-1' }) }));
    const second = await c.request('connect', connectParams(c.nonce, { token: TOKEN }));
    expect(second.error?.message).toBe('connect already sent');
    const first = await c.waitFor((f) => f.id === 'a');
    expect(first.error?.details?.code).toBe('AUTH_TOKEN_MISMATCH');
  });

  it('locks a browser origin out with AUTH_RATE_LIMITED and retryAfterMs, while the app (no Origin) still signs in', async () => {
    const origin = 'http://127.0.0.1:7777';
    const server = await startHub({ authBackoff: { maxAttempts: 3, lockoutMs: 3_000 } });
    for (let i = 0; i < 3; i += 1) {
      const { frame, ms } = await wrongToken(server.url, { Origin: origin });
      expect(frame.error?.details?.code).toBe('AUTH_TOKEN_MISMATCH');
      // A browser origin is locked out rather than slowed.
      expect(ms).toBeLessThan(1_000);
    }
    const locked = await wrongToken(server.url, { Origin: origin });
    expect(locked.closeCode).toBe(1008);
    expect(locked.frame).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_REQUEST',
        message: 'unauthorized: too many failed authentication attempts (retry later)',
        retryable: true,
        details: { code: 'AUTH_RATE_LIMITED', authReason: 'rate_limited' },
      },
    });
    const retryAfterMs = (locked.frame.error as { retryAfterMs?: number } | undefined)?.retryAfterMs ?? 0;
    expect(retryAfterMs).toBeGreaterThan(1_000);
    expect(retryAfterMs).toBeLessThanOrEqual(3_000);

    // Our own client, had it come from that origin: not terminal, waits at least retryAfterMs, then gets in.
    const fromPage = testClient({ url: server.url, token: TOKEN, headers: { Origin: origin } });
    cleanups.push(() => fromPage.client.stop());
    fromPage.client.start();
    const waiting = await waitForState(fromPage.client, (s) => s.kind === 'reconnecting' && /Too many sign-in attempts/.test(s.lastError ?? ''));
    expect(waiting.kind === 'reconnecting' && waiting.retryAtMs - Date.now()).toBeGreaterThan(retryAfterMs - 1_500);

    // The app itself (no Origin) is not locked out by what a page did.
    const app = testClient({ url: server.url, token: TOKEN });
    cleanups.push(() => app.client.stop());
    app.client.start();
    await waitForState(app.client, (s) => s.kind === 'connected');
    expect(fromPage.client.snapshot().connection.kind).toBe('reconnecting');

    await waitForState(fromPage.client, (s) => s.kind === 'connected', 10_000);
  });
});
