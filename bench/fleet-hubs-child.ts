/**
 * The fleet bench's gateways, in their own process (so their work never counts
 * as the core's): N of our hubs on loopback, each filled with presence rows by
 * one device-less `cli` client holding the hub's token (the hub keys its
 * beacons by `instanceId`, so each distinct id is a row), and the beacons the
 * bench asks for: one at a time, or a storm at a given rate.
 *
 * The hubs broadcast every list change at once (`presenceBroadcastMs: 0`), as
 * the real OpenClaw gateway does, rather than coalescing to one per 50 ms as our
 * hub does by default: the core then gets a whole list per beacon, the load the
 * issue's storm goal is about.
 */
import { HubServer } from '../main/hub/hub-server.js';
import { connectedClient, type RawClient } from '../tests/helpers/raw-client.js';
import { serveRpc } from './child-rpc.js';

interface Gateway {
  readonly hub: HubServer;
  readonly client: RawClient;
  /** Rows this bench wrote (instanceIds `g{g}-i{i}`). */
  readonly rows: number;
}

const gateways: Gateway[] = [];
let seq = 0;
let acked = 0;
let refused = '';

/** A beacon for row `i` of gateway `g`; `host` names the machine (the bench changes it to a marker). */
function beacon(g: number, i: number, host: string, lastInput: number) {
  const gw = gateways[g];
  if (!gw) throw new Error(`no gateway ${g}`);
  const id = `f${(seq += 1)}`;
  gw.client.sendRaw(
    JSON.stringify({
      type: 'req',
      id,
      method: 'system-event',
      params: { text: `Node: ${host} (10.${g}.${i >> 8}.${i & 255}) · app 1.0.0 · last input ${lastInput}s ago · mode ui · reason periodic`, instanceId: `g${g}-i${i}`, host, ip: `10.${g}.${i >> 8}.${i & 255}`, version: '1.0.0', platform: 'linux 6.1.0', deviceFamily: 'Linux', mode: 'ui', reason: 'periodic', lastInputSeconds: lastInput },
    }),
  );
}

async function startGateway(g: number, rows: number, token: string): Promise<Gateway> {
  const hub = new HubServer({ self: { host: `fleet-gw-${g}`, version: '1.0.0' }, token, presenceBroadcastMs: 0 });
  await hub.start();
  // operator.admin alone (it may write rows); the hub still sends it every list change, which this process pays for.
  const { client } = await connectedClient(hub.url, { token, clientId: 'cli', mode: 'cli', device: false, scopes: ['operator.admin'] });
  client.socket.on('message', () => {
    // Count answers without keeping frames: the RawClient's own log would grow with every broadcast.
    for (const f of client.frames) {
      if (f.type !== 'res') continue;
      if (f.ok) acked += 1;
      else refused ||= JSON.stringify(f.error);
    }
    client.frames.length = 0;
  });
  const gw = { hub, client, rows };
  gateways[g] = gw;
  const before = acked;
  for (let i = 0; i < rows; i += 1) beacon(g, i, `g${g}-host-${i}`, i % 300);
  while (acked - before < rows) {
    if (refused) throw new Error(`beacon refused: ${refused}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return gw;
}

serveRpc({
  async start(p) {
    const count = Number(p.count);
    const rows = Number(p.rows);
    for (let g = 0; g < count; g += 1) await startGateway(g, rows, String(p.token));
    return { urls: gateways.map((gw) => gw.hub.url), entries: gateways.map((gw) => gw.hub.store.list().length) };
  },
  /** One beacon renaming row `i` of gateway `g` to `host`. */
  beacon(p) {
    beacon(Number(p.g), Number(p.i), String(p.host), 0);
    return {};
  },
  /** `rate` beacons/s spread round-robin over `gateways`, for `seconds`; each moves one row's last input. */
  async storm(p) {
    const targets = p.gateways as number[];
    const rate = Number(p.rate);
    const seconds = Number(p.seconds);
    const t0 = performance.now();
    let sent = 0;
    while (performance.now() - t0 < seconds * 1000) {
      const due = Math.floor(((performance.now() - t0) / 1000) * rate);
      for (; sent < due; sent += 1) {
        const g = targets[sent % targets.length]!;
        const i = Math.floor(sent / targets.length) % gateways[g]!.rows;
        beacon(g, i, `g${g}-host-${i}`, sent % 300);
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    return { sent, seconds: (performance.now() - t0) / 1000 };
  },
  async stop() {
    for (const gw of gateways) gw.client.close();
    await Promise.all(gateways.map((gw) => gw.hub.stop()));
    setImmediate(() => process.exit(0));
    return {};
  },
});
