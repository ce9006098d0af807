/**
 * The bridge table against both shells: the Electron side (IPC handlers and
 * the real preload, with only the `electron` module mocked: the binary can't be
 * had here) and the browser shell (a real BrowserShell on 127.0.0.1, driven
 * over a real WebSocket with its session cookie). Every set of names is read
 * from what each side actually registers, exposes or answers, and compared with
 * the table; a bad argument is refused the same way on both, before the core.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { build } from 'esbuild';
import { WebSocket } from 'ws';
import { BRIDGE, BRIDGE_GLOBAL, BRIDGE_NAMES, type BridgeName } from '../../../shared/ipc/bridge.js';
import { HostFrameSchema, SESSION_PATH, SOCKET_PATH } from '../../../shared/ipc/socket-frames.js';
import { tempDir } from '../../helpers/temp-dirs.js';
import { viewSnapshot } from '../../helpers/view-snapshot.js';

const ipcHandlers = new Map<string, (event: unknown, arg?: unknown) => unknown>();
const exposed = new Map<string, Record<string, unknown>>();
const invoked: Array<{ channel: string; args: unknown[] }> = [];

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, arg?: unknown) => unknown) => ipcHandlers.set(channel, fn),
    removeHandler: (channel: string) => ipcHandlers.delete(channel),
  },
  ipcRenderer: {
    invoke: async (channel: string, ...args: unknown[]) => invoked.push({ channel, args }),
    on: () => {},
    removeListener: () => {},
  },
  contextBridge: { exposeInMainWorld: (name: string, api: Record<string, unknown>) => exposed.set(name, api) },
}));

const { registerIpc } = await import('../../../main/shell/ipc-handlers.js');
const { BrowserShell } = await import('../../../main/serve/browser-shell.js');
const { createSocketBridge } = await import('../../../renderer/bridge.js');
await import('../../../preload/preload.js');

/** The stream is the one member of the page's bridge that is not a call. */
const STREAM = 'onSnapshotMessage';
const callNames = (api: object) => Object.keys(api).filter((k) => k !== STREAM).sort();
const TABLE = [...BRIDGE_NAMES].sort();

/** A core that records what reaches it. */
function recordingCore() {
  const reached: string[] = [];
  const core = {
    snapshot: () => (reached.push('snapshot'), viewSnapshot([], 1)),
    subscribe: () => () => {},
    refresh: async () => void reached.push('refresh'),
    getSettings: () => (reached.push('getSettings'), { gatewayUrl: '' }),
    saveSettings: async (update: unknown) => (reached.push('saveSettings'), { ok: true, update }),
    getMachineHistory: async (key: string) => (reached.push('getMachineHistory'), { key, statusChanges: [], stats: [] }),
    forgetMachine: async () => void reached.push('forgetMachine'),
  };
  return { core, reached };
}

/** Bad arguments, one or more per kind of schema, and how each shell must answer them. */
const BAD: Array<{ name: BridgeName; arg: unknown; error: RegExp } | { name: BridgeName; arg: unknown; result: unknown }> = [
  { name: 'refresh', arg: 'now', error: /^refresh refused its argument: it takes no argument$/ },
  { name: 'getSnapshot', arg: { all: true }, error: /^getSnapshot refused its argument: it takes no argument$/ },
  { name: 'getMachineHistory', arg: 42, error: /^getMachineHistory refused its argument: at \/: .*expected string/ },
  { name: 'forgetMachine', arg: 'x', error: /^forgetMachine refused its argument: at \/: .*>=3 characters/ },
  { name: 'forgetMachine', arg: 'k'.repeat(301), error: /^forgetMachine refused its argument: at \/: .*<=300 characters/ },
  // saveSettings's result says "refused" itself, so the Settings dialog shows why instead of failing.
  { name: 'saveSettings', arg: { beaconIntervalSeconds: 1 }, result: { ok: false, error: expect.stringMatching(/^invalid settings: at \/beaconIntervalSeconds: .*>=10/) } },
  { name: 'saveSettings', arg: { gatewayUrl: 'ws://x', isAdmin: true }, result: { ok: false, error: expect.stringMatching(/^invalid settings: .*isAdmin/) } },
  { name: 'saveSettings', arg: 'ws://x', result: { ok: false, error: expect.stringMatching(/^invalid settings: at \/: .*expected object/) } },
];

