/**
 * The storm's other side, in its own process (bench/core-storm.ts starts it):
 * beacons to the real gateway at a fixed rate, fetches `GET /` from the browser
 * shell while it does, and watches one window's socket for each beacon's row.
 *
 * It runs apart from the core on purpose: the real gateway pushes its whole
 * list to this beaconer too on every change, and neither reading that nor
 * timing requests may land on the event loop being measured.
 *
 * Talks to its parent over the IPC channel: `{go: 'seed'}` → `{done: 'seed'}`,
 * `{go: 'storm'}` → `{done: 'storm', figures}`, `{go: 'quit'}`.
 */
import http from 'node:http';
import WebSocket from 'ws';
import { generateDeviceKeyPair } from '../main/device/ed25519.js';
import { connectedClient, type RawClient } from '../tests/helpers/raw-client.js';

export interface DriverArgs {
  readonly gatewayUrl: string;
  readonly token: string;
  /** A one-time link to the browser shell (`…/?token=…`), as `serve` prints it. */
  readonly launchUrl: string;
  readonly entries: number;
  readonly beaconsPerSecond: number;
  readonly seconds: number;
}

export interface StormFigures {
  readonly sent: number;
  readonly acked: number;
  /** Acknowledged beacons per second over the storm. */
  readonly ackedPerSecond: number;
  /** `GET /` on the browser shell during the storm, each in ms. */
  readonly getMs: number[];
  /** `GET /` before the storm, each in ms. */
  readonly getIdleMs: number[];
  /** Beacon sent → the window's socket carries it, in ms (beacons whose row arrived). */
  readonly beaconToWindowMs: number[];
  readonly windowMessages: number;
  readonly windowBytes: number;
}

export type DriverMessage = { done: 'seed' } | { done: 'storm'; figures: StormFigures } | { error: string };

const args = JSON.parse(process.argv[2]!) as DriverArgs;
const send = (m: DriverMessage) => process.send!(m);

function beaconParams(i: number, version: string, n: number) {
  const host = `storm-${i}`;
  return { text: `Node: ${host} (10.8.${i >> 8}.${i & 255}) · app ${version} · last input ${n}s ago · mode ui · reason periodic`, instanceId: `storm-${i}`, host, ip: `10.8.${i >> 8}.${i & 255}`, version, platform: 'linux 6.1.0', deviceFamily: 'Linux', mode: 'ui', reason: 'periodic', lastInputSeconds: n };
}

/** One `GET /`, timed to the last byte. */
function timedGet(url: string): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false }, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve(performance.now() - t0));
    });
    req.on('error', reject);
  });
}

/** Trades the launch token for the session cookie, then opens `/api` as the page would. */
async function openWindow(launchUrl: string): Promise<WebSocket> {
  const u = new URL(launchUrl);
  const origin = u.origin;
  const launchToken = u.searchParams.get('token')!;
  const cookie = await new Promise<string>((resolve, reject) => {
    const req = http.request(`${origin}/session`, { method: 'POST', headers: { Origin: origin, 'Content-Type': 'application/json' }, agent: false }, (res) => {
      res.resume();
      const set = res.headers['set-cookie']?.[0];
      if (res.statusCode !== 204 || !set) reject(new Error(`session refused: ${res.statusCode}`));
      else resolve(set.split(';')[0]!);
    });
    req.on('error', reject);
    req.end(JSON.stringify({ token: launchToken }));
  });
  const ws = new WebSocket(`${origin.replace('http', 'ws')}/api`, { headers: { Origin: origin, Cookie: cookie }, perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.send(JSON.stringify({ type: 'call', id: 1, method: 'getSnapshot' }));
  return ws;
}

let beaconer: RawClient | undefined;
let window: WebSocket | undefined;

async function seed(): Promise<void> {
  ({ client: beaconer } = await connectedClient(args.gatewayUrl, { token: args.token, mode: 'backend', clientId: 'gateway-client', device: generateDeviceKeyPair(), scopes: ['operator.admin'] }));
  for (let i = 0; i < args.entries; i += 1) {
    const res = await beaconer.request('system-event', beaconParams(i, 'seed', 0), 60_000);
    // The gateway pushes the whole list to this socket on every change: drop what we don't read.
    beaconer.frames.length = 0;
    if (!res.ok) throw new Error(`seed beacon refused: ${JSON.stringify(res.error)}`);
  }
  window = await openWindow(args.launchUrl);
}

async function storm(): Promise<StormFigures> {
  const shell = new URL(args.launchUrl).origin + '/';
  const getIdleMs: number[] = [];
  for (let i = 0; i < 20; i += 1) getIdleMs.push(await timedGet(shell));

  // Which beacon each marker stands for, and when it went.
  const sentAt = new Map<string, number>();
  const beaconToWindowMs: number[] = [];
  let windowMessages = 0;
  let windowBytes = 0;
  window!.on('message', (data: Buffer) => {
    windowMessages += 1;
    windowBytes += data.length;
    const now = performance.now();
    const text = data.toString();
    for (const m of text.matchAll(/"version":"(s\d+)"/g)) {
      const t0 = sentAt.get(m[1]!);
      if (t0 !== undefined) {
        beaconToWindowMs.push(now - t0);
        sentAt.delete(m[1]!);
      }
    }
  });

  // Beacons on a fixed schedule, not waiting for answers: the rate is the load, whatever the gateway does with it.
  const socket = beaconer!.socket;
  let acked = 0;
  socket.on('message', (data: Buffer) => {
    // Only answers are read; the list the gateway pushes on each change is skipped unparsed.
    if (data.length < 2048 && data.includes('"type":"res"') && data.includes('"ok":true')) acked += 1;
  });
  const total = args.beaconsPerSecond * args.seconds;
  const periodMs = 1000 / args.beaconsPerSecond;
  const start = performance.now();
  let sent = 0;
  let stormOver = false;
  const getMs: number[] = [];
  const prober = (async () => {
    while (!stormOver) {
      getMs.push(await timedGet(shell));
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - start) / periodMs) + 1);
      for (; sent < due; sent += 1) {
        const marker = `s${sent}`;
        sentAt.set(marker, performance.now());
        socket.send(JSON.stringify({ type: 'req', id: `b${sent}`, method: 'system-event', params: beaconParams(sent % args.entries, marker, sent) }));
      }
      if (sent >= total) resolve();
      else setTimeout(tick, Math.max(0, start + sent * periodMs - performance.now()));
    };
    tick();
  });
  const elapsedS = (performance.now() - start) / 1000;
  // Let the last beacons reach the window (or not) before counting.
  await new Promise((r) => setTimeout(r, 1500));
  stormOver = true;
  await prober;
  return { sent, acked, ackedPerSecond: acked / elapsedS, getMs, getIdleMs, beaconToWindowMs, windowMessages, windowBytes };
}

process.on('message', (m: { go: 'seed' | 'storm' | 'quit' }) => {
  const run = async () => {
    if (m.go === 'seed') {
      await seed();
      send({ done: 'seed' });
    } else if (m.go === 'storm') send({ done: 'storm', figures: await storm() });
    else {
      beaconer?.close();
      window?.close();
      process.disconnect();
    }
  };
  run().catch((err: Error) => send({ error: err.stack ?? err.message }));
});
