/**
 * Machine history: the pure write plan (status changes, once-a-minute last
 * seen and stats), the SQLite store (pruning to 7 days, forget, the 24 h
 * window), and the recorder over a real database file in a temp folder.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryRecorder, gatewayIdFor } from '../../../main/core/history-recorder.js';
import { HistoryDatabase, WRITE_BATCH_MS } from '../../../main/core/history-database.js';
import { HISTORY_FILE, HistoryOpenError, openHistoryDatabase } from '../../../main/history/history-db.js';
import { HISTORY_KEEP_MS, HISTORY_WINDOW_MS, HistoryStore } from '../../../main/history/history-store.js';
import { planWrites, type MachineMemory } from '../../../main/history/plan.js';
import type { KnownNode, ReceivedEntry } from '../../../shared/client/view-state.js';
import { DEFAULT_STATUS_THRESHOLDS as T } from '../../../shared/presence/status.js';
import { foldMachines } from '../../../shared/view/machines.js';
import { tempDir } from '../../helpers/test-client.js';
import { gatewayView as viewSnapshot } from '../../helpers/view-snapshot.js';
import { fleet } from '../../helpers/fleet.js';

const dirs: string[] = [];
const closers: Array<() => void> = [];
afterEach(() => {
  for (const c of closers.splice(0).reverse()) c();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function dir(): string {
  const d = tempDir('claw-history-');
  dirs.push(d);
  return d;
}
function store(d = dir()): HistoryStore {
  const s = new HistoryStore(openHistoryDatabase(d, () => {}));
  closers.push(() => s.close());
  return s;
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW = 1_800_000_000_000;
const entry = (host: string, ts: number, extra: Partial<ReceivedEntry> = {}): ReceivedEntry => ({ host, instanceId: `id-${host}`, ts, text: '', ...extra });

function plan(entries: ReceivedEntry[], memory: ReadonlyMap<string, MachineMemory>, now: number, nodes?: KnownNode[]) {
  return planWrites({ machines: foldMachines({ entries, ...(nodes ? { nodes } : {}), selfDeviceId: 'me' }), memory, gatewayNowMs: now, thresholds: T });
}

describe('the write plan', () => {
  it('records a new machine once, then only its status changes, each with the time it began', () => {
    const first = plan([entry('a', NOW)], new Map(), NOW);
    expect(first.writes.machines).toHaveLength(1);
    expect(first.writes.statusChanges).toEqual([{ key: 'i:id-a', atMs: NOW, status: 'active' }]);
    expect(first.rememberedChanged).toBe(true);

    // Nothing new 30 s later: nothing written.
    const same = plan([entry('a', NOW)], first.memory, NOW + 30_000);
    expect(same.writes).toEqual({ machines: [], statusChanges: [], stats: [] });

    // Noticed late: Idle began 2 minutes after the last update, Stale after 5.
    const idle = plan([entry('a', NOW)], same.memory, NOW + 4 * MIN);
    expect(idle.writes.statusChanges).toEqual([{ key: 'i:id-a', atMs: NOW + T.activeMs, status: 'idle' }]);
    const stale = plan([entry('a', NOW)], idle.memory, NOW + 10 * MIN);
    expect(stale.writes.statusChanges).toEqual([{ key: 'i:id-a', atMs: NOW + T.idleMs, status: 'stale' }]);

    const disconnected = plan([entry('a', NOW + 11 * MIN, { reason: 'disconnect' })], stale.memory, NOW + 11 * MIN);
    expect(disconnected.writes.statusChanges).toEqual([{ key: 'i:id-a', atMs: NOW + 11 * MIN, status: 'disconnected' }]);

    // It leaves the list: Gone, now, with its last seen time and fields kept.
    const gone = plan([], disconnected.memory, NOW + 20 * MIN);
    expect(gone.writes.statusChanges).toEqual([{ key: 'i:id-a', atMs: NOW + 20 * MIN, status: 'gone' }]);
    expect(gone.writes.machines[0]).toMatchObject({ key: 'i:id-a', lastSeenAtMs: NOW + 11 * MIN, status: 'gone' });
    expect(JSON.parse(gone.writes.machines[0]!.fieldsJson)).toMatchObject({ host: 'a', reason: 'disconnect' });
    expect(gone.rememberedChanged).toBe(true);
    // Gone stays gone without writing again.
    expect(plan([], gone.memory, NOW + 30 * MIN).writes.statusChanges).toEqual([]);
  });

  it('writes last seen at most once a minute per machine, and flushes the rest on request', () => {
    let p = plan([entry('a', NOW)], new Map(), NOW);
    let machineWrites = 0;
    for (let t = 10_000; t <= 2 * MIN; t += 10_000) {
      p = plan([entry('a', NOW + t)], p.memory, NOW + t);
      machineWrites += p.writes.machines.length;
    }
    // 12 beacons over two minutes: two last-seen writes.
    expect(machineWrites).toBe(2);
  });

  it('a known node that is not listed is Offline, from its last seen time', () => {
    const node: KnownNode = { nodeId: 'dev-n', displayName: 'vm', connected: false, lastSeenAtMs: NOW - HOUR, lastSeenReason: 'disconnect' };
    const p = plan([], new Map(), NOW, [node]);
    expect(p.writes.statusChanges).toEqual([{ key: 'd:dev-n', atMs: NOW - HOUR, status: 'offline' }]);
    expect(p.writes.machines[0]).toMatchObject({ firstSeenAtMs: NOW - HOUR, lastSeenAtMs: NOW - HOUR });
    // One last seen longer ago than history keeps is not written (it would only be pruned again).
    expect(plan([], new Map(), NOW, [{ ...node, lastSeenAtMs: NOW - 8 * DAY }]).writes.machines).toEqual([]);
  });

  it('samples host stats at most once a minute, as load and used ratios', () => {
    const hostStats = { cpuCount: 4, loadAverage: [1.5, 1, 1], memoryTotalBytes: 100, memoryFreeBytes: 25, diskTotalBytes: 200, diskAvailableBytes: 50 };
    const node = (at: number): KnownNode => ({ nodeId: 'dev-n', connected: true, lastSeenAtMs: at, hostStats: { ...hostStats, updatedAtMs: at } });
    let p = plan([], new Map(), NOW, [node(NOW)]);
    expect(p.writes.stats).toEqual([{ key: 'd:dev-n', atMs: NOW, load1: 1.5, memoryUsedRatio: 0.75, diskUsedRatio: 0.75 }]);
    p = plan([], p.memory, NOW + 30_000, [node(NOW + 30_000)]);
    expect(p.writes.stats).toEqual([]);
    p = plan([], p.memory, NOW + MIN, [node(NOW + MIN)]);
    expect(p.writes.stats).toHaveLength(1);
  });
});

describe('the history store', () => {
  it('makes history.sqlite 0600 in a 0700 folder, with a schema version', () => {
    const d = path.join(dir(), 'data');
    store(d);
    expect(statSync(d).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(d, HISTORY_FILE)).mode & 0o777).toBe(0o600);
    const db = openHistoryDatabase(dir(), () => {});
    expect(db.get('SELECT max(version) AS v FROM schema_version')).toEqual({ v: 1 });
    db.close();
  });

  it('prunes machines not seen for 7 days, and old samples, but keeps the status a window starts with', () => {
    const s = store();
    const changes = [
      { key: 'old', atMs: NOW - 9 * DAY, status: 'active' as const },
      { key: 'kept', atMs: NOW - 9 * DAY, status: 'active' as const },
      { key: 'kept', atMs: NOW - 8 * DAY, status: 'idle' as const },
      { key: 'kept', atMs: NOW - 2 * DAY, status: 'stale' as const },
    ];
    s.apply('g', {
      machines: [
        { key: 'old', firstSeenAtMs: NOW - 9 * DAY, lastSeenAtMs: NOW - 8 * DAY, status: 'gone', statusAtMs: NOW - 8 * DAY, fieldsJson: '{}' },
        { key: 'kept', firstSeenAtMs: NOW - 9 * DAY, lastSeenAtMs: NOW - 1 * DAY, status: 'stale', statusAtMs: NOW - 2 * DAY, fieldsJson: '{}' },
      ],
      statusChanges: changes,
      stats: [
        { key: 'kept', atMs: NOW - 8 * DAY, load1: 1 },
        { key: 'kept', atMs: NOW - 1 * DAY, load1: 2 },
        { key: 'old', atMs: NOW - 8 * DAY, load1: 3 },
      ],
    });
    const dropped = s.prune(NOW - HISTORY_KEEP_MS);
    expect(dropped).toEqual({ machines: 1, statusChanges: 2, stats: 2 });
    expect(s.machines('g', 0).map((m) => m.key)).toEqual(['kept']);
    // The window 7 days back starts Idle (the newest change before the cutoff survived).
    const h = s.history('g', 'kept', NOW - 7 * DAY, NOW);
    expect(h.statusChanges).toEqual([
      { atMs: NOW - 7 * DAY, status: 'idle' },
      { atMs: NOW - 2 * DAY, status: 'stale' },
    ]);
    expect(h.stats).toEqual([{ atMs: NOW - 1 * DAY, load1: 2 }]);
    expect(s.history('g', 'old', 0, NOW)).toEqual({ key: 'old', statusChanges: [], stats: [] });
  });

  it('the 24 h window: the status at its start, then the changes inside it, per gateway', () => {
    const s = store();
    const from = NOW - HISTORY_WINDOW_MS;
    const m = { key: 'k', firstSeenAtMs: NOW - 2 * DAY, lastSeenAtMs: NOW, status: 'active' as const, statusAtMs: NOW - HOUR, fieldsJson: '{}' };
    s.apply('g', {
      machines: [m],
      statusChanges: [
        { key: 'k', atMs: NOW - 2 * DAY, status: 'active' },
        { key: 'k', atMs: NOW - 30 * HOUR, status: 'gone' },
        { key: 'k', atMs: NOW - 3 * HOUR, status: 'active' },
        { key: 'k', atMs: NOW - 2 * HOUR, status: 'stale' },
        { key: 'k', atMs: NOW - HOUR, status: 'active' },
      ],
      stats: [],
    });
    s.apply('other', { machines: [m], statusChanges: [{ key: 'k', atMs: NOW - 5 * HOUR, status: 'offline' }], stats: [] });
    expect(s.history('g', 'k', from, NOW)).toEqual({
      key: 'k',
      firstSeenAtMs: NOW - 2 * DAY,
      lastSeenAtMs: NOW,
      statusChanges: [
        { atMs: from, status: 'gone' },
        { atMs: NOW - 3 * HOUR, status: 'active' },
        { atMs: NOW - 2 * HOUR, status: 'stale' },
        { atMs: NOW - HOUR, status: 'active' },
      ],
      stats: [],
    });
  });

  it('forget deletes the machine and everything about it, on that gateway only', () => {
    const s = store();
    const m = { key: 'k', firstSeenAtMs: NOW, lastSeenAtMs: NOW, status: 'active' as const, statusAtMs: NOW, fieldsJson: '{}' };
    for (const g of ['g', 'h']) s.apply(g, { machines: [m], statusChanges: [{ key: 'k', atMs: NOW, status: 'active' }], stats: [{ key: 'k', atMs: NOW, load1: 1 }] });
    expect(s.forget('g', 'k')).toBe(true);
    expect(s.machines('g', 0)).toEqual([]);
    expect(s.history('g', 'k', 0, NOW + 1)).toEqual({ key: 'k', statusChanges: [], stats: [] });
    expect(s.history('h', 'k', 0, NOW + 1).statusChanges).toHaveLength(1);
    expect(s.forget('g', 'k')).toBe(false);
  });

  it('moves a damaged (non-SQLite) file aside, says so, and starts a new one', () => {
    const d = dir();
    writeFileSync(path.join(d, HISTORY_FILE), 'this is not a database, just text that is long enough to have a header'.repeat(20), { mode: 0o600 });
    const logs: string[] = [];
    const s = new HistoryStore(openHistoryDatabase(d, (l) => logs.push(l), 12345));
    closers.push(() => s.close());
    expect(s.machines('g', 0)).toEqual([]);
    expect(existsSync(path.join(d, `${HISTORY_FILE}.damaged-12345`))).toBe(true);
    expect(logs.join('\n')).toMatch(/history\.sqlite was unreadable \(not a SQLite database/);
  });

  it('removes a lock left by a process that died, and refuses one whose owner still runs', () => {
    const d = dir();
    store(d).close();
    closers.pop();
    mkdirSync(path.join(d, `${HISTORY_FILE}.lock`));
    writeFileSync(path.join(d, `${HISTORY_FILE}.owner`), '999999999\n');
    const logs: string[] = [];
    const s = new HistoryStore(openHistoryDatabase(d, (l) => logs.push(l)));
    expect(logs.join('\n')).toMatch(/removed a lock left by an interrupted write/);
    s.close();
    mkdirSync(path.join(d, `${HISTORY_FILE}.lock`));
    writeFileSync(path.join(d, `${HISTORY_FILE}.owner`), `${process.ppid}\n`);
    expect(() => openHistoryDatabase(d, () => {})).toThrow(HistoryOpenError);
    rmSync(path.join(d, `${HISTORY_FILE}.lock`), { recursive: true });
  });
});

describe('one process keeps the history', () => {
  it('a second process on the same data folder runs without history and says so; a clean close frees it', () => {
    const d = dir();
    const first = new HistoryDatabase({ dataDir: d });
    first.open();
    // Another live process (our parent) holds it, as the desktop app would while `npm run serve` starts.
    writeFileSync(path.join(d, `${HISTORY_FILE}.owner`), `${process.ppid}\n`);
    const logs: string[] = [];
    const second = new HistoryDatabase({ dataDir: d, log: (l) => logs.push(l) });
    second.open();
    expect(second.store).toBeUndefined();
    const recorder = new HistoryRecorder({ database: second, onChange: () => {} });
    expect(recorder.remembered).toBeUndefined();
    expect(logs.join('\n')).toMatch(/history: not kept this session: .*in use by another process \(pid \d+\)/);
    recorder.close();
    second.close();
    writeFileSync(path.join(d, `${HISTORY_FILE}.owner`), `${process.pid}\n`);
    first.close();
    expect(existsSync(path.join(d, `${HISTORY_FILE}.owner`))).toBe(false);
    const third = new HistoryDatabase({ dataDir: d });
    third.open();
    expect(third.store).toBeDefined();
    third.close();
  });
});

describe('the history recorder', () => {
  function recorder(d: string, clock: () => number) {
    let changes = 0;
    const database = new HistoryDatabase({ dataDir: d, clock });
    database.open();
    const r = new HistoryRecorder({ database, clock, onChange: () => (changes += 1) });
    const close = () => {
      r.close();
      database.close();
    };
    closers.push(close);
    return { r, changes: () => changes, close };
  }
  const snap = (entries: ReceivedEntry[], v: number, now: number) => viewSnapshot(entries, v, { gatewayNowMs: now, self: { instanceId: 'x', deviceId: 'me' } });

  it('remembers machines across a reopen, turns a vanished one Gone, and forgets on request', () => {
    const d = dir();
    let now = NOW;
    const { r, close } = recorder(d, () => now);
    r.recordNow(snap([entry('a', NOW), entry('b', NOW)], 1, NOW));
    expect(r.remembered?.map((m) => m.key).sort()).toEqual(['i:id-a', 'i:id-b']);
    now = NOW + 10 * MIN;
    r.recordNow(snap([entry('a', now)], 2, now));
    close();
    closers.pop();

    const again = recorder(d, () => now).r;
    again.recordNow(snap([entry('a', now)], 3, now));
    const b = again.remembered?.find((m) => m.key === 'i:id-b');
    expect(b).toMatchObject({ firstSeenAtMs: NOW, lastSeenAtMs: NOW, entry: { host: 'b', instanceId: 'id-b', ts: NOW } });
    expect(again.history('i:id-b').statusChanges.map((c) => c.status)).toEqual(['active', 'gone']);
    // a's last seen, held back to once a minute, was written on close.
    expect(again.remembered?.find((m) => m.key === 'i:id-a')?.lastSeenAtMs).toBe(NOW + 10 * MIN);

    again.forget('i:id-b');
    expect(again.remembered?.map((m) => m.key)).toEqual(['i:id-a']);
    expect(again.history('i:id-b')).toEqual({ key: 'i:id-b', statusChanges: [], stats: [] });
    // A machine that is still listed comes back at the next record, as new.
    again.forget('i:id-a');
    again.recordNow(snap([entry('a', now)], 3, now));
    expect(again.remembered?.map((m) => m.key)).toEqual(['i:id-a']);
  });

  it('keeps nothing from before the window, and nothing when no list was ever received', () => {
    const d = dir();
    const now = NOW;
    const { r } = recorder(d, () => now);
    r.recordNow(snap([entry('a', NOW)], 0, NOW));
    expect(r.remembered).toEqual([]);
    expect(r.history('i:id-a').statusChanges).toEqual([]);
  });

  it('names gateways without userinfo, query or fragment', () => {
    expect(gatewayIdFor({ kind: 'embedded', url: 'ws://127.0.0.1:5555' })).toBe('embedded');
    expect(gatewayIdFor({ kind: 'remote', url: 'wss://user:pw@gw.example:8443/path?token=T#x' })).toBe('wss://gw.example:8443/path');
    expect(gatewayIdFor({ kind: 'remote', url: 'ws://127.0.0.1:18789' })).toBe('ws://127.0.0.1:18789');
  });

  it('a 2,000-machine fleet costs little: first record, one beacon, everyone going stale', () => {
    const d = dir();
    let now = NOW;
    const { r } = recorder(d, () => now);
    const list = fleet({ entries: 2000, ts: NOW });
    const time = (f: () => void) => {
      const t0 = performance.now();
      f();
      return performance.now() - t0;
    };
    const firstMs = time(() => r.recordNow(snap(list, 1, now)));
    const beacon = list.slice();
    beacon[7] = { ...beacon[7]!, ts: NOW + 1000 };
    now = NOW + 1000;
    const oneMs: number[] = [];
    for (let i = 0; i < 20; i += 1) oneMs.push(time(() => r.recordNow(snap(beacon, 2 + i, now))));
    now = NOW + 6 * MIN;
    const staleMs = time(() => r.recordNow(snap(beacon, 100, now)));
    oneMs.sort((a, b) => a - b);
    const p50 = oneMs[10]!;
    console.log(`history, 2,000 machines: first record ${firstMs.toFixed(1)} ms, one beacon p50 ${p50.toFixed(2)} ms (fold included), all going stale ${staleMs.toFixed(1)} ms`);
    // The database's part alone: 2,000 rows and 2,000 status changes in one transaction.
    const s = store();
    const rows = Array.from({ length: 2000 }, (_, i) => ({ key: `k${i}`, firstSeenAtMs: NOW, lastSeenAtMs: NOW, status: 'active' as const, statusAtMs: NOW, fieldsJson: '{"host":"h"}' }));
    const writeMs = time(() => s.apply('g', { machines: rows, statusChanges: rows.map((m) => ({ key: m.key, atMs: NOW, status: 'stale' as const })), stats: [] }));
    const smallMs = time(() => s.apply('g', { machines: rows.slice(0, 1), statusChanges: [{ key: 'k0', atMs: NOW + 1, status: 'idle' }], stats: [] }));
    console.log(`history store: 2,000 machines + 2,000 changes in one transaction ${writeMs.toFixed(1)} ms; one machine's change ${smallMs.toFixed(1)} ms`);
    expect(writeMs).toBeLessThan(2000);
    expect(r.history('i:h-7').statusChanges.map((c) => c.status)).toEqual(['active', 'stale']);
    expect(r.remembered).toHaveLength(2000);
    // Generous bounds on a shared 2-core machine; the figures above are what to read.
    expect(p50).toBeLessThan(50);
    expect(firstMs).toBeLessThan(2000);
    expect(readdirSync(d).filter((f) => f.endsWith('-journal'))).toEqual([]);
  });
});

describe('recorders take turns', () => {
  it("writes every gateway's queued writes together, in one transaction, within a second, and before a read", async () => {
    const db = new HistoryDatabase({ dataDir: tempDir(), clock: () => NOW });
    db.open();
    const store = db.store!;
    const transactions: string[][] = [];
    const applyAll = store.applyAll.bind(store);
    store.applyAll = (batch) => {
      transactions.push(batch.map((b) => b.gateway));
      applyAll(batch);
    };
    const seen = (key: string) => ({ machines: [{ key, firstSeenAtMs: NOW, lastSeenAtMs: NOW, status: 'active' as const, statusAtMs: NOW, fieldsJson: '{}' }], statusChanges: [], stats: [] });
    db.write('g1', seen('a'));
    db.write('g2', seen('b'));
    expect(store.machines('g1', 0)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, WRITE_BATCH_MS + 100));
    expect(transactions).toEqual([['g1', 'g2']]);
    expect(store.machines('g1', 0).map((m) => m.key)).toEqual(['a']);
    expect(store.machines('g2', 0).map((m) => m.key)).toEqual(['b']);
    // A read that must see queued writes flushes first; close writes what is left.
    db.write('g1', seen('c'));
    db.flush();
    expect(store.machines('g1', 0).map((m) => m.key).sort()).toEqual(['a', 'c']);
    db.write('g1', seen('d'));
    db.close();
    const again = new HistoryDatabase({ dataDir: db.file.slice(0, -HISTORY_FILE.length - 1), clock: () => NOW });
    again.open();
    expect(again.store!.machines('g1', 0).map((m) => m.key).sort()).toEqual(['a', 'c', 'd']);
    again.close();
  });

  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

  it('runs one queued job per turn of the event loop, in order, and a job that throws stops none of the others', async () => {
    const logs: string[] = [];
    const db = new HistoryDatabase({ dataDir: tempDir(), log: (l) => logs.push(l) });
    const ran: number[] = [];
    db.takeTurn(() => ran.push(1));
    db.takeTurn(() => {
      throw new Error('disk full');
    });
    db.takeTurn(() => ran.push(3));
    await turn();
    expect(ran).toEqual([1]);
    await turn();
    expect(ran).toEqual([1]);
    expect(logs).toEqual(['history: disk full']);
    await turn();
    expect(ran).toEqual([1, 3]);
    db.takeTurn(() => ran.push(4));
    await turn();
    expect(ran).toEqual([1, 3, 4]);
  });
});
