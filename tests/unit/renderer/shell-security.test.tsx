/**
 * Issue 12 in the renderer (jsdom): a row that can't be rendered leaves the
 * toolbar and Settings working (V5), and the Settings dialog says when a saved
 * secret will be forgotten because the URL changed (V1).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App } from '../../../renderer/app.js';
import { AppContext } from '../../../renderer/hooks.js';
import { createStore } from '../../../renderer/store.js';
import { SettingsDialog } from '../../../renderer/components/settings-dialog.js';
import type { InstancesApi } from '../../../shared/ipc/bridge.js';
import type { PublicSettings, SettingsUpdate, ViewSnapshot } from '../../../shared/ipc/contract.js';
import { viewSnapshot } from '../../helpers/view-snapshot.js';

afterEach(cleanup);
const NOW = 1_800_000_000_000;
const SETTINGS: PublicSettings = {
  gateways: [
    { id: 'builtin', kind: 'builtin', name: 'Built-in', url: '', authKind: 'token', colour: '#0072b2', beacon: true, run: 'auto', hasSecret: false, source: 'builtin', editable: true },
    { id: 'gw', kind: 'remote', name: 'gw', url: 'ws://gw.example:18789', authKind: 'token', colour: '#d55e00', beacon: true, hasSecret: true, source: 'settings', editable: true },
  ],
  secretStorage: 'file',
  beaconIntervalSeconds: 60,
  shareActivity: true,
};

function fakeApi(first: ViewSnapshot): InstancesApi & { push(s: ViewSnapshot): void } {
  const listeners = new Set<(s: ViewSnapshot) => void>();
  return {
    getSnapshot: async () => first,
    onSnapshot: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    pauseUpdates: async () => {},
    resumeUpdates: async () => {},
    refresh: async () => {},
    getSettings: async () => SETTINGS,
    saveSettings: async () => ({ ok: true, settings: SETTINGS }),
    getMachineHistory: async (key) => ({ key, statusChanges: [], stats: [] }),
    forgetMachine: async () => {},
    push: (s) => listeners.forEach((l) => l(s)),
  };
}

describe('a row that fails to render (V5)', () => {
  it('shows a clear message in place of the list; the toolbar and Settings keep working; the next list renders again', async () => {
    // As if a gateway's entry got past the edge: new Date(9e15).toISOString() throws.
    const bad = viewSnapshot([{ host: 'bomb', ts: 9e15, text: '' }, { host: 'fine', ts: NOW, text: '' }], 1, { gatewayNowMs: NOW });
    const api = fakeApi(bad);
    const store = createStore(() => NOW);
    const detach = store.attach(api);
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    render(
      <AppContext.Provider value={{ store, api }}>
        <App />
      </AppContext.Provider>,
    );
    // The Machines view is the default: the message names its list.
    expect((await screen.findByRole('heading', { name: "Couldn't show the machine list" })).textContent).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toMatch(/The rest of the window still works/);
    expect(screen.getByRole('heading', { name: 'Instances' })).toBeTruthy();
    expect(screen.getByRole('group', { name: 'Machine counts' }).textContent).toMatch(/Active/);
    fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
    expect(screen.getByRole('dialog', { name: 'Settings' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));

    act(() => api.push(viewSnapshot([{ host: 'fine', ts: NOW, text: '' }], 2, { gatewayNowMs: NOW })));
    // The store prepares the next list in tasks of its own before the render (renderer/store.ts).
    await waitFor(() => expect(screen.queryByRole('heading', { name: "Couldn't show the machine list" })).toBeNull());
    // The list is virtualised (jsdom has no layout, so no rows in view): the table itself is back.
    expect(screen.getByRole('treegrid', { name: 'Machines' })).toBeTruthy();
    expect(screen.getByRole('button', { name: /^1 Active$/ })).toBeTruthy();
    quiet.mockRestore();
    detach();
  });
});

describe('Settings and a saved secret (V1)', () => {
  it('never shows the saved token; says it is forgotten when the URL changes without a new one, and sends no secret', async () => {
    const onSave = vi.fn(async (_update: SettingsUpdate) => ({ ok: true as const, settings: SETTINGS }));
    render(<SettingsDialog settings={SETTINGS} onSave={onSave} onClose={() => {}} />);
    expect(screen.getByRole('listitem', { name: 'gw' }).querySelector('.gateway-meta')!.textContent).toBe('ws://gw.example:18789 · Saved · token saved');
    fireEvent.click(screen.getByRole('button', { name: 'Edit gw' }));
    const token = screen.getByLabelText('Token', { exact: true }) as HTMLInputElement;
    expect(token.value).toBe('');
    expect(token.getAttribute('placeholder')).toBe('saved — leave empty to keep');
    expect(screen.queryByTestId('secret-forget-note')).toBeNull();

    fireEvent.change(screen.getByLabelText('Gateway URL'), { target: { value: 'ws://other.example:18789' } });
    expect(screen.getByTestId('secret-forget-note').textContent).toBe(
      'The saved token belongs to ws://gw.example:18789. Saving with a new URL forgets it: enter the token for the new gateway.',
    );
    expect(token.getAttribute('placeholder')).toBe('not set');
    fireEvent.change(token, { target: { value: 'new-token' } });
    expect(screen.queryByTestId('secret-forget-note')).toBeNull();
    fireEvent.change(token, { target: { value: '' } });
    expect(screen.getByTestId('secret-forget-note')).toBeTruthy();

    // Back to the saved URL: the token is kept again, and nothing warns.
    fireEvent.change(screen.getByLabelText('Gateway URL'), { target: { value: 'ws://gw.example:18789' } });
    expect(screen.queryByTestId('secret-forget-note')).toBeNull();
    fireEvent.change(screen.getByLabelText('Gateway URL'), { target: { value: 'ws://other.example:18789' } });

    fireEvent.submit(screen.getByRole('dialog'));
    await vi.waitFor(() => expect(onSave).toHaveBeenCalled());
    const sent = onSave.mock.calls[0]![0].gateways!;
    expect(sent[1]).toMatchObject({ id: 'gw', url: 'ws://other.example:18789' });
    expect(sent[1]).not.toHaveProperty('secret');
  });
});
