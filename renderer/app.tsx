import { useMemo, useRef, useState } from 'react';
import { indexRows, atTime, sortRows, filterRows, countByStatus, type SortColumn, type SortOrder } from '../shared/view/rows.js';
import { DEFAULT_STATUS_THRESHOLDS } from '../shared/presence/status.js';
import { useApp, useStoreState } from './hooks.js';
import { InstancesTable } from './components/instances-table.js';
import { ConnectionBanner, connectionLabel } from './components/connection-banner.js';
import { DetailsPanel } from './components/details-panel.js';
import { SettingsDialog } from './components/settings-dialog.js';
import { ErrorBoundary } from './components/error-boundary.js';

export function App() {
  const { api, store } = useApp();
  const state = useStoreState();
  const { snapshot, gatewayNowMs, hostNowMs } = state;
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<SortOrder>({ column: 'updated', direction: 'asc' });
  const [selectedKey, setSelectedKey] = useState<string>();
  const [privacy, setPrivacy] = useState(false);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const listRef = useRef<HTMLDivElement>(null);

  const entries = snapshot?.entries;
  const self = snapshot?.self;
  const thresholds = snapshot?.statusThresholds ?? DEFAULT_STATUS_THRESHOLDS;
  // Keys and order are computed when the list changes; only age and status follow the clock.
  const indexed = useMemo(() => (entries && self ? indexRows(entries, self) : []), [entries, self]);
  const sorted = useMemo(() => sortRows(indexed, sort), [indexed, sort]);
  // Filtering by status text follows the clock; without a query the sorted list is used as is.
  const rows = useMemo(() => (query.trim() ? filterRows(sorted, query, gatewayNowMs, thresholds) : sorted), [sorted, query, gatewayNowMs, thresholds]);
  const counts = useMemo(() => countByStatus(indexed, gatewayNowMs, thresholds), [indexed, gatewayNowMs, thresholds]);
  const selectedBase = selectedKey === undefined ? undefined : indexed.find((r) => r.key === selectedKey);
  const selected = selectedBase ? atTime([selectedBase], gatewayNowMs, thresholds)[0] : undefined;
  const offline = !state.hostReachable || (snapshot !== undefined && snapshot.connection.kind !== 'connected');
  const label = connectionLabel(snapshot, hostNowMs);

  const onSort = (column: SortColumn) =>
    setSort((s) => (s.column === column ? { column, direction: s.direction === 'asc' ? 'desc' : 'asc' } : { column, direction: 'asc' }));

  return (
    <div className={`app${privacy ? ' privacy' : ''}`}>
      <header className="toolbar">
        <h1>Instances</h1>
        <span className={`pill pill-${label.tone}`} role="status" aria-live="polite" data-testid="connection">
          {label.text}
        </span>
        <span className="counts" aria-label="Instance counts">
          {counts.active} active · {counts.idle} idle · {counts.stale} stale
        </span>
        <span className="spacer" />
        <input type="search" placeholder="Filter" aria-label="Filter instances" value={query} onChange={(e) => setQuery(e.target.value)} />
        <button type="button" aria-pressed={privacy} onClick={() => setPrivacy((p) => !p)} title="Blur host names and IPs, for screen sharing">
          {privacy ? 'Show hosts & IPs' : 'Hide hosts & IPs'}
        </button>
        <button type="button" onClick={() => void api.refresh()}>
          Refresh
        </button>
        <button type="button" onClick={() => setSettingsOpen(true)}>
          Settings
        </button>
      </header>
      <ConnectionBanner
        snapshot={snapshot}
        hostReachable={state.hostReachable}
        hostNowMs={hostNowMs}
        onOpenSettings={() => setSettingsOpen(true)}
        onRetry={() => void api.refresh()}
      />
      {offline && indexed.length > 0 && snapshot?.listReceivedAtMs !== undefined && (
        <p className="offline-note" role="note">
          Showing the last known list, from {new Date(snapshot.listReceivedAtMs).toLocaleTimeString()}.
        </p>
      )}
      <main className={selected ? 'with-details' : ''}>
        {snapshot === undefined ? (
          <p className="empty">Loading…</p>
        ) : indexed.length === 0 ? (
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
            <ErrorBoundary what="the instance list" resetKey={snapshot.listVersion}>
              <InstancesTable
                rows={rows}
                gatewayNowMs={gatewayNowMs}
                thresholds={thresholds}
                sort={sort}
                onSort={onSort}
                selectedKey={selectedKey}
                onSelect={setSelectedKey}
                offline={offline}
                scrollRef={listRef}
              />
            </ErrorBoundary>
            {rows.length === 0 && <p className="empty">No instance matches “{query}”.</p>}
          </div>
        )}
        {selected && snapshot && (
          <ErrorBoundary what="this instance's details" resetKey={selected.key}>
            <DetailsPanel row={selected} snapshot={snapshot} onClose={() => setSelectedKey(undefined)} />
          </ErrorBoundary>
        )}
      </main>
      {settingsOpen && state.settings && (
        <SettingsDialog
          settings={state.settings}
          onClose={() => setSettingsOpen(false)}
          onSave={async (update) => {
            const result = await api.saveSettings(update);
            if (result.ok) store.setSettings(result.settings);
            return result;
          }}
        />
      )}
    </div>
  );
}
