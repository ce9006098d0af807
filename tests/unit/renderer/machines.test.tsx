import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { MachinesTable } from '../../../renderer/components/machines-table.js';
import { MachineDetails } from '../../../renderer/components/machine-details.js';
import { App } from '../../../renderer/app.js';
import { AppContext } from '../../../renderer/hooks.js';
import { createStore } from '../../../renderer/store.js';
import { PREFS_STORAGE_KEY } from '../../../renderer/view-prefs.js';
import { foldMachines, type MachineHistory } from '../../../shared/view/machines.js';
import { machineRowsAt, sortMachineRows } from '../../../shared/view/machine-list.js';
import { fleetMachineRows, type GatewayTag } from '../../../shared/view/fleet.js';
import { DEFAULT_STATUS_THRESHOLDS as T } from '../../../shared/presence/status.js';
import type { KnownNode, ReceivedEntry, RememberedMachine } from '../../../shared/client/view-state.js';
import type { InstancesApi } from '../../../shared/ipc/bridge.js';
import type { ViewSnapshot } from '../../../shared/ipc/contract.js';
import { gatewayView, viewSnapshot } from '../../helpers/view-snapshot.js';

const NOW = 2_000_000_000_000;
const e = (fields: Partial<ReceivedEntry>, ageMs = 0): ReceivedEntry => ({ text: '', ts: NOW - ageMs, ...fields });

const ENTRIES: ReceivedEntry[] = [
  e({ host: 'gw', deviceId: 'gw', mode: 'gateway', reason: 'self' }),
  e({ host: 'laptop', deviceId: 'lap', mode: 'ui', clientId: 'openclaw-control-ui', roles: ['operator'], scopes: ['operator.read'], reason: 'disconnect' }, 40_000),
  e({ host: 'laptop', deviceId: 'lap', mode: 'ui', clientId: 'openclaw-control-ui', reason: 'disconnect' }, 100_000),
  e({ host: 'laptop', instanceId: 'lap-inst', deviceId: 'lap', mode: 'ui', reason: 'periodic' }, 150_000),
  e({ host: 'studio', deviceId: 'studio', mode: 'node', reason: 'periodic', version: '2026.9.6' }, 5_000),
];
const NODES: KnownNode[] = [
  { nodeId: 'studio', displayName: 'studio', connected: true, approvalState: 'approved', hostStats: { loadAverage: [0.42, 0.3, 0.2], memoryTotalBytes: 16e9, memoryFreeBytes: 6e9, diskTotalBytes: 1e12, diskAvailableBytes: 2.9e11 } },
  { nodeId: 'pi', displayName: 'garage-pi', connected: false, lastSeenAtMs: NOW - 3 * 3_600_000, lastSeenReason: 'node-disconnected', approvalState: 'approved' },
  { nodeId: 'newbox', displayName: 'new-box', connected: false, approvalState: 'pending-approval', pendingRequestId: 'req-7f3a' },
];
const REMEMBERED: RememberedMachine[] = [{ key: 'd:old', firstSeenAtMs: NOW - 9e6, lastSeenAtMs: NOW - 2 * 3_600_000, entry: e({ host: 'old-mac', deviceId: 'old' }, 7_200_000) }];

const TAG: GatewayTag = { id: 'g1', name: 'Gateway', nameShowsAddress: false, colour: '#0072b2', live: true, clockOffsetMs: 0 };

function rows() {
  const machines = foldMachines({ entries: ENTRIES, nodes: NODES, remembered: REMEMBERED, gatewayHostStats: { loadAverage: [1.5] }, selfDeviceId: 'me' });
  return sortMachineRows(fleetMachineRows([{ gateway: TAG, rows: machineRowsAt(machines, NOW, T) }]), { column: 'default', direction: 'asc' });
}

function table(extra: Partial<Parameters<typeof MachinesTable>[0]> = {}) {
  return render(
    <MachinesTable rows={rows()} sort={{ column: 'default', direction: 'asc' }} onSort={() => {}} onSelect={() => {}} expanded={new Set()} onExpand={() => {}} offline={false} scrollRef={{ current: null }} nowMs={NOW} {...extra} />,
  );
}
const rowOf = (host: string) => screen.getAllByRole('row').find((r) => r.querySelector('.host')?.textContent === host)!;

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  localStorage.clear();
});

