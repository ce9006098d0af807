/**
 * Issue 12 V1 as the review performed it: a second local user (`nobody`)
 * against a running browser shell. Needs root to switch users (runuser);
 * skipped elsewhere. The attacker's script uses only Node built-ins, since
 * it runs with nobody's rights.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InstancesService } from '../../../main/core/instances-service.js';
import { FileSecretStore } from '../../../main/core/settings-store.js';
import { BrowserShell } from '../../../main/serve/browser-shell.js';
import { ScriptedGateway } from '../../helpers/scripted-gateway.js';
import { tempDir } from '../../helpers/test-client.js';

const canSwitchUser = process.getuid?.() === 0 && existsSync('/usr/sbin/runuser');

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** What the other user tries: the page, the socket with a right Origin, a guessed token, the secret file. */
const ATTACK = String.raw`
const http = require('node:http');
const fs = require('node:fs');
const [port, secretFile] = process.argv.slice(1);
const host = '127.0.0.1:' + port;
const get = (o) => new Promise((resolve) => {
  const req = http.request({ host: '127.0.0.1', port, ...o, headers: { Host: host, ...o.headers } }, (res) => {
    let body = ''; res.on('data', (c) => (body += c)); res.on('end', () => resolve({ status: res.statusCode, body, cookie: res.headers['set-cookie'] }));
  });
  req.on('upgrade', (res, socket) => { socket.destroy(); resolve({ status: 101 }); });
  req.on('error', (e) => resolve({ error: e.message }));
  req.end(o.body);
});
(async () => {
  const page = await get({ path: '/' });
  const socket = await get({ path: '/api', headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', Origin: 'http://' + host } });
  const guess = await get({ path: '/session', method: 'POST', headers: { Origin: 'http://' + host, 'Content-Type': 'application/json' }, body: JSON.stringify({ token: 'guessed' }) });
  let secret;
  try { secret = fs.readFileSync(secretFile, 'utf8'); } catch (e) { secret = e.code; }
  console.log(JSON.stringify({ uid: process.getuid(), page: { status: page.status, body: page.body }, socket: socket.status, guess: { status: guess.status, cookie: guess.cookie }, secret }));
})();
`;

describe('another local user against the browser shell (V1)', () => {
  it.skipIf(!canSwitchUser)('gets the page but no token, no socket, no cookie and no secret', async () => {
    const gw = await ScriptedGateway.start();
    cleanups.push(() => gw.stop());
    const root = tempDir('claw-second-user-');
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    const dataDir = path.join(root, 'data');
    const rendererDir = path.join(root, 'renderer');
    mkdirSync(rendererDir);
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Claw Instances</title>');
    const service = new InstancesService({ dataDir, secrets: new FileSecretStore(dataDir), idleSeconds: () => undefined, env: {}, home: root });
    await service.start();
    const host = new BrowserShell({ service, rendererDir });
    const link = await host.start();
    cleanups.push(async () => {
      await host.stop();
      await service.stop();
    });
    await service.saveSettings({ gateways: [{ kind: 'remote', url: gw.url, secret: 'the-users-token' }] });
    const port = new URL(link).port;

    // Asynchronously: the host answering the attack runs in this very process.
    const run = await promisify(execFile)('/usr/sbin/runuser', ['-u', 'nobody', '--', process.execPath, '-e', ATTACK, port, path.join(dataDir, 'gateway-secret')], { encoding: 'utf8', timeout: 20_000 });
    expect(run.stderr).toBe('');
    const seen = JSON.parse(run.stdout) as { uid: number; page: { status: number; body: string }; socket: number; guess: { status: number; cookie?: string[] }; secret: string };
    expect(seen.uid).toBe(65534);
    expect(seen.page.status).toBe(200);
    expect(seen.page.body).not.toContain(new URL(link).searchParams.get('token')!);
    expect(seen.socket).toBe(403);
    expect(seen.guess).toEqual({ status: 403 });
    expect(seen.secret).toBe('EACCES');
    // The printed link still works for the user who has it: nothing was used up by the attempts.
    const res = await fetch(`${host.url}/session`, { method: 'POST', headers: { Origin: host.url, 'Content-Type': 'application/json' }, body: JSON.stringify({ token: new URL(link).searchParams.get('token') }) });
    expect(res.status).toBe(204);
  });
});
