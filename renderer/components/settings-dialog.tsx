import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { PublicSettings, SettingsUpdate, SaveResult } from '../../shared/ipc/contract.js';
import { redactUrl } from '../../shared/format/redact-url.js';

export interface SettingsDialogProps {
  readonly settings: PublicSettings;
  readonly onSave: (update: SettingsUpdate) => Promise<SaveResult>;
  readonly onClose: () => void;
}

/**
 * The secret field is write-only: a saved token is never sent back to this page.
 * A saved secret belongs to the URL it was saved for (issue 12, V1): changing the
 * URL without typing a new one forgets it, and the dialog says so before saving.
 */
export function SettingsDialog({ settings, onSave, onClose }: SettingsDialogProps) {
  const [useBuiltIn, setUseBuiltIn] = useState(settings.gatewayUrl === '');
  const [url, setUrl] = useState(settings.gatewayUrl);
  const [authKind, setAuthKind] = useState(settings.authKind);
  const [secret, setSecret] = useState('');
  const [clearSecret, setClearSecret] = useState(false);
  const [interval, setIntervalSeconds] = useState(settings.beaconIntervalSeconds);
  const [shareActivity, setShareActivity] = useState(settings.shareActivity);
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const first = useRef<HTMLInputElement>(null);

  useEffect(() => first.current?.focus(), []);

  const secretLabel = authKind === 'token' ? 'token' : 'password';
  const nextUrl = useBuiltIn ? '' : url.trim();
  const urlChanged = nextUrl !== settings.gatewayUrl;
  const willForget = settings.hasSecret && !clearSecret && secret === '' && urlChanged;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    const result = await onSave({
      gatewayUrl: useBuiltIn ? '' : url,
      authKind,
      ...(clearSecret ? { secret: null } : secret ? { secret } : {}),
      beaconIntervalSeconds: interval,
      shareActivity,
    });
    setSaving(false);
    if (result.ok) onClose();
    else setError(result.error);
  };

  return (
    <div className="dialog-backdrop" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <form className="dialog" role="dialog" aria-modal="true" aria-labelledby="settings-title" onSubmit={(e) => void submit(e)}>
        <h2 id="settings-title">Settings</h2>
        <fieldset>
          <legend>Gateway</legend>
          <label>
            <input ref={first} type="radio" name="gw" checked={useBuiltIn} onChange={() => setUseBuiltIn(true)} /> Use the built-in local gateway
          </label>
          <label>
            <input type="radio" name="gw" checked={!useBuiltIn} onChange={() => setUseBuiltIn(false)} /> Connect to an OpenClaw gateway
          </label>
          {!useBuiltIn && (
            <>
              <label className="field">
                Gateway URL
                <input type="url" required placeholder="ws://127.0.0.1:18789" value={url} onChange={(e) => setUrl(e.target.value)} />
              </label>
              <label className="field">
                Sign in with
                <select value={authKind} onChange={(e) => setAuthKind(e.target.value as 'token' | 'password')}>
                  <option value="token">Token</option>
                  <option value="password">Password</option>
                </select>
              </label>
              <label className="field">
                {authKind === 'token' ? 'Token' : 'Password'}
                <input
                  type="password"
                  autoComplete="off"
                  placeholder={settings.hasSecret && !urlChanged ? 'saved for this URL — leave empty to keep it' : 'not set'}
                  value={secret}
                  onChange={(e) => setSecret(e.target.value)}
                  disabled={clearSecret}
                />
              </label>
              {willForget && (
                <p className="hint warning" role="note" data-testid="secret-forget-note">
                  The saved {secretLabel} belongs to {redactUrl(settings.gatewayUrl)}. Saving with a new URL forgets it: enter the {secretLabel} for the new gateway.
                </p>
              )}
              {settings.hasSecret && !urlChanged && (
                <label>
                  <input type="checkbox" checked={clearSecret} onChange={(e) => setClearSecret(e.target.checked)} /> Forget the saved {authKind}
                </label>
              )}
              <p className="hint">
                Kept {settings.secretStorage === 'os-keychain' ? "in your system's keychain" : 'in a file only your user can read'}; this window never sees
                it again after saving.
              </p>
            </>
          )}
          {useBuiltIn && willForget && (
            <p className="hint warning" role="note" data-testid="secret-forget-note">
              The saved {secretLabel} for {redactUrl(settings.gatewayUrl)} is forgotten when you switch to the built-in gateway.
            </p>
          )}
        </fieldset>
        <fieldset>
          <legend>Presence</legend>
          <label className="field">
            Heartbeat every (seconds)
            <input type="number" min={10} max={3600} value={interval} onChange={(e) => setIntervalSeconds(Number(e.target.value))} />
          </label>
          <label>
            <input type="checkbox" checked={shareActivity} onChange={(e) => setShareActivity(e.target.checked)} /> Share how long since I last used this
            computer
          </label>
          <p className="hint">
            {shareActivity
              ? 'On: the gateway sees your idle time ("last input 2m ago"), like the OpenClaw apps.'
              : 'Off: your idle time is not sent, and the gateway is told to forget the last one it had.'}
          </p>
        </fieldset>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={saving}>
            {saving ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </div>
  );
}
