import { useLayoutEffect, useRef, useState, type FormEvent } from 'react';
import type { PublicSettings, SettingsUpdate, SaveResult } from '../../shared/ipc/contract.js';
import { GatewayRow, ReadOnlyGatewayRow } from './settings/gateway-row.js';
import { useDialogFocus } from './settings/dialog-focus.js';
import {
  addGateway,
  displayName,
  draftChanged,
  draftFromSettings,
  hasErrors,
  LIMITS,
  moveGateway,
  removeGateway,
  toUpdate,
  undoRemove,
  updateGateway,
  validateDraft,
  type DraftErrors,
  type GatewayDraft,
  type SettingsDraft,
} from './settings/draft.js';

export interface SettingsDialogProps {
  readonly settings: PublicSettings;
  readonly onSave: (update: SettingsUpdate) => Promise<SaveResult>;
  readonly onClose: () => void;
}

const NO_ERRORS: DraftErrors = { url: {} };

/**
 * Settings: the list of gateways (add, edit, remove, reorder; the built-in one
 * and read-only ones from the environment or a local OpenClaw config), then the
 * global presence choices. Everything is a draft until Save, which sends the
 * whole saved list in order; an error from the core shows here and the edits stay.
 *
 * Secret fields are write-only: a saved token is never sent back to this page
 * (issue 12, V1), and the dialog says before saving when one will be forgotten.
 */