describe('the Electron shell follows the bridge table', () => {
  const ours = { sender: { id: 3 }, senderFrame: { url: 'app://instances/index.html', parent: null } };
  const { core, reached } = recordingCore();
  beforeAll(() => registerIpc(core as never, new Set([3]), () => {}));

  it('registers one IPC handler per row, on its channel, and the preload exposes exactly the rows plus the stream', () => {
    expect([...ipcHandlers.keys()].sort()).toEqual(BRIDGE_NAMES.map((n) => BRIDGE[n].channel).sort());
    const bridge = exposed.get(BRIDGE_GLOBAL)!;
    expect(callNames(bridge)).toEqual(TABLE);
    expect(Object.keys(bridge)).toContain(STREAM);
  });

  it('keeps the sandboxed preload tiny: the table comes without zod, the core or the page', async () => {
    // Bundled as `npm run build` bundles it.
    const out = await build({ entryPoints: ['preload/preload.ts'], bundle: true, platform: 'node', format: 'cjs', external: ['electron'], write: false, logLevel: 'silent' });
    const code = out.outputFiles[0]!.text;
    expect(code.length).toBeLessThan(4096);
    expect(code).not.toMatch(/zod|ZodError|safeParse/);
    expect(code.match(/require\("([^"]+)"\)/g)).toEqual(['require("electron")']);
  });

  it('sends each preload call on its row channel with exactly the argument given', async () => {
    const bridge = exposed.get(BRIDGE_GLOBAL)! as Record<string, (...args: unknown[]) => Promise<unknown>>;
    invoked.length = 0;
    for (const name of BRIDGE_NAMES) await bridge[name]!('a', 'extra');
    expect(invoked).toEqual(BRIDGE_NAMES.map((n) => ({ channel: BRIDGE[n].channel, args: ['a'] })));
  });

  it('refuses a bad argument with an error that says why, and the core never sees it', async () => {
    reached.length = 0;
    for (const bad of BAD) {
      const answer = ipcHandlers.get(BRIDGE[bad.name].channel)!(ours, bad.arg) as Promise<unknown>;
      if ('error' in bad) await expect(answer, bad.name).rejects.toThrow(bad.error);
      else expect(await answer, bad.name).toEqual(bad.result);
    }
    expect(reached).toEqual([]);
    expect(await ipcHandlers.get(BRIDGE.getMachineHistory.channel)!(ours, 'dev:abc')).toEqual({ key: 'dev:abc', statusChanges: [], stats: [] });
    expect(reached).toEqual(['getMachineHistory']);
  });
});

describe('the browser shell follows the bridge table', () => {
  const { core, reached } = recordingCore();
  let shell: InstanceType<typeof BrowserShell>;
  let ws: WebSocket;
  let dir: string;
  const frames: unknown[] = [];

  beforeAll(async () => {
    dir = tempDir('claw-bridge-shell-');
    mkdirSync(path.join(dir, 'renderer'));
    writeFileSync(path.join(dir, 'renderer', 'index.html'), '<!doctype html><title>t</title>');
    shell = new BrowserShell({ service: core as never, rendererDir: path.join(dir, 'renderer') });
    const link = new URL(await shell.start());
    const traded = await fetch(`${link.origin}${SESSION_PATH}`, { method: 'POST', headers: { Origin: link.origin, 'Content-Type': 'application/json' }, body: JSON.stringify({ token: link.searchParams.get('token') }) });
    const cookie = traded.headers.get('set-cookie')!.split(';')[0]!;
    ws = new WebSocket(`ws://${link.host}${SOCKET_PATH}`, { headers: { Origin: link.origin, Cookie: cookie } });
    ws.on('message', (data) => frames.push(JSON.parse(data.toString())));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  });
  afterAll(async () => {
    ws?.close();
    await shell?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  let nextId = 1;
  /** Sends one frame and resolves with the shell's answer to it (a result with its id, or an error frame). */
  async function send(frame: object): Promise<unknown> {
    const seen = frames.length;
    ws.send(JSON.stringify(frame));
    const id = (frame as { id?: unknown }).id;
    await expect.poll(() => frames.slice(seen).some((f) => (f as { id?: unknown }).id === id || (f as { type: string }).type === 'error')).toBe(true);
    const answer = frames.slice(seen).find((f) => (f as { id?: unknown }).id === id || (f as { type: string }).type === 'error');
    // Whatever the shell sends, the page can read.
    expect(HostFrameSchema.safeParse(answer).success).toBe(true);
    return answer;
  }
  const call = (method: string, arg?: unknown) => send({ type: 'call', id: nextId++, method, ...(arg === undefined ? {} : { arg }) }) as Promise<{ ok: boolean; value?: unknown; error?: string }>;

  it('accepts exactly the calls of the table, and the page socket client offers exactly those', async () => {
    // Everything the page could try: the table, the stream, the core's own method names, and names every object has.
    const candidates = [...BRIDGE_NAMES, STREAM, 'snapshot', 'subscribe', 'stop', 'toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'];
    const accepted: string[] = [];
    for (const method of candidates) {
      const answer = await call(method);
      if (!(answer.ok === false && answer.error?.startsWith('unknown call'))) accepted.push(method);
    }
    expect(accepted.sort()).toEqual(TABLE);
    expect(callNames(createSocketBridge('ws://127.0.0.1:9/api', () => {}))).toEqual(TABLE);
  });

  it('refuses a bad argument with an error that says why, and the core never sees it', async () => {
    reached.length = 0;
    for (const bad of BAD) {
      const answer = await call(bad.name, bad.arg);
      if ('error' in bad) expect(answer, bad.name).toEqual({ type: 'result', id: expect.any(Number), ok: false, error: expect.stringMatching(bad.error) });
      else expect(answer, bad.name).toEqual({ type: 'result', id: expect.any(Number), ok: true, value: bad.result });
    }
    expect(reached).toEqual([]);
    expect(await call('getMachineHistory', 'dev:abc')).toMatchObject({ ok: true, value: { key: 'dev:abc' } });
    expect(reached).toEqual(['getMachineHistory']);
  });

  it('answers a frame it cannot pair with a call with an error frame, and keeps the socket', async () => {
    expect(await send({ type: 'call', id: -1, method: 'refresh' })).toEqual({ type: 'error', error: 'invalid call' });
    expect(await send({ type: 'call', id: nextId++, method: 'refresh', extra: 1 })).toEqual({ type: 'error', error: 'invalid call' });
    expect(await call('refresh')).toMatchObject({ ok: true });
  });
});