describe('MachinesTable', () => {
  it('shows one row per machine with its status, connections and host stats, in the default order', () => {
    table();
    const machineRows = screen.getAllByRole('row').filter((r) => r.classList.contains('machine-row'));
    expect(machineRows.map((r) => r.querySelector('.host')?.textContent)).toEqual(['gw', 'studio', 'laptop', 'garage-pi', 'new-box', 'old-mac']);
    const cells = within(rowOf('studio')).getAllByRole('cell').map((c) => c.textContent);
    expect(cells.slice(1)).toEqual(['● Active', '1', '—', '2026.9.6', 'load 0.42 · mem 63% · disk 71%', 'updated just now · Heartbeat']);
    // The gateway row gets the gateway host's own stats (system.info).
    expect(within(rowOf('gw')).getAllByRole('cell')[5]!.textContent).toBe('load 1.50');
    expect(within(rowOf('laptop')).getAllByRole('cell')[2]!.textContent).toBe('3');
  });

  it('says Disconnected, Offline and Gone with how long ago', () => {
    table();
    expect(rowOf('laptop').querySelector('.machine-status')!.textContent).toBe('◌ Disconnected · 40 s ago');
    expect(rowOf('garage-pi').querySelector('.machine-status')!.textContent).toBe('⊘ Offline · last seen 3 h ago (Node disconnected)');
    expect(rowOf('old-mac').querySelector('.machine-status')!.textContent).toBe('– Gone · last seen 2 h ago');
  });

  it('tags a node waiting for approval with the exact approve command, and copies it', async () => {
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const onSelect = vi.fn();
    table({ onSelect });
    const row = rowOf('new-box');
    expect(within(row).getByTestId('approval').textContent).toBe('Waiting for approval');
    expect(within(row).getByText('openclaw nodes approve req-7f3a')).toBeTruthy();
    await act(async () => fireEvent.click(within(row).getByRole('button', { name: 'Copy' })));
    expect(writeText).toHaveBeenCalledWith('openclaw nodes approve req-7f3a');
    expect(within(row).getByText('Copied.')).toBeTruthy();
    expect(onSelect).not.toHaveBeenCalled();
  });

  it('expands a row by mouse to list every connection: mode, client, roles/scopes, reason, age', () => {
    const onExpand = vi.fn();
    const { rerender } = table({ onExpand });
    const row = rowOf('laptop');
    expect(row.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(within(row).getByRole('button', { name: 'Show connections' }));
    expect(onExpand).toHaveBeenCalledWith('g1/d:lap', true);
    rerender(<MachinesTable rows={rows()} sort={{ column: 'default', direction: 'asc' }} onSort={() => {}} onSelect={() => {}} expanded={new Set(['g1/d:lap'])} onExpand={onExpand} offline={false} scrollRef={{ current: null }} nowMs={NOW} />);
    expect(rowOf('laptop').getAttribute('aria-expanded')).toBe('true');
    const lines = [...document.querySelectorAll('tr.entry-row')].map((r) => r.textContent);
    expect(lines).toEqual([
      'mode uiclient openclaw-control-uiroles operatorscopes operator.readreason Disconnectedupdated 40s ago',
      'mode uiclient openclaw-control-uiroles —scopes —reason Disconnectedupdated 1m ago',
      'mode uiclient —roles —scopes —reason Heartbeatupdated 2m ago',
    ]);
  });

  it('expands and folds from the keyboard, keeps arrow-key moves between machines, and sorts from the headers', () => {
    const onExpand = vi.fn();
    const onSelect = vi.fn();
    const onSort = vi.fn();
    table({ onExpand, onSelect, onSort, expanded: new Set(['g1/d:studio']) });
    fireEvent.keyDown(rowOf('laptop'), { key: 'ArrowRight' });
    expect(onExpand).toHaveBeenLastCalledWith('g1/d:lap', true);
    fireEvent.keyDown(rowOf('studio'), { key: 'ArrowLeft' });
    expect(onExpand).toHaveBeenLastCalledWith('g1/d:studio', false);
    fireEvent.keyDown(rowOf('laptop'), { key: 'Enter' });
    expect(onExpand).toHaveBeenLastCalledWith('g1/d:lap', true);
    expect(onSelect).toHaveBeenLastCalledWith('g1/d:lap');
    // ArrowDown from studio skips its expanded connection row and lands on the next machine.
    fireEvent.keyDown(rowOf('studio'), { key: 'ArrowDown' });
    expect(onSelect).toHaveBeenLastCalledWith('g1/d:lap');
    expect(document.activeElement).toBe(rowOf('laptop'));
    fireEvent.keyDown(rowOf('laptop'), { key: 'ArrowUp' });
    expect(onSelect).toHaveBeenLastCalledWith('g1/d:studio');
    fireEvent.click(screen.getByRole('button', { name: /^Status/ }));
    expect(onSort).toHaveBeenCalledWith('status');
  });
});

describe('MachineDetails', () => {
  const history: MachineHistory = {
    key: 'd:old',
    firstSeenAtMs: NOW - 20 * 3_600_000,
    lastSeenAtMs: NOW - 2 * 3_600_000,
    statusChanges: [
      { atMs: NOW - 30 * 3_600_000, status: 'active' },
      { atMs: NOW - 2 * 3_600_000, status: 'gone' },
    ],
    stats: [
      { atMs: NOW - 5 * 3_600_000, load1: 0.5, memoryUsedRatio: 0.4 },
      { atMs: NOW - 3 * 3_600_000, load1: 1.25, memoryUsedRatio: 0.6 },
    ],
  };
  const view = gatewayView(ENTRIES, 1, { gatewayNowMs: NOW, known: { nodes: NODES, note: 'system.info is not available on this gateway: no host stats for it.', readAtMs: NOW } });

  it('shows the note, the 24 h strip and sparklines from history, and forgets a Gone machine', async () => {
    const api = { getMachineHistory: vi.fn(async () => history), forgetMachine: vi.fn(async () => {}) };
    const row = rows().find((r) => r.key === 'g1/d:old')!;
    render(<MachineDetails row={row} view={view} api={api} nowMs={NOW} onClose={() => {}} />);
    expect(api.getMachineHistory).toHaveBeenCalledWith('g1/d:old');
    expect(screen.getByRole('note').textContent).toBe('system.info is not available on this gateway: no host stats for it.');
    const strip = await screen.findByTestId('status-strip');
    expect(strip.getAttribute('aria-label')).toMatch(/^Status over the last 24 hours: Active .*, Gone /);
    expect(strip.querySelectorAll('rect.strip-active, rect.strip-gone')).toHaveLength(2);
    expect(screen.getByRole('img', { name: /Load over the last 24 hours, now 1\.25/ })).toBeTruthy();
    expect(screen.getByRole('img', { name: /Memory over the last 24 hours, now 60%/ })).toBeTruthy();
    expect(screen.queryByRole('img', { name: /Disk/ })).toBeNull();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Forget' })));
    expect(api.forgetMachine).toHaveBeenCalledWith('g1/d:old');
    expect(screen.getByText('Forgotten: it leaves the list.')).toBeTruthy();
  });

  it('offers Forget only for Gone machines', () => {
    const api = { getMachineHistory: vi.fn(async () => history), forgetMachine: vi.fn(async () => {}) };
    render(<MachineDetails row={rows().find((r) => r.key === 'g1/d:pi')!} view={view} api={api} nowMs={NOW} onClose={() => {}} />);
    expect(screen.queryByRole('button', { name: 'Forget' })).toBeNull();
  });
});

function fakeApi(snapshot: ViewSnapshot): InstancesApi & { push(s: ViewSnapshot): void } {
  const listeners = new Set<(s: ViewSnapshot) => void>();
  return {
    getSnapshot: async () => snapshot,
    onSnapshot: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    pauseUpdates: async () => {},
    resumeUpdates: async () => {},
    refresh: async () => {},
    getSettings: () => new Promise(() => {}),
    saveSettings: async () => ({ ok: false, error: 'n/a' }),
    getMachineHistory: async (key) => ({ key, statusChanges: [], stats: [] }),
    forgetMachine: async () => {},
    push: (s) => listeners.forEach((l) => l(s)),
  };
}

async function renderApp(snapshot = viewSnapshot(ENTRIES, 1, { gatewayNowMs: NOW, known: { nodes: NODES, readAtMs: NOW }, remembered: REMEMBERED, self: { instanceId: 'me-i', deviceId: 'me' } })) {
  const store = createStore();
  const api = fakeApi(snapshot);
  const detach = store.attach(api);
  const view = render(
    <AppContext.Provider value={{ store, api }}>
      <App />
    </AppContext.Provider>,
  );
  await act(async () => {});
  return { ...view, store, api, detach };
}
const shownHosts = () => [...document.querySelectorAll('tr.machine-row .host')].map((h) => h.textContent);
const countButton = (name: RegExp) => within(screen.getByRole('group', { name: 'Machine counts' })).getByRole('button', { name });

describe('App: machines by default, counts as filters, Show gone, persistence', () => {
  // jsdom lays nothing out: give the scrolling list a window's size so the virtualiser draws rows.
  const sized = (prop: 'clientHeight' | 'clientWidth', px: number) => {
    const real = Object.getOwnPropertyDescriptor(Element.prototype, prop)!;
    Object.defineProperty(Element.prototype, prop, {
      configurable: true,
      get(this: Element) {
        return this.classList.contains('list') ? px : (real.get!.call(this) as number);
      },
    });
    return () => Object.defineProperty(Element.prototype, prop, real);
  };
  const restore: Array<() => void> = [];
  beforeEach(() => {
    localStorage.clear();
    restore.push(sized('clientHeight', 800), sized('clientWidth', 1200));
  });
  afterEach(() => restore.splice(0).forEach((r) => r()));

  it('shows machines by default with a button per status that filters to it', async () => {
    const { detach } = await renderApp();
    expect(shownHosts()).toEqual(['gw', 'studio', 'laptop', 'garage-pi', 'new-box', 'old-mac']);
    const offline = countButton(/Offline/);
    expect(offline.textContent).toBe('2 Offline');
    expect(within(screen.getByRole('group', { name: 'Machine counts' })).getAllByRole('button').map((b) => b.textContent)).toEqual([
      '2 Active',
      '0 Idle',
      '0 Stale',
      '1 Disconnected',
      '2 Offline',
      '1 Gone',
    ]);
    fireEvent.click(offline);
    expect(offline.getAttribute('aria-pressed')).toBe('true');
    expect(shownHosts()).toEqual(['garage-pi', 'new-box']);
    fireEvent.click(offline);
    expect(shownHosts()).toHaveLength(6);
    detach();
  });

  it('hides Gone rows when Show gone is off, and the Connections toggle shows the raw list', async () => {
    const { detach } = await renderApp();
    fireEvent.click(screen.getByLabelText('Show gone'));
    expect(shownHosts()).not.toContain('old-mac');
    fireEvent.click(within(screen.getByRole('group', { name: 'Group by' })).getByRole('button', { name: 'Connections' }));
    expect(screen.getByRole('grid', { name: 'Instances' }).querySelectorAll('tbody tr')).toHaveLength(ENTRIES.length);
    expect(screen.getByLabelText('Instance counts').textContent).toBe('4 active · 1 idle · 0 stale');
    detach();
  });

  it('says to tick Show gone when every machine left is gone and it is off', async () => {
    const { detach } = await renderApp(viewSnapshot([], 1, { gatewayNowMs: NOW, remembered: REMEMBERED, self: { instanceId: 'me-i', deviceId: 'me' } }));
    expect(shownHosts()).toEqual(['old-mac']);
    fireEvent.click(screen.getByLabelText('Show gone'));
    expect(shownHosts()).toEqual([]);
    expect(screen.getByText('Every machine here is gone. Tick “Show gone” to see them.')).toBeTruthy();
    detach();
  });

  it('keeps sort, filter, grouping, Show gone and privacy across a restart, and ignores a damaged record', async () => {
    const first = await renderApp();
    fireEvent.click(countButton(/Disconnected/));
    fireEvent.click(screen.getByLabelText('Show gone'));
    fireEvent.click(screen.getByRole('button', { name: 'Hide hosts & IPs' }));
    fireEvent.click(within(screen.getByRole('columnheader', { name: /^Machine/ })).getByRole('button'));
    first.detach();
    first.unmount();
    expect(JSON.parse(localStorage.getItem(PREFS_STORAGE_KEY)!)).toMatchObject({ statusFilter: 'disconnected', showGone: false, privacy: true, machineSort: { column: 'name', direction: 'asc' }, grouping: 'machines' });

    const second = await renderApp();
    expect(countButton(/Disconnected/).getAttribute('aria-pressed')).toBe('true');
    expect(shownHosts()).toEqual(['laptop']);
    expect((screen.getByLabelText('Show gone') as HTMLInputElement).checked).toBe(false);
    expect(document.querySelector('.app')!.classList.contains('privacy')).toBe(true);
    expect(screen.getByRole('columnheader', { name: /Machine/ }).getAttribute('aria-sort')).toBe('ascending');
    second.detach();
    second.unmount();

    // A bad field falls back to its default; the good ones stay.
    localStorage.setItem(PREFS_STORAGE_KEY, JSON.stringify({ grouping: 'racks', statusFilter: 'exploded', showGone: 'yes', privacy: true, query: 42 }));
    const third = await renderApp();
    expect(within(screen.getByRole('group', { name: 'Group by' })).getByRole('button', { name: 'Machines' }).getAttribute('aria-pressed')).toBe('true');
    expect(shownHosts()).toHaveLength(6);
    expect(document.querySelector('.app')!.classList.contains('privacy')).toBe(true);
    third.detach();
    third.unmount();
    localStorage.setItem(PREFS_STORAGE_KEY, '{not json');
    const fourth = await renderApp();
    expect(shownHosts()).toHaveLength(6);
    fourth.detach();
  });
});