export function SettingsDialog({ settings, onSave, onClose }: SettingsDialogProps) {
  const [opened] = useState<SettingsDraft>(() => draftFromSettings(settings));
  const [draft, setDraft] = useState<SettingsDraft>(opened);
  // Escape with edits asks first: a stray key must not throw away a typed token or a new gateway.
  const [askDiscard, setAskDiscard] = useState(false);
  const [editing, setEditing] = useState<string>();
  const [errors, setErrors] = useState<DraftErrors>(NO_ERRORS);
  const [saveError, setSaveError] = useState<string>();
  const [saving, setSaving] = useState(false);
  // After a move, remove or add, where focus goes next (selectors inside the dialog), so the keyboard never falls out of the list.
  // Each action that sets it also changes state, so the render it causes moves focus (first selector that is there and enabled).
  const focusNext = useRef<readonly string[]>(undefined);
  const setFocusNext = (selectors: readonly string[]) => {
    focusNext.current = selectors;
  };
  const dialog = useRef<HTMLFormElement>(null);
  const keepEditing = () => {
    setAskDiscard(false);
    setFocusNext(['[data-action="save"]']);
  };
  useDialogFocus(dialog, () => {
    // Escape again answers "Keep editing", as Escape leaves any question.
    if (askDiscard) keepEditing();
    else if (draftChanged(opened, draft)) {
      setAskDiscard(true);
      setFocusNext(['[data-action="keep-editing"]']);
    } else onClose();
  });

  useLayoutEffect(() => {
    const selectors = focusNext.current;
    if (!selectors) return;
    focusNext.current = undefined;
    for (const selector of selectors) {
      const el = dialog.current?.querySelector<HTMLElement>(selector);
      if (el && !el.matches(':disabled')) {
        el.focus();
        break;
      }
    }
  });

  const change = (next: SettingsDraft) => {
    setDraft(next);
    setAskDiscard(false);
    // An error shown for a field goes once the field is fixed; others wait for the next Save.
    if (hasErrors(errors)) setErrors(validateDraft(next));
  };
  const row = (key: string, action: string) => `[data-key="${key}"] [data-action="${action}"]`;

  const onAdd = () => {
    const { draft: next, key } = addGateway(draft);
    change(next);
    setEditing(key);
    setFocusNext([`[data-key="${key}"] [data-field="url"]`]);
  };
  const onRemove = (g: GatewayDraft, index: number) => {
    const next = removeGateway(draft, g.key);
    change(next);
    if (editing === g.key) setEditing(undefined);
    const neighbour = next.gateways[Math.min(index, next.gateways.length - 1)];
    setFocusNext([...(neighbour ? [row(neighbour.key, 'edit')] : []), '[data-action="add"]']);
  };
  const onMove = (g: GatewayDraft, by: -1 | 1) => {
    change(moveGateway(draft, g.key, by));
    // At either end the pressed button is disabled: the other one takes focus.
    setFocusNext([row(g.key, by < 0 ? 'up' : 'down'), row(g.key, by < 0 ? 'down' : 'up')]);
  };
  const onUndo = (key: string) => {
    change(undoRemove(draft, key));
    setFocusNext([row(key, 'edit')]);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validateDraft(draft);
    setErrors(found);
    if (hasErrors(found)) {
      // Open the first gateway with a problem so its message is next to its field.
      const firstBad = draft.gateways.find((g) => found.url[g.key]);
      if (firstBad) {
        setEditing(firstBad.key);
        setFocusNext([`[data-key="${firstBad.key}"] [data-field="url"]`]);
      } else setFocusNext(['[data-field="interval"]']);
      return;
    }
    setSaving(true);
    setSaveError(undefined);
    let result: SaveResult;
    try {
      result = await onSave(toUpdate(draft));
    } catch (error) {
      result = { ok: false, error: `could not reach the app to save (${error instanceof Error ? error.message : String(error)})` };
    }
    setSaving(false);
    if (result.ok) onClose();
    // The core's word (a URL it refuses, a list it can't take); every edit stays so it can be fixed.
    else setSaveError(result.error);
  };

  const last = draft.gateways.length - 1;
  return (
    <div className="dialog-backdrop">
      <form ref={dialog} className="dialog settings-dialog" role="dialog" aria-modal="true" aria-labelledby="settings-title" noValidate onSubmit={(e) => void submit(e)}>
        <h2 id="settings-title">Settings</h2>
        <fieldset className="settings-gateways">
          <legend>Gateways</legend>
          <p className="hint">Every gateway in the list is watched at once; the colour marks its rows.</p>
          <ul aria-label="Gateways">
            {draft.gateways.map((g, i) => (
              <GatewayRow
                key={g.key}
                gateway={g}
                isFirst={i === 0}
                isLast={i === last}
                editing={editing === g.key}
                othersListed={draft.readOnly.length > 0 || draft.gateways.some((o) => o.kind === 'remote')}
                urlError={errors.url[g.key]}
                onChange={(update) => change(updateGateway(draft, g.key, update))}
                onToggleEdit={() => {
                  // Closing from Done: focus goes back to the row's Edit button, not to nowhere.
                  if (editing === g.key) setFocusNext([row(g.key, 'edit')]);
                  setEditing(editing === g.key ? undefined : g.key);
                }}
                onRemove={() => onRemove(g, i)}
                onMove={(by) => onMove(g, by)}
              />
            ))}
            {draft.readOnly.map((g) => (
              <ReadOnlyGatewayRow key={g.id} gateway={g} />
            ))}
          </ul>
          {draft.removed.map(({ gateway }) => (
            <p key={gateway.key} className="hint warning" role="note">
              {displayName(gateway)} is removed when you save{gateway.saved?.hasSecret ? `, with its saved ${gateway.saved.authKind}` : ''}.{' '}
              <button type="button" onClick={() => onUndo(gateway.key)}>
                Undo remove {displayName(gateway)}
              </button>
            </p>
          ))}
          <div className="gateway-add">
            <button type="button" data-action="add" onClick={onAdd}>
              Add gateway
            </button>
          </div>
          <p className="hint">
            Tokens and passwords are kept {settings.secretStorage === 'os-keychain' ? "in your system's keychain" : 'in a file only your user can read'}; this window
            never sees them again after saving.
          </p>
        </fieldset>
        <fieldset>
          <legend>Presence</legend>
          <label className="field">
            Heartbeat every (seconds)
            <input
              type="number"
              data-field="interval"
              min={LIMITS.interval.min}
              max={LIMITS.interval.max}
              step={1}
              value={draft.intervalText}
              aria-invalid={errors.interval !== undefined}
              aria-describedby={errors.interval ? 'settings-interval-error' : undefined}
              onChange={(e) => change({ ...draft, intervalText: e.target.value })}
            />
          </label>
          {errors.interval && (
            <p className="error" id="settings-interval-error">
              {errors.interval}
            </p>
          )}
          <label>
            <input type="checkbox" checked={draft.shareActivity} onChange={(e) => change({ ...draft, shareActivity: e.target.checked })} /> Share how long since I
            last used this computer
          </label>
          <p className="hint">
            {draft.shareActivity
              ? 'On: every gateway this machine beacons to sees your idle time ("last input 2m ago"), like the OpenClaw apps.'
              : 'Off: your idle time is not sent, and each gateway is told to forget the last one it had.'}
          </p>
        </fieldset>
        {saveError && (
          <p className="error" role="alert">
            Not saved: {saveError}
          </p>
        )}
        {askDiscard ? (
          <div className="actions" role="group" aria-labelledby="settings-discard-question">
            <p id="settings-discard-question" className="question" role="alert">
              Discard your changes?
            </p>
            <button type="button" data-action="keep-editing" onClick={keepEditing}>
              Keep editing
            </button>
            <button type="button" data-action="discard" onClick={onClose}>
              Discard
            </button>
          </div>
        ) : (
          <div className="actions">
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="primary" data-action="save" disabled={saving}>
              {saving ? 'Saving…' : 'Save'}
            </button>
          </div>
        )}
      </form>
    </div>
  );
}
