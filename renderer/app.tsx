import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { filterRows, type SortColumn } from '../shared/view/rows.js';
import { DEFAULT_STATUS_THRESHOLDS, statusWakeAtMs } from '../shared/presence/status.js';
import { MACHINE_STATUS_LABELS, MACHINE_STATUS_ORDER, type MachineStatus } from '../shared/view/machines.js';
import { countMachines, type MachineCounts, type MachineSortColumn } from '../shared/view/machine-list.js';
import { useApp, useStoreState } from './hooks.js';
import type { PrepareStep, StoreState } from './store.js';
import { benchHooks } from './bench-hooks.js';
import { ClockContext, useSecondTick, windowTicker, type Clock } from './clock.js';
import { FleetModel, nextEntryChangeAtMs, type GatewayFold, type GatewayIndex, type ShownFilter } from './fleet-model.js';
import { countFleetEntries, fleetEntryStatus, type FleetEntryRow, type FleetMachineRow } from '../shared/view/fleet.js';
import { GatewayChip } from './components/gateway-chip.js';
import { GatewayClock } from './gateway-clock.js';
import { loadPrefs, savePrefs, type ViewPrefs } from './view-prefs.js';
import { InstancesTable } from './components/instances-table.js';
import { MachinesTable } from './components/machines-table.js';
import { machineFilterText } from './components/machine-columns.js';
import { ConnectionBanners, Ticking, connectionLabel } from './components/connection-banner.js';
import { PrivacyContext } from './privacy.js';
import { drawnRow } from './components/virtual-rows.js';
import { DetailsPanel } from './components/details-panel.js';
import { ErrorBoundary } from './components/error-boundary.js';
import { MachineDetails } from './components/machine-details.js';
import { SettingsDialog } from './components/settings-dialog.js';

const NO_FOLDS: readonly GatewayFold[] = [];
const NO_MACHINES: readonly FleetMachineRow[] = [];
const NO_COUNTS: MachineCounts = countMachines([]);
const NO_INDEXES: readonly GatewayIndex[] = [];
const NO_ENTRIES: readonly FleetEntryRow[] = [];

/**
 * What the lists are derived from besides the snapshot, from one store state: the
 * render and the store's steps before it (which must ask for exactly what the render
 * will, or their work is wasted) both read them here.
 */
function listInputs(state: StoreState, gatewayFilter: string | undefined, tickNowMs: number) {
  const snapshot = state.snapshot;
  return {
    // Core time; each gateway's rows add its own clock offset.
    statusNowMs: Math.max(state.coreNowMs, tickNowMs),
    thresholds: snapshot?.statusThresholds ?? DEFAULT_STATUS_THRESHOLDS,
    // The gateway the chips filter to, while it is still in the snapshot (gateways come and go).
    gatewayShown: gatewayFilter !== undefined && snapshot?.gateways.some((g) => g.id === gatewayFilter) ? gatewayFilter : undefined,
  };
}

/** The machine list's filter: the toolbar's status, the search, Show gone and the gateway chip. */
function machineFilterOf(prefs: ViewPrefs, gatewayId: string | undefined): ShownFilter {
  return { ...(prefs.statusFilter ? { status: prefs.statusFilter } : {}), query: prefs.query, showGone: prefs.showGone, ...(gatewayId ? { gatewayId } : {}) };
}

