import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { indexRows, atTime, sortRows, filterRows, countByStatus, nextEntryStatusChangeAtMs, type SortColumn } from '../shared/view/rows.js';
import { DEFAULT_STATUS_THRESHOLDS } from '../shared/presence/status.js';
import { MACHINE_STATUS_LABELS, MACHINE_STATUS_ORDER, type MachineStatus } from '../shared/view/machines.js';
import { countMachines, filterMachineRows, nextChangeAtMs, type MachineSortColumn } from '../shared/view/machine-list.js';
import { useApp, useStoreState } from './hooks.js';
import { ClockContext, useSecondTick, windowTicker, type Clock } from './clock.js';
import { MachineModel } from './machine-model.js';
import { loadPrefs, savePrefs, type ViewPrefs } from './view-prefs.js';
import { InstancesTable } from './components/instances-table.js';
import { MachinesTable } from './components/machines-table.js';
import { machineFilterText } from './components/machine-columns.js';
import { ConnectionBanner, connectionLabel } from './components/connection-banner.js';
import { DetailsPanel } from './components/details-panel.js';
import { ErrorBoundary } from './components/error-boundary.js';
import { MachineDetails } from './components/machine-details.js';
import { SettingsDialog } from './components/settings-dialog.js';

const NO_ENTRIES: never[] = [];

