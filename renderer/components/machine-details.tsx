/**
 * The details panel for a machine: its fields and status, every connection
 * folded into it, what the gateway could not tell us (one line), its last 24
 * hours from the history database, and Forget for a Gone machine.
 */
import { useEffect, useState } from 'react';
import type { InstancesApi } from '../../shared/ipc/bridge.js';
import type { GatewayView } from '../../shared/ipc/contract.js';
import type { FleetMachineRow } from '../../shared/view/fleet.js';
import { MACHINE_STATUS_LABELS } from '../../shared/view/machines.js';
import { GatewayChip } from './gateway-chip.js';
import { machineName, type MachineHistory } from '../../shared/view/machines.js';
import { machineDebugSummary } from '../../shared/view/machine-summary.js';
import { reasonLabel } from '../../shared/format/reason.js';
import { formatBytes, hostStatParts } from '../../shared/format/host-stats.js';
import { MachineStatusText } from './machine-status.js';
import { StatusStrip, Sparkline } from './history-charts.js';
import { ApprovalCommand, CopyButton } from './copy-button.js';
import { Age } from './age.js';
import { visibleText } from '../../shared/format/visible-text.js';
import { closeOnEscape } from './close-on-escape.js';

const SENSITIVE = new Set(['host', 'ip', 'text']);

export interface MachineDetailsProps {
  readonly row: FleetMachineRow;
  /** The gateway of the row shown (the machine's status elsewhere is in `row.parts`). */
  readonly view: GatewayView;
  /** Several gateways: list the machine's status on each. */
  readonly showGateways?: boolean;
  readonly api: Pick<InstancesApi, 'getMachineHistory' | 'forgetMachine'>;
  /** The row's gateway's time at render. */
  readonly nowMs: number;
  readonly onClose: () => void;
}

type HistoryState = { readonly kind: 'loading' } | { readonly kind: 'ready'; readonly history: MachineHistory } | { readonly kind: 'failed'; readonly error: string };

const pct = (v: number) => `${Math.round(v * 100)}%`;

