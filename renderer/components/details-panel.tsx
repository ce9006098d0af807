import { useState } from 'react';
import type { RowModel } from '../../shared/view/rows.js';
import type { GatewayView } from '../../shared/ipc/contract.js';
import { debugSummary } from '../../shared/view/debug-summary.js';
import { STATUS_LABELS } from '../../shared/presence/status.js';
import { visibleText } from '../../shared/format/visible-text.js';
import { closeOnEscape } from './close-on-escape.js';

const SENSITIVE = new Set(['host', 'ip', 'text']);

export function DetailsPanel({ row, view, onClose }: { row: RowModel; view: GatewayView; onClose: () => void }) {
  const [copied, setCopied] = useState<'idle' | 'done' | 'failed'>('idle');
  const fields = Object.entries(row.entry).filter(([, v]) => v !== undefined);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(debugSummary(view, row, __APP_VERSION__));
      setCopied('done');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <aside className="details" aria-label={`Details for ${row.entry.host ?? 'unknown host'}`} onKeyDown={(e) => closeOnEscape(e, onClose)}>
      <header>
        <h2 className="sensitive">{row.entry.host !== undefined ? visibleText(row.entry.host) : 'unknown host'}</h2>
        <button type="button" onClick={onClose} aria-label="Close details">✕</button>
      </header>
      <p>
        {STATUS_LABELS[row.status]}
        {row.isSelf ? ' · This device' : ''}
      </p>
      {row.looksDuplicate && (
        <p className="hint" role="note">
          This row shares its host name with another and carries no <code>instanceId</code>. A client without a stable instanceId that reconnects is
          listed again under a new key; the old row disappears after 5 minutes. Claw Instances itself always sends a stable instanceId.
        </p>
      )}
      <dl>
        {fields.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd className={`${typeof v === 'string' ? '' : 'mono'}${SENSITIVE.has(k) ? ' sensitive' : ''}`}>
              {k === 'ts' && typeof v === 'number' ? `${v} (${new Date(v).toLocaleString()})` : typeof v === 'string' ? v : JSON.stringify(v)}
            </dd>
          </div>
        ))}
      </dl>
      <details>
        <summary>Raw JSON</summary>
        <pre className="mono sensitive">{JSON.stringify(row.entry, null, 2)}</pre>
      </details>
      <button type="button" onClick={() => void copy()}>
        Copy debug summary
      </button>
      <span role="status" className="copy-status">
        {copied === 'done' ? 'Copied.' : copied === 'failed' ? 'Could not copy: the clipboard is not available here.' : ''}
      </span>
    </aside>
  );
}