export function App() {
  const { api, store } = useApp();
  const state = useStoreState();
  const { snapshot } = state;
  const [prefs, setPrefs] = useState<ViewPrefs>(() => loadPrefs());
  const update = useCallback((change: Partial<ViewPrefs>) => setPrefs((p) => ({ ...p, ...change })), []);
  useEffect(() => savePrefs(prefs), [prefs]);
  const [selectedKey, setSelectedKey] = useState<string>();
  const [selectedMachine, setSelectedMachine] = useState<string>();
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const [settingsOpen, setSettingsOpen] = useState(false);
  const listRef = useRef<HTMLDivElement>(null);
  const [model] = useState(() => new MachineModel());
  const clock = useMemo<Clock>(
    () => ({ ticker: windowTicker(), gatewayNow: () => Date.now() + store.getState().viewerOffsetMs, gatewayToPageMs: () => -store.getState().viewerOffsetMs }),
    [store],
  );

  // Statuses are re-derived when the list changes and when one is due to change, not every second.
  const [tickNowMs, setTickNowMs] = useState(0);
  const statusNowMs = Math.max(state.gatewayNowMs, tickNowMs);
  const showMachines = prefs.grouping === 'machines';

  const entries = snapshot?.entries ?? NO_ENTRIES;
  const self = snapshot?.self;
  const known = snapshot?.known;
  const remembered = snapshot?.remembered;
  const thresholds = snapshot?.statusThresholds ?? DEFAULT_STATUS_THRESHOLDS;

  // Machines: folded once per change of the list, known nodes or history.
  const machines = useMemo(
    () => (self && showMachines ? model.fold({ entries, self, ...(known ? { known } : {}), ...(remembered ? { remembered } : {}) }) : []),
    [model, entries, self, known, remembered, showMachines],
  );
  const machineRows = useMemo(() => model.rowsAt(machines, statusNowMs, thresholds), [model, machines, statusNowMs, thresholds]);
  const machineCounts = useMemo(() => countMachines(machineRows), [machineRows]);
  const shownMachines = useMemo(
    () => model.sorted(filterMachineRows(machineRows, { ...(prefs.statusFilter ? { status: prefs.statusFilter } : {}), query: prefs.query, showGone: prefs.showGone }, machineFilterText), prefs.machineSort),
    [model, machineRows, prefs.statusFilter, prefs.query, prefs.showGone, prefs.machineSort],
  );
  const selectedMachineRow = selectedMachine === undefined ? undefined : machineRows.find((r) => r.machine.key === selectedMachine);

  // Connections: keys and order when the list changes; status follows the status clock.
  const indexed = useMemo(() => (self && !showMachines ? indexRows(entries, self) : []), [entries, self, showMachines]);
  const sorted = useMemo(() => sortRows(indexed, prefs.connectionSort), [indexed, prefs.connectionSort]);
  const rows = useMemo(() => (prefs.query.trim() ? filterRows(sorted, prefs.query, statusNowMs, thresholds) : sorted), [sorted, prefs.query, statusNowMs, thresholds]);
  const counts = useMemo(() => countByStatus(indexed, statusNowMs, thresholds), [indexed, statusNowMs, thresholds]);
  const selectedBase = selectedKey === undefined ? undefined : indexed.find((r) => r.key === selectedKey);
  const selected = selectedBase ? atTime([selectedBase], statusNowMs, thresholds)[0] : undefined;

  const nextChange = useMemo(
    () => (showMachines ? nextChangeAtMs(machines, statusNowMs, thresholds) : nextEntryStatusChangeAtMs(entries, statusNowMs, thresholds)),
    [showMachines, machines, entries, statusNowMs, thresholds],
  );
  useEffect(() => {
    if (nextChange === undefined) return;
    return clock.ticker.at(nextChange + clock.gatewayToPageMs(), () => setTickNowMs(Math.max(nextChange, clock.gatewayNow())));
  }, [clock, nextChange]);

  // Only a countdown ("Reconnecting in 4 s") ticks every second, and only while it shows.
  const pageNowMs = useSecondTick(snapshot?.connection.kind === 'reconnecting');
  const hostNowMs = Math.max(state.hostNowMs, pageNowMs + state.hostOffsetMs);
  const offline = !state.hostReachable || (snapshot !== undefined && snapshot.connection.kind !== 'connected');
  const label = connectionLabel(snapshot, hostNowMs);
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

  return (
    <ClockContext.Provider value={clock}>
      <div className={`app${prefs.privacy ? ' privacy' : ''}`}>
        <header className="toolbar">
          <h1>Instances</h1>
          <span className={`pill pill-${label.tone}`} role="status" aria-live="polite" data-testid="connection">
            {label.text}
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
          <span className="spacer" />
          {showMachines && (
            <label className="check">
              <input type="checkbox" checked={prefs.showGone} onChange={(e) => update({ showGone: e.target.checked })} /> Show gone
            </label>
          )}
        </div>
        <ConnectionBanner
          snapshot={snapshot}
          hostReachable={state.hostReachable}
          hostNowMs={hostNowMs}
          onOpenSettings={() => setSettingsOpen(true)}
          onRetry={() => void api.refresh()}
        />
        {offline && hasAny && snapshot?.listReceivedAtMs !== undefined && (
          <p className="offline-note" role="note">
            Showing the last known list, from {new Date(snapshot.listReceivedAtMs).toLocaleTimeString()}.
          </p>
        )}
        <main className={hasDetails ? 'with-details' : ''}>
          {snapshot === undefined ? (
            <p className="empty">Loading…</p>
          ) : !hasAny ? (
            <div className="empty" role="note">
              <h2>No instances reported yet</h2>
              <p>
                {snapshot.connection.kind === 'connected'
                  ? 'Clients appear here when they connect to the gateway or send a heartbeat.'
                  : 'Rows appear once the gateway is reachable.'}
              </p>
            </div>
          ) : (
            <div className="list" ref={listRef}>
              {/* A row that fails to draw must not take the toolbar and Settings with it (issue 12, V5). */}
              <ErrorBoundary what={showMachines ? 'the machine list' : 'the instance list'} resetKey={snapshot.listVersion}>
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
                />
              ) : (
                <InstancesTable
                  rows={rows}
                  gatewayNowMs={statusNowMs}
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
                  {prefs.query.trim() ? `No ${showMachines ? 'machine' : 'instance'} matches “${prefs.query}”.` : 'No machine has this status.'}
                </p>
              )}
            </div>
          )}
          {showMachines && selectedMachineRow && snapshot && (
            <ErrorBoundary what="this machine's details" resetKey={selectedMachineRow.machine.key}>
              <MachineDetails row={selectedMachineRow} snapshot={snapshot} api={api} nowMs={statusNowMs} onClose={() => setSelectedMachine(undefined)} />
            </ErrorBoundary>
          )}
          {!showMachines && selected && snapshot && (
            <ErrorBoundary what="this instance's details" resetKey={selected.key}>
              <DetailsPanel row={selected} snapshot={snapshot} onClose={() => setSelectedKey(undefined)} />
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
    </ClockContext.Provider>
  );
}
