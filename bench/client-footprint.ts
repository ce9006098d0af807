/**
 * Client footprint: CPU and memory of the headless client (`claw-beacon`) while
 * it beacons every 60 s for 10 minutes (BENCH_CLIENT_SECONDS to change).
 */
import { spawn } from 'node:child_process';
import { HubServer } from '../main/hub/hub-server.js';
import { tempDir } from '../tests/helpers/test-client.js';
import { cpuSeconds, mb, rssBytes, type Section } from './stats.js';

export async function clientFootprint(): Promise<Section> {
  const seconds = Number(process.env.BENCH_CLIENT_SECONDS ?? 600);
  const hub = new HubServer({ self: { host: 'footprint-hub', version: '0' }, token: 'F' });
  await hub.start();
  const child = spawn(process.execPath, ['dist/main/cli/beacon-cli.js', '--gateway', hub.url, '--token', 'F', '--interval', '60', '--data-dir', tempDir('claw-footprint-')], { stdio: 'ignore' });
  const pid = child.pid!;
  // If another benchmark fails and the run exits, don't leave the client beaconing.
  process.once('exit', () => child.kill('SIGTERM'));
  await new Promise((r) => setTimeout(r, 5000));
  const cpuStart = cpuSeconds(pid);
  const rssStart = rssBytes(pid);
  let rssMax = rssStart;
  const started = Date.now();
  while (Date.now() - started < seconds * 1000) {
    await new Promise((r) => setTimeout(r, 5000));
    rssMax = Math.max(rssMax, rssBytes(pid));
  }
  const cpuUsed = cpuSeconds(pid) - cpuStart;
  const rssEnd = rssBytes(pid);
  child.kill('SIGTERM');
  await hub.stop();
  const beacons = Math.floor(seconds / 60);
  return {
    title: 'Client footprint (headless client, beacon every 60 s)',
    lines: [
      `${seconds} s after start-up (about ${beacons} beacons): CPU ${cpuUsed.toFixed(2)} s in total = ${((cpuUsed / seconds) * 100).toFixed(3)} % of one core on average`,
      `memory (RSS): ${mb(rssStart)} at start, ${mb(rssEnd)} at the end, ${mb(rssMax)} at most`,
    ],
  };
}