export function App() {
  const { api, store } = useApp();
  const state = useStoreState();
  const { snapshot } = state;
  const [prefs, setPrefs] = useState<ViewPrefs>(() => loadPrefs());
  const update = useCallback((change: Partial<ViewPrefs>) => setPrefs((p) => ({ ...p, ...change })), []);
  useEffect(() => savePrefs(prefs), [prefs]);
  useLayoutEffect(() => benchHooks?.snapshotCommitted?.(), [snapshot]);
  const [selectedKey, setSelectedKey] = useState<string>();
  const [selectedMachine, setSelectedMachine] = useState<string>();
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const [settingsOpen, setSettingsOpen] = useState(false);
  const listRef = useRef<HTMLDivElement>(null);
  const [fleet] = useState(() => new FleetModel());
  const clock = useMemo<Clock>(
    () => ({ ticker: windowTicker(), gatewayNow: () => Date.now() + store.getState().coreOffsetMs, gatewayToPageMs: () => -store.getState().coreOffsetMs }),
    [store],
  );

  // Statuses are re-derived when the list changes and when one is due to change, not every second.
  const [tickNowMs, setTickNowMs] = useState(0);
  const showMachines = prefs.grouping === 'machines';
  const showGateways = (snapshot?.gateways.length ?? 0) > 1;
  // Gateway chips in the toolbar filter rows to one gateway (not saved: gateways come and go).
  const [gatewayFilter, setGatewayFilter] = useState<string>();
  const { statusNowMs, thresholds, gatewayShown } = listInputs(state, gatewayFilter, tickNowMs);

  const machineFilter = useMemo(() => machineFilterOf(prefs, gatewayShown), [prefs, gatewayShown]);
  // Each view's chain keeps its own memory (FleetModel): only what changed is folded, merged,
  // filtered, counted and placed. The store runs the same chain in a task before this render.
  const machineList = useMemo(
    () => (snapshot && showMachines ? fleet.machineList(snapshot, statusNowMs, thresholds, machineFilter, prefs.machineSort, machineFilterText) : undefined),
    [fleet, snapshot, showMachines, statusNowMs, thresholds, machineFilter, prefs.machineSort],
  );
  const connectionList = useMemo(
    () => (snapshot && !showMachines ? fleet.connectionList(snapshot, prefs.connectionSort, gatewayShown) : undefined),
    [fleet, snapshot, showMachines, prefs.connectionSort, gatewayShown],
  );
  // Before a render, the same chains in steps, each in a task of its own (renderer/store.ts):
  // a fleet-wide change's work is split so no one task holds a frame for all of it.
  useLayoutEffect(() => {
    const steps: PrepareStep[] = showMachines
      ? [
          ({ snapshot: s }) => s && fleet.readEntries(s),
          ({ snapshot: s }) => s && fleet.folds(s),
          (next) => {
            const i = listInputs(next, gatewayFilter, tickNowMs);
            if (next.snapshot) fleet.machineList(next.snapshot, i.statusNowMs, i.thresholds, machineFilterOf(prefs, i.gatewayShown), prefs.machineSort, machineFilterText);
          },
        ]
      : [
          ({ snapshot: s }) => s && fleet.entryRows(fleet.indexes(s)),
          (next) => next.snapshot && fleet.connectionList(next.snapshot, prefs.connectionSort, listInputs(next, gatewayFilter, tickNowMs).gatewayShown),
        ];
    store.setPrepare(steps);
    return () => store.setPrepare(undefined);
  }, [store, fleet, showMachines, tickNowMs, prefs, gatewayFilter]);
  const folds = machineList?.folds ?? NO_FOLDS;
  const fleetMachines = machineList?.machines;
  const machineRows = fleetMachines?.rows ?? NO_MACHINES;
  const shownMachines = machineList?.shown.rows ?? NO_MACHINES;
  const machineCounts = machineList?.shown.counts ?? NO_COUNTS;
  const selectedMachineRow = selectedMachine === undefined ? undefined : machineRows.find((r) => r.key === selectedMachine);

  // Connections: keys and order when a list changes; status follows the status clock.
  const indexes = connectionList?.indexes ?? NO_INDEXES;
  const entryRows = connectionList?.entryRows.rows ?? NO_ENTRIES;
  const indexed = useMemo(() => (gatewayShown ? entryRows.filter((r) => r.gateway.id === gatewayShown) : entryRows), [entryRows, gatewayShown]);
  const sorted = connectionList?.sorted ?? NO_ENTRIES;
  const rows = useMemo(() => (prefs.query.trim() ? filterRows(sorted, prefs.query, statusNowMs, thresholds) : sorted), [sorted, prefs.query, statusNowMs, thresholds]);
  const counts = useMemo(() => countFleetEntries(indexed, statusNowMs, thresholds), [indexed, statusNowMs, thresholds]);
  const selected = selectedKey === undefined ? undefined : indexed.find((r) => r.key === selectedKey);
  // Per gateway: machines it lists (a machine on two gateways counts on each) or its connections.
  const perGatewayCounts = useMemo(() => {
    const counts = new Map<string, number>();
    if (!showGateways) return counts;
    // Each gateway's machines are parts of exactly one row each: its count is its own fold's size.
    if (showMachines) for (const f of folds) counts.set(f.view.id, f.machines.length);
    else for (const ix of indexes) counts.set(ix.view.id, ix.rows.length);
    return counts;
  }, [showGateways, showMachines, folds, indexes]);
  const selectedView = (key: string | undefined) => (key === undefined ? undefined : snapshot?.gateways.find((g) => g.id === key));

  const nextChange = useMemo(
    () => (showMachines ? fleetMachines?.nextChangeAtMs : nextEntryChangeAtMs(indexes, statusNowMs, thresholds)),
    [showMachines, fleetMachines, indexes, statusNowMs, thresholds],
  );
  useEffect(() => {
    if (nextChange === undefined) return;
    // On the status grid: every change due by then is drawn in the same render.
    return clock.ticker.at(statusWakeAtMs(nextChange + clock.gatewayToPageMs()), () => setTickNowMs(Math.max(nextChange, clock.gatewayNow())));
  }, [clock, nextChange]);

  // Only a countdown ("Reconnecting in 4 s") ticks every second, and only while it shows.
  const pageNowMs = useSecondTick(snapshot?.gateways.some((g) => g.connection.kind === 'reconnecting') ?? false);
  const coreNowMs = Math.max(state.coreNowMs, pageNowMs + state.coreOffsetMs);
  // Dim everything only when nothing is live; a gateway that is down dims its own rows.
  const offline = !state.hostReachable || (snapshot !== undefined && snapshot.gateways.length > 0 && snapshot.gateways.every((g) => g.connection.kind !== 'connected'));
  const label = connectionLabel(snapshot, coreNowMs);
  const hasAny = showMachines ? machineRows.length > 0 : indexed.length > 0;
  const shownCount = showMachines ? shownMachines.length : rows.length;

  const onSort = (column: SortColumn) =>
    update({ connectionSort: prefs.connectionSort.column === column ? { column, direction: prefs.connectionSort.direction === 'asc' ? 'desc' : 'asc' } : { column, direction: 'asc' } });
  // A column: ascending, then descending, then back to the default order.
  const onMachineSort = (column: MachineSortColumn) => {
    const s = prefs.machineSort;
    update({ machineSort: s.column !== column ? { column, direction: 'asc' } : s.direction === 'asc' ? { column, direction: 'desc' } : { column: 'default', direction: 'asc' } });
  };
  const onExpand = useCallback((key: string, open: boolean) => {
    setExpanded((prev) => {
      if (prev.has(key) === open) return prev;
      const next = new Set(prev);
      if (open) next.add(key);
      else next.delete(key);
      return next;
    });
  }, []);
  const toggleStatus = (s: MachineStatus) => update({ statusFilter: prefs.statusFilter === s ? undefined : s, ...(s === 'gone' && prefs.statusFilter !== s ? { showGone: true } : {}) });
  const hasDetails = showMachines ? selectedMachineRow !== undefined : selected !== undefined;
  /** Closing the details panel hands focus back to the row it was about, so the keyboard carries on from there. */
  const closeDetails = (key: string | undefined, deselect: () => void) => {
    deselect();
    requestAnimationFrame(() => {
      const body = listRef.current?.querySelector('tbody');
      ((key === undefined ? undefined : drawnRow(body, key)) ?? body?.querySelector<HTMLTableRowElement>('tr[tabindex="0"]'))?.focus();
    });
  };

  return (
    <ClockContext.Provider value={clock}>
      <PrivacyContext.Provider value={prefs.privacy}>
        <div className={`app${prefs.privacy ? ' privacy' : ''}`}>
          <header className="toolbar">
            <h1>Instances</h1>
            <span className={`pill pill-${label.tone}`} role="status" aria-live="polite" data-testid="connection">
              {label.spoken === undefined ? label.text : <Ticking shown={label.text} spoken={label.spoken} />}
            </span>
            <span className="spacer" />
            <input type="search" placeholder="Filter" aria-label="Filter instances" value={prefs.query} onChange={(e) => update({ query: e.target.value })} />
            <button type="button" aria-pressed={prefs.privacy} onClick={() => update({ privacy: !prefs.privacy })} title="Blur host names and IPs, for screen sharing">
              {prefs.privacy ? 'Show hosts & IPs' : 'Hide hosts & IPs'}
            </button>
            <button type="button" onClick={() => void api.refresh()}>
              Refresh
            </button>
            <button type="button" onClick={() => setSettingsOpen(true)}>
              Settings
            </button>
          </header>
          <div className="viewbar">
            <div className="segmented" role="group" aria-label="Group by">
              <button type="button" aria-pressed={showMachines} onClick={() => update({ grouping: 'machines' })}>
                Machines
              </button>
              <button type="button" aria-pressed={!showMachines} onClick={() => update({ grouping: 'connections' })}>
                Connections
              </button>
            </div>
            {showMachines ? (
              <div className="status-filters" role="group" aria-label="Machine counts">
                {MACHINE_STATUS_ORDER.map((s) => (
                  <button
                    key={s}
                    type="button"
                    className={`count count-${s}${machineCounts[s] ? '' : ' zero'}`}
                    aria-pressed={prefs.statusFilter === s}
                    title={prefs.statusFilter === s ? 'Show every status' : `Show only ${MACHINE_STATUS_LABELS[s]} machines`}
                    onClick={() => toggleStatus(s)}
                  >
                    {machineCounts[s]} {MACHINE_STATUS_LABELS[s]}
                  </button>
                ))}
              </div>
            ) : (
              <span className="counts" aria-label="Instance counts">
                {counts.active} active · {counts.idle} idle · {counts.stale} stale
              </span>
            )}
            {showGateways && snapshot && (
              <div className="gateway-filters" role="group" aria-label="Gateways">
                {snapshot.gateways.map((g) => (
                  <button
                    key={g.id}
                    type="button"
                    className="gateway-filter"
                    aria-pressed={gatewayShown === g.id}
                    title={gatewayShown === g.id ? 'Show every gateway' : `Show only ${g.nameShowsAddress ? 'this gateway' : g.name}`}
                    onClick={() => setGatewayFilter(gatewayShown === g.id ? undefined : g.id)}
                  >
                    <GatewayChip gateway={g} dim={g.connection.kind !== 'connected'} /> {perGatewayCounts.get(g.id) ?? 0}
                  </button>
                ))}
              </div>
            )}
            <span className="spacer" />
            {showMachines && (
              <label className="check">
                <input type="checkbox" checked={prefs.showGone} onChange={(e) => update({ showGone: e.target.checked })} /> Show gone
              </label>
            )}
          </div>
          {/* Banners and notes scroll on their own past a share of the window, so the list always keeps room. */}
          <div className="notices">
            <ConnectionBanners
              snapshot={snapshot}
              hostReachable={state.hostReachable}
              coreNowMs={coreNowMs}
              onOpenSettings={() => setSettingsOpen(true)}
              onRetry={() => void api.refresh()}
            />
            {hasAny &&
              snapshot?.gateways.map((g) =>
                g.connection.kind !== 'connected' && g.listReceivedAtMs !== undefined ? (
                  <p key={g.id} className="offline-note" role="note" data-gateway={g.id}>
                    {showGateways ? <GatewayChip gateway={g} dim /> : null}
                    Showing the last known list{showGateways ? <> of <span className={g.nameShowsAddress ? 'sensitive' : undefined}>{g.name}</span></> : ''}, from {new Date(g.listReceivedAtMs).toLocaleTimeString()}.
                  </p>
                ) : null,
              )}
          </div>
          <main className={hasDetails ? 'with-details' : ''}>
            {snapshot === undefined ? (
              <p className="empty">Loading…</p>
            ) : !hasAny ? (
              <div className="empty" role="note">
                <h2>No instances reported yet</h2>
                <p>
                  {snapshot.gateways.some((g) => g.connection.kind === 'connected')
                    ? 'Clients appear here when they connect to the gateway or send a heartbeat.'
                    : 'Rows appear once the gateway is reachable.'}
                </p>
              </div>
            ) : (
              <div className="list" ref={listRef}>
                {/* A row that fails to draw must not take the toolbar and Settings with it (issue 12, V5). */}
                <ErrorBoundary what={showMachines ? 'the machine list' : 'the instance list'} resetKey={snapshot.gateways.map((g) => g.listVersion).join(',')}>
                {showMachines ? (
                  <MachinesTable
                    rows={shownMachines}
                    sort={prefs.machineSort}
                    onSort={onMachineSort}
                    selectedKey={selectedMachine}
                    onSelect={setSelectedMachine}
                    expanded={expanded}
                    onExpand={onExpand}
                    offline={offline}
                    scrollRef={listRef}
                    showGateways={showGateways}
                  />
                ) : (
                  <InstancesTable
                    rows={rows}
                    coreNowMs={statusNowMs}
                    showGateways={showGateways}
                    thresholds={thresholds}
                    sort={prefs.connectionSort}
                    onSort={onSort}
                    selectedKey={selectedKey}
                    onSelect={setSelectedKey}
                    offline={offline}
                    scrollRef={listRef}
                  />
                )}
                </ErrorBoundary>
                {shownCount === 0 && (
                  <p className="empty">
                    {prefs.query.trim()
                      ? `No ${showMachines ? 'machine' : 'instance'} matches “${prefs.query}”.`
                      : showMachines && prefs.statusFilter
                        ? 'No machine has this status.'
                        : showMachines && !prefs.showGone
                          ? 'Every machine here is gone. Tick “Show gone” to see them.'
                          : 'Nothing to show with these filters.'}
                  </p>
                )}
              </div>
            )}
            {showMachines && selectedMachineRow && selectedView(selectedMachineRow.gateway.id) && (
              <ErrorBoundary what="this machine's details" resetKey={selectedMachineRow.key}>
                <GatewayClock offsetMs={selectedMachineRow.gateway.clockOffsetMs}>
                <MachineDetails
                  row={selectedMachineRow}
                  view={selectedView(selectedMachineRow.gateway.id)!}
                  showGateways={showGateways}
                  api={api}
                  nowMs={statusNowMs + selectedMachineRow.gateway.clockOffsetMs}
                  onClose={() => closeDetails(selectedMachine, () => setSelectedMachine(undefined))}
                />
                </GatewayClock>
              </ErrorBoundary>
            )}
            {!showMachines && selected && selectedView(selected.gateway.id) && (
              <ErrorBoundary what="this instance's details" resetKey={selected.key}>
                <DetailsPanel
                  row={{ ...selected, ageMs: statusNowMs + selected.gateway.clockOffsetMs - selected.entry.ts, status: fleetEntryStatus(selected, statusNowMs, thresholds) }}
                  view={selectedView(selected.gateway.id)!}
                  onClose={() => closeDetails(selectedKey, () => setSelectedKey(undefined))}
                />
              </ErrorBoundary>
            )}
          </main>
          {settingsOpen && state.settings && (
            <SettingsDialog
              settings={state.settings}
              onClose={() => setSettingsOpen(false)}
              onSave={async (change) => {
                const result = await api.saveSettings(change);
                if (result.ok) store.setSettings(result.settings);
                return result;
              }}
            />
          )}
        </div>
      </PrivacyContext.Provider>
    </ClockContext.Provider>
  );
}