export function MachineDetails({ row, view, showGateways = false, api, nowMs, onClose }: MachineDetailsProps) {
  // History is kept per gateway: ask by the row's gateway-qualified key.
  const historyKey = row.key;
  const m = row.machine;
  const status = row.state.status;
  const [history, setHistory] = useState<HistoryState>({ kind: 'loading' });
  const [forget, setForget] = useState<'idle' | 'busy' | 'done' | 'failed'>('idle');

  // Read again when the machine or its status changes: the strip then shows the change.
  useEffect(() => {
    let live = true;
    api.getMachineHistory(historyKey).then(
      (h) => live && setHistory({ kind: 'ready', history: h }),
      (e: unknown) => live && setHistory({ kind: 'failed', error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [api, historyKey, status]);

  const fields = Object.entries(m.fields).filter(([k, v]) => v !== undefined && k !== 'text');
  const stats = hostStatParts(m.hostStats);
  const h = history.kind === 'ready' ? history.history : undefined;
  const series = (pick: (s: MachineHistory['stats'][number]) => number | undefined) =>
    (h?.stats ?? []).flatMap((s) => {
      const v = pick(s);
      return v === undefined || !Number.isFinite(v) ? [] : [{ atMs: s.atMs, value: v }];
    });
  const name = machineName(m);

  return (
    <aside className="details" aria-label={`Details for ${name}`} onKeyDown={(e) => closeOnEscape(e, onClose)}>
      <header>
        <h2 className="sensitive">{visibleText(name)}</h2>
        <button type="button" onClick={onClose} aria-label="Close details">✕</button>
      </header>
      <p className="details-status">
        <MachineStatusText state={row.state} />
        {m.isSelf ? ' · This device' : ''}
        {m.isGateway ? ' · Gateway' : ''}
      </p>
      {m.approval && (
        <p className="approval" role="note">
          <span className="tag tag-warn">Waiting for approval</span> <ApprovalCommand requestId={m.approval.requestId} />
        </p>
      )}
      {showGateways && (
        <section aria-label="On each gateway">
          <h3>On each gateway</h3>
          <ul className="gateway-parts">
            {row.parts.map((p) => (
              <li key={p.gateway.id} data-gateway={p.gateway.id}>
                <GatewayChip gateway={p.gateway} dim={!p.gateway.live} /> {MACHINE_STATUS_LABELS[p.row.state.status]}
                {p.gateway.live ? '' : p.gateway.lastKnownAtMs !== undefined ? ` · last known at ${new Date(p.gateway.lastKnownAtMs).toLocaleTimeString()}` : ' · gateway not connected'}
              </li>
            ))}
          </ul>
        </section>
      )}
      {view.known?.note && (
        <p className="hint known-note" role="note">
          {view.known.note}
        </p>
      )}
      <section aria-label="Last 24 hours">
        <h3>Last 24 hours</h3>
        {history.kind === 'loading' && <p className="hint">Loading history…</p>}
        {history.kind === 'failed' && <p className="hint">History could not be read: {history.error}</p>}
        {h && (
          <>
            {h.statusChanges.length === 0 ? <p className="hint">No status changes recorded yet.</p> : <StatusStrip changes={h.statusChanges} endMs={nowMs} />}
            {h.firstSeenAtMs !== undefined && <p className="hint">First seen {new Date(h.firstSeenAtMs).toLocaleString()}</p>}
            <Sparkline label="Load" points={series((s) => s.load1)} endMs={nowMs} format={(v) => v.toFixed(2)} />
            <Sparkline label="Memory" points={series((s) => s.memoryUsedRatio)} endMs={nowMs} max={1} format={pct} />
            <Sparkline label="Disk" points={series((s) => s.diskUsedRatio)} endMs={nowMs} max={1} format={pct} />
          </>
        )}
      </section>
      {(stats.load || stats.memory || stats.disk) && (
        <dl className="host-stats">
          {stats.load && (
            <div>
              <dt>Load</dt>
              <dd>{m.hostStats?.loadAverage?.map((l) => l.toFixed(2)).join(' · ')}</dd>
            </div>
          )}
          {stats.memory && (
            <div>
              <dt>Memory used</dt>
              <dd>
                {stats.memory} of {formatBytes(m.hostStats?.memoryTotalBytes)}
              </dd>
            </div>
          )}
          {stats.disk && (
            <div>
              <dt>Disk used</dt>
              <dd>
                {stats.disk} of {formatBytes(m.hostStats?.diskTotalBytes)}
              </dd>
            </div>
          )}
        </dl>
      )}
      <dl>
        {fields.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd className={`${typeof v === 'string' ? '' : 'mono'}${SENSITIVE.has(k) ? ' sensitive' : ''}`}>{typeof v === 'string' ? v : JSON.stringify(v)}</dd>
          </div>
        ))}
      </dl>
      <section aria-label="Connections">
        <h3>Connections ({m.entries.length})</h3>
        {m.entries.length === 0 ? (
          <p className="hint">No connection is listed by the gateway now.</p>
        ) : (
          <ul className="entries">
            {m.entries.map((e, i) => (
              <li key={i}>
                <strong>{e.mode ?? 'unknown mode'}</strong>
                {typeof e.clientId === 'string' ? ` · ${e.clientId}` : ''}
                {e.roles?.length ? ` · roles ${e.roles.join(', ')}` : ''}
                {e.scopes?.length ? ` · scopes ${e.scopes.join(', ')}` : ''}
                {e.reason ? ` · ${reasonLabel(e.reason)}` : ''} · <Age sinceMs={e.ts} nowMs={nowMs} suffix=" ago" />
              </li>
            ))}
          </ul>
        )}
      </section>
      <details>
        <summary>Raw JSON</summary>
        <pre className="mono sensitive">{JSON.stringify({ key: m.key, entries: m.entries, node: m.node, remembered: m.remembered }, null, 2)}</pre>
      </details>
      <div className="details-actions">
        <CopyButton text={machineDebugSummary(view, m, row.state, nowMs, __APP_VERSION__)} label="Copy debug summary" title="Copy a summary to paste into a bug report" small={false} />
        {status === 'gone' && (
          <button
            type="button"
            disabled={forget === 'busy' || forget === 'done'}
            onClick={() => {
              setForget('busy');
              api.forgetMachine(historyKey).then(
                () => setForget('done'),
                () => setForget('failed'),
              );
            }}
          >
            Forget
          </button>
        )}
        <span role="status" className="copy-status">
          {forget === 'done' ? 'Forgotten: it leaves the list.' : forget === 'failed' ? 'Could not forget this machine.' : ''}
        </span>
      </div>
    </aside>
  );
}
