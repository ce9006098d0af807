import { useId } from 'react';
import { nameShowsAddress, type PublicGateway } from '../../../shared/settings/schema.js';
import { redactUrl } from '../../../shared/format/redact-url.js';
import { colourName } from './colour-picker.js';
import { GatewayEditor } from './gateway-editor.js';
import { displayName, secretFate, type BuiltinRun, type GatewayDraft, type RemoteDraft } from './draft.js';

const RUN_LABELS: Readonly<Record<BuiltinRun, string>> = {
  auto: 'When no other gateway is listed',
  on: 'Always',
  off: 'Never',
};

export interface GatewayRowProps {
  readonly gateway: GatewayDraft;
  readonly isFirst: boolean;
  readonly isLast: boolean;
  readonly editing: boolean;
  /** Whether any other gateway is listed (saved or read-only): what `auto` means for the built-in one. */
  readonly othersListed: boolean;
  readonly urlError: string | undefined;
  readonly onChange: (change: (g: GatewayDraft) => GatewayDraft) => void;
  readonly onToggleEdit: () => void;
  readonly onRemove: () => void;
  readonly onMove: (by: -1 | 1) => void;
}

/** One saved gateway (or the built-in one): what it is at a glance, its switches, and its editor when open. */
export function GatewayRow({ gateway, isFirst, isLast, editing, othersListed, urlError, onChange, onToggleEdit, onRemove, onMove }: GatewayRowProps) {
  const nameId = useId();
  const runId = useId();
  const name = displayName(gateway);
  return (
    <li className="gateway-row" aria-labelledby={nameId} data-key={gateway.key}>
      <div className="gateway-summary">
        <Chip colour={gateway.colour} />
        <div className="gateway-text">
          <span id={nameId} className={`gateway-name${gateway.kind === 'remote' && nameShowsAddress(name, gateway.url) ? ' sensitive' : ''}`}>
            {name}
          </span>
          <span className="gateway-meta">
            {gateway.kind === 'builtin' ? 'On this computer (127.0.0.1)' : gateway.url.trim() ? <span className="mono sensitive">{redactUrl(gateway.url)}</span> : 'No URL yet'}
            {' · '}
            {gateway.kind === 'builtin' ? 'Built-in' : gateway.saved ? 'Saved' : 'New'}
            {' · '}
            {gateway.kind === 'builtin' ? 'no token needed' : secretSummary(gateway)}
          </span>
        </div>
        <div className="gateway-buttons">
          <button type="button" data-action="edit" aria-label={`Edit ${name}`} aria-expanded={editing} onClick={onToggleEdit}>
            Edit
          </button>
          {gateway.kind === 'remote' && (
            <button type="button" data-action="remove" aria-label={`Remove ${name}`} onClick={onRemove}>
              Remove
            </button>
          )}
          <button type="button" data-action="up" aria-label={`Move ${name} up`} title="Move up" disabled={isFirst} onClick={() => onMove(-1)}>
            ↑
          </button>
          <button type="button" data-action="down" aria-label={`Move ${name} down`} title="Move down" disabled={isLast} onClick={() => onMove(1)}>
            ↓
          </button>
        </div>
      </div>
      <div className="gateway-switches">
        <label className="check">
          <input type="checkbox" checked={gateway.beacon} onChange={(e) => onChange((g) => ({ ...g, beacon: e.target.checked }))} /> Beacon this machine to it
        </label>
        {gateway.kind === 'builtin' && (
          <span className="check">
            <label htmlFor={runId}>Run</label>
            <select id={runId} value={gateway.run} onChange={(e) => onChange((g) => (g.kind === 'builtin' ? { ...g, run: runFrom(e.target.value) } : g))}>
              {(Object.keys(RUN_LABELS) as BuiltinRun[]).map((r) => (
                <option key={r} value={r}>
                  {RUN_LABELS[r]}
                </option>
              ))}
            </select>
          </span>
        )}
      </div>
      {gateway.kind === 'builtin' && <p className="hint">{runEffect(gateway.run, othersListed)}</p>}
      {editing && <GatewayEditor gateway={gateway} urlError={urlError} onChange={onChange} onDone={onToggleEdit} />}
      {!editing && urlError && <p className="error">{urlError}</p>}
    </li>
  );
}

/** An environment or OpenClaw-config gateway: shown as it is, changed where it comes from. */
export function ReadOnlyGatewayRow({ gateway }: { readonly gateway: PublicGateway }) {
  const nameId = useId();
  const from = gateway.source === 'environment' ? 'from OPENCLAW_GATEWAY_URL' : 'from ~/.openclaw/openclaw.json';
  const why =
    gateway.source === 'environment'
      ? 'Read-only: set in the environment when the app started. Change it there, or save a gateway with the same URL here to replace it.'
      : "Read-only: the local OpenClaw's own gateway, from its config file. Change it there, or save a gateway with the same URL here to replace it.";
  return (
    <li className="gateway-row read-only" aria-labelledby={nameId}>
      <div className="gateway-summary">
        <Chip colour={gateway.colour} />
        <div className="gateway-text">
          <span id={nameId} className={`gateway-name${nameShowsAddress(gateway.name, gateway.url) ? ' sensitive' : ''}`}>
            {gateway.name}
          </span>
          <span className="gateway-meta">
            <span className="mono sensitive">{redactUrl(gateway.url)}</span> · {from} · {gateway.hasSecret ? `${gateway.authKind === 'token' ? 'token' : 'password'} set there` : 'no token'}
          </span>
        </div>
      </div>
      <div className="gateway-switches">
        <label className="check">
          <input type="checkbox" checked={gateway.beacon} disabled readOnly /> Beacon this machine to it
        </label>
      </div>
      <p className="hint">{why}</p>
    </li>
  );
}

function Chip({ colour }: { readonly colour: string }) {
  return <span className="chip" style={{ backgroundColor: colour }} title={colourName(colour)} aria-hidden="true" />;
}

function secretSummary(g: RemoteDraft): string {
  const kind = g.authKind === 'token' ? 'token' : 'password';
  const saved = g.saved?.authKind === 'password' ? 'password' : 'token';
  switch (secretFate(g)) {
    case 'none':
      return `no ${kind}`;
    case 'new':
      return `new ${kind} entered`;
    case 'kept':
      return `${saved} saved`;
    case 'forget':
    case 'forget-url':
    case 'forget-auth':
      return `saved ${saved} forgotten on Save`;
  }
}

/** What the run choice does with the list as it stands in the dialog. */
function runEffect(run: BuiltinRun, othersListed: boolean): string {
  switch (run) {
    case 'auto':
      return othersListed ? 'Not running while another gateway is listed.' : 'Running: no other gateway is listed.';
    case 'on':
      return 'Always running (on 127.0.0.1 only).';
    case 'off':
      return 'Not running.';
  }
}

function runFrom(value: string): BuiltinRun {
  return value === 'on' || value === 'off' ? value : 'auto';
}
