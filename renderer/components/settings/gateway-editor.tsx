import { useId } from 'react';
import { nameForUrl } from '../../../shared/settings/schema.js';
import { redactUrl } from '../../../shared/format/redact-url.js';
import { ColourPicker } from './colour-picker.js';
import { LIMITS, secretFate, type AuthKind, type GatewayDraft, type RemoteDraft } from './draft.js';

export interface GatewayEditorProps {
  readonly gateway: GatewayDraft;
  readonly urlError?: string;
  readonly onChange: (change: (g: GatewayDraft) => GatewayDraft) => void;
  readonly onDone: () => void;
}

/** The fields of one gateway, shown under its row while it is being edited (one at a time). */
export function GatewayEditor({ gateway, urlError, onChange, onDone }: GatewayEditorProps) {
  const id = useId();
  return (
    <fieldset className="gateway-editor">
      <legend className="visually-hidden">Details</legend>
      <label className="field">
        Name
        <input
          type="text"
          value={gateway.name}
          maxLength={LIMITS.nameChars}
          placeholder={gateway.kind === 'remote' ? (gateway.url.trim() ? nameForUrl(gateway.url) : 'named after its URL') : 'Built-in'}
          onChange={(e) => onChange((g) => ({ ...g, name: e.target.value }))}
        />
      </label>
      {gateway.kind === 'remote' && <RemoteFields gateway={gateway} urlError={urlError} errorId={`${id}-url-error`} onChange={onChange} />}
      <ColourPicker value={gateway.colour} onChange={(colour) => onChange((g) => ({ ...g, colour }))} />
      <div className="editor-actions">
        <button type="button" onClick={onDone}>
          Done
        </button>
      </div>
    </fieldset>
  );
}

interface RemoteFieldsProps {
  readonly gateway: RemoteDraft;
  readonly urlError: string | undefined;
  readonly errorId: string;
  readonly onChange: (change: (g: GatewayDraft) => GatewayDraft) => void;
}

function RemoteFields({ gateway, urlError, errorId, onChange }: RemoteFieldsProps) {
  const fate = secretFate(gateway);
  const kind = gateway.authKind;
  const savedKind = gateway.saved?.authKind ?? kind;
  const change = (patch: Partial<RemoteDraft>) => onChange((g) => (g.kind === 'remote' ? { ...g, ...patch } : g));
  return (
    <>
      <label className="field">
        Gateway URL
        <input
          type="url"
          required
          data-field="url"
          placeholder="ws://127.0.0.1:18789"
          maxLength={LIMITS.urlChars}
          value={gateway.url}
          aria-invalid={urlError !== undefined}
          aria-describedby={urlError ? errorId : undefined}
          onChange={(e) => change({ url: e.target.value })}
        />
      </label>
      {urlError && (
        <p className="error" id={errorId}>
          {urlError}
        </p>
      )}
      <label className="field">
        Sign in with
        <select value={kind} onChange={(e) => change({ authKind: e.target.value === 'password' ? 'password' : 'token' })}>
          <option value="token">Token</option>
          <option value="password">Password</option>
        </select>
      </label>
      <label className="field">
        {label(kind)}
        <input
          type="password"
          autoComplete="off"
          maxLength={LIMITS.secretChars}
          placeholder={fate === 'kept' ? 'saved — leave empty to keep' : 'not set'}
          value={gateway.secret}
          disabled={fate === 'forget'}
          onChange={(e) => change({ secret: e.target.value })}
        />
      </label>
      {fate === 'forget-url' && gateway.saved && (
        // The V1 warning (issue 12): a changed URL never receives the old secret.
        <p className="hint warning" role="note" data-testid="secret-forget-note">
          The saved {savedKind} belongs to {redactUrl(gateway.saved.url)}. Saving with a new URL forgets it: enter the {kind} for the new gateway.
        </p>
      )}
      {fate === 'forget-auth' && (
        <p className="hint warning" role="note" data-testid="secret-forget-note">
          The saved {savedKind} is forgotten when you sign in with a {kind} instead: enter the {kind}.
        </p>
      )}
      {fate === 'kept' && (
        <button type="button" onClick={() => change({ forgetSecret: true })}>
          Forget the saved {savedKind}
        </button>
      )}
      {fate === 'forget' && (
        <p className="hint warning" role="note">
          The saved {savedKind} is forgotten when you save.{' '}
          <button type="button" onClick={() => change({ forgetSecret: false })}>
            Keep the saved {savedKind}
          </button>
        </p>
      )}
    </>
  );
}

function label(kind: AuthKind): string {
  return kind === 'token' ? 'Token' : 'Password';
}
