/**
 * The Settings dialog for several gateways (issue 14, item 1), in jsdom with
 * real React: what the user sees, and the update Save sends (the whole saved
 * list, in order; read-only gateways never in it; secrets only when typed).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { SettingsDialog } from '../../../renderer/components/settings-dialog.js';
import type { PublicGateway, PublicSettings, SaveResult, SettingsUpdate } from '../../../shared/ipc/contract.js';
import { BEACON_INTERVAL_SECONDS, GATEWAY_COLOURS } from '../../../shared/settings/schema.js';

afterEach(cleanup);

const BUILTIN: PublicGateway = { id: 'builtin', kind: 'builtin', name: 'Built-in', url: '', authKind: 'token', colour: GATEWAY_COLOURS[0], beacon: true, run: 'auto', hasSecret: false, source: 'builtin', editable: true };
const remote = (o: Partial<PublicGateway> & Pick<PublicGateway, 'id' | 'name' | 'url'>): PublicGateway => ({
  kind: 'remote',
  authKind: 'token',
  colour: GATEWAY_COLOURS[1],
  beacon: true,
  hasSecret: false,
  source: 'settings',
  editable: true,
  ...o,
});
const HOME = remote({ id: 'home', name: 'home', url: 'ws://home.example:18789', hasSecret: true, colour: GATEWAY_COLOURS[1] });
const WORK = remote({ id: 'work', name: 'work', url: 'wss://work.example/gw?key=abc', authKind: 'password', colour: GATEWAY_COLOURS[2], beacon: false });
const ENV = remote({ id: 'env', name: '127.0.0.1:18789', url: 'ws://127.0.0.1:18789', hasSecret: true, colour: GATEWAY_COLOURS[3], source: 'environment', editable: false });
const CONFIG = remote({ id: 'openclaw-config', name: 'local', url: 'ws://127.0.0.1:18790', colour: GATEWAY_COLOURS[4], source: 'openclaw-config', editable: false });
const SETTINGS: PublicSettings = { gateways: [BUILTIN, HOME, WORK, ENV, CONFIG], secretStorage: 'file', beaconIntervalSeconds: 60, shareActivity: true };

/** What Save sends for the three saved gateways when nothing was changed. */
const SENT = {
  builtin: { kind: 'builtin', name: 'Built-in', colour: GATEWAY_COLOURS[0], run: 'auto', beacon: true },
  home: { kind: 'remote', id: 'home', name: 'home', url: 'ws://home.example:18789', authKind: 'token', colour: GATEWAY_COLOURS[1], beacon: true },
  work: { kind: 'remote', id: 'work', name: 'work', url: 'wss://work.example/gw?key=abc', authKind: 'password', colour: GATEWAY_COLOURS[2], beacon: false },
} as const;

function open(result: SaveResult = { ok: true, settings: SETTINGS }, settings = SETTINGS) {
  const onSave = vi.fn(async (_update: SettingsUpdate) => result);
  const onClose = vi.fn();
  render(<SettingsDialog settings={settings} onSave={onSave} onClose={onClose} />);
  const sent = async (): Promise<SettingsUpdate> => {
    await vi.waitFor(() => expect(onSave).toHaveBeenCalledTimes(1));
    return onSave.mock.calls[0]![0];
  };
  return { onSave, onClose, sent };
}
const item = (name: string) => screen.getByRole('listitem', { name });
const names = () => within(screen.getByRole('list', { name: 'Gateways' })).getAllByRole('listitem').map((li) => li.querySelector('.gateway-name')?.textContent);
const save = () => fireEvent.click(screen.getByRole('button', { name: 'Save' }));

describe('the list of gateways', () => {
  it('shows each gateway with its colour, name, redacted URL, where it comes from, its secret state and its beacon switch', () => {
    open();
    expect(names()).toEqual(['Built-in', 'home', 'work', '127.0.0.1:18789', 'local']);
    const work = item('work');
    // Query values are hidden, as everywhere a URL is shown.
    expect(work.querySelector('.gateway-meta')!.textContent).toBe('wss://work.example/gw?key=*** · Saved · no password');
    expect(item('home').querySelector('.gateway-meta')!.textContent).toBe('ws://home.example:18789 · Saved · token saved');
    expect(item('Built-in').querySelector('.gateway-meta')!.textContent).toBe('On this computer (127.0.0.1) · Built-in · no token needed');
    // Hide hosts & IPs blurs every `.sensitive` in the window: a gateway's address names a host too.
    expect([...screen.getByRole('list', { name: 'Gateways' }).querySelectorAll('.gateway-meta .sensitive')].map((el) => el.textContent)).toEqual([
      'ws://home.example:18789',
      'wss://work.example/gw?key=***',
      'ws://127.0.0.1:18789',
      'ws://127.0.0.1:18790',
    ]);
    // So does a name with the address in it (the environment's gateway is named by its URL), and no other name.
    expect([...screen.getByRole('list', { name: 'Gateways' }).querySelectorAll('.gateway-name.sensitive')].map((el) => el.textContent)).toEqual(['127.0.0.1:18789']);
    expect((work.querySelector('.chip') as HTMLElement).style.backgroundColor).toBe('rgb(0, 158, 115)');
    expect((within(work).getByLabelText('Beacon this machine to it') as HTMLInputElement).checked).toBe(false);
    expect((within(item('home')).getByLabelText('Beacon this machine to it') as HTMLInputElement).checked).toBe(true);
    // Named buttons; the built-in gateway can't be removed.
    for (const name of ['Edit home', 'Remove home', 'Move home up', 'Move home down', 'Edit Built-in', 'Move Built-in down']) expect(screen.getByRole('button', { name })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Remove Built-in' })).toBeNull();
    expect((screen.getByRole('button', { name: 'Move Built-in up' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Move work down' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows environment and OpenClaw-config gateways read-only, with why, and leaves them out of the update', async () => {
    const { sent } = open();
    const env = item('127.0.0.1:18789');
    expect(env.querySelector('.gateway-meta')!.textContent).toBe('ws://127.0.0.1:18789 · from OPENCLAW_GATEWAY_URL · token set there');
    expect(within(env).getByText(/^Read-only: set in the environment/)).toBeTruthy();
    expect(within(env).queryAllByRole('button')).toEqual([]);
    expect((within(env).getByLabelText('Beacon this machine to it') as HTMLInputElement).disabled).toBe(true);
    expect(item('local').querySelector('.gateway-meta')!.textContent).toBe('ws://127.0.0.1:18790 · from ~/.openclaw/openclaw.json · no token');
    expect(within(item('local')).getByText(/^Read-only: the local OpenClaw's own gateway/)).toBeTruthy();
    save();
    expect(await sent()).toEqual({ gateways: [SENT.builtin, SENT.home, SENT.work], beaconIntervalSeconds: 60, shareActivity: true });
  });

  it('adds a gateway: the update has the list in order with the new one at the end, its colour and its secret', async () => {
    const { sent, onClose } = open();
    fireEvent.click(screen.getByRole('button', { name: 'Add gateway' }));
    const url = screen.getByLabelText('Gateway URL');
    // Focus goes to the new gateway's URL.
    expect(document.activeElement).toBe(url);
    fireEvent.change(url, { target: { value: 'ws://lab.example:18789' } });
    expect(screen.getByLabelText('Name').getAttribute('placeholder')).toBe('lab.example:18789');
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'lab' } });
    fireEvent.change(screen.getByLabelText('Token', { exact: true }), { target: { value: 'lab-token' } });
    fireEvent.click(screen.getByRole('radio', { name: 'Purple' }));
    expect(item('lab').querySelector('.gateway-meta')!.textContent).toBe('ws://lab.example:18789 · New · new token entered');
    save();
    expect(await sent()).toEqual({
      gateways: [SENT.builtin, SENT.home, SENT.work, { kind: 'remote', name: 'lab', url: 'ws://lab.example:18789', authKind: 'token', colour: '#7a5195', beacon: true, secret: 'lab-token' }],
      beaconIntervalSeconds: 60,
      shareActivity: true,
    });
    expect(onClose).toHaveBeenCalled();
  });

  it('gives a new gateway the first colour no gateway has, and leaves its name to the core when none is typed', async () => {
    const { sent } = open();
    fireEvent.click(screen.getByRole('button', { name: 'Add gateway' }));
    // The palette's first five are taken (read-only gateways count): the sixth.
    expect((screen.getByRole('radio', { name: 'Sky blue' }) as HTMLInputElement).checked).toBe(true);
    fireEvent.change(screen.getByLabelText('Gateway URL'), { target: { value: 'ws://10.0.0.9:18789' } });
    save();
    const update = await sent();
    expect(update.gateways![3]).toEqual({ kind: 'remote', url: 'ws://10.0.0.9:18789', authKind: 'token', colour: GATEWAY_COLOURS[5], beacon: true });
  });

  it('asks for a URL before sending a new gateway without one', () => {
    const { onSave } = open();
    fireEvent.click(screen.getByRole('button', { name: 'Add gateway' }));
    save();
    const url = screen.getByLabelText('Gateway URL');
    expect(url.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(url.getAttribute('aria-describedby')!)!.textContent).toMatch(/^Enter the gateway's URL/);
    expect(onSave).not.toHaveBeenCalled();
  });

  it('editing a URL warns that the saved token will be forgotten, and sends no secret (the core forgets it)', async () => {
    const { sent } = open();
    fireEvent.click(screen.getByRole('button', { name: 'Edit home' }));
    const token = screen.getByLabelText('Token', { exact: true }) as HTMLInputElement;
    expect(token.value).toBe('');
    expect(token.placeholder).toBe('saved — leave empty to keep');
    expect(screen.queryByTestId('secret-forget-note')).toBeNull();
    fireEvent.change(screen.getByLabelText('Gateway URL'), { target: { value: 'ws://elsewhere.example:18789' } });
    expect(screen.getByTestId('secret-forget-note').textContent).toBe(
      'The saved token belongs to ws://home.example:18789. Saving with a new URL forgets it: enter the token for the new gateway.',
    );
    expect(token.placeholder).toBe('not set');
    expect(item('home').querySelector('.gateway-meta')!.textContent).toBe('ws://elsewhere.example:18789 · Saved · saved token forgotten on Save');
    save();
    const home = (await sent()).gateways![1]!;
    expect(home).toEqual({ ...SENT.home, url: 'ws://elsewhere.example:18789' });
    expect(home).not.toHaveProperty('secret');
  });

  it('warns too when the sign-in kind changes without a new secret', () => {
    open();
    fireEvent.click(screen.getByRole('button', { name: 'Edit home' }));
    fireEvent.change(screen.getByLabelText('Sign in with'), { target: { value: 'password' } });
    expect(screen.getByTestId('secret-forget-note').textContent).toBe('The saved token is forgotten when you sign in with a password instead: enter the password.');
    expect(screen.getByLabelText('Password', { exact: true })).toBeTruthy();
  });

  it('Forget sends null for the saved secret; Keep takes it back', async () => {
    const { sent } = open();
    fireEvent.click(screen.getByRole('button', { name: 'Edit home' }));
    fireEvent.click(screen.getByRole('button', { name: 'Forget the saved token' }));
    expect(screen.getByText(/The saved token is forgotten when you save\./)).toBeTruthy();
    expect((screen.getByLabelText('Token', { exact: true }) as HTMLInputElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Keep the saved token' }));
    expect(screen.queryByText(/The saved token is forgotten when you save\./)).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Forget the saved token' }));
    // Done closes the editor and gives focus back to the row's Edit button; the choice stays.
    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(screen.queryByLabelText('Gateway URL')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Edit home' }));
    expect(item('home').querySelector('.gateway-meta')!.textContent).toBe('ws://home.example:18789 · Saved · saved token forgotten on Save');
    save();
    expect((await sent()).gateways![1]).toEqual({ ...SENT.home, secret: null });
  });

  it('reorders with Move up and Move down, keeping focus on the moved gateway, and sends the new order', async () => {
    const { sent } = open();
    const up = screen.getByRole('button', { name: 'Move work up' });
    up.focus();
    fireEvent.click(up);
    expect(names().slice(0, 3)).toEqual(['Built-in', 'work', 'home']);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Move work up' }));
    fireEvent.click(screen.getByRole('button', { name: 'Move work up' }));
    expect(names().slice(0, 3)).toEqual(['work', 'Built-in', 'home']);
    // At the top its up button is disabled: focus moves to its down button.
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Move work down' }));
    fireEvent.click(screen.getByRole('button', { name: 'Move home up' }));
    save();
    expect((await sent()).gateways).toEqual([SENT.work, SENT.home, SENT.builtin]);
  });

  it('removes a gateway (its secret with it), can undo until Save, and sends the list without it', async () => {
    const { sent } = open();
    fireEvent.click(screen.getByRole('button', { name: 'Remove home' }));
    expect(names()).toEqual(['Built-in', 'work', '127.0.0.1:18789', 'local']);
    expect(screen.getByRole('note').textContent).toMatch(/^home is removed when you save, with its saved token\./);
    // Focus goes to the next gateway, not to the page behind.
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Edit work' }));
    fireEvent.click(screen.getByRole('button', { name: 'Undo remove home' }));
    expect(names().slice(0, 3)).toEqual(['Built-in', 'home', 'work']);
    fireEvent.click(screen.getByRole('button', { name: 'Remove home' }));
    save();
    expect((await sent()).gateways).toEqual([SENT.builtin, SENT.work]);
  });

  it('sets when the built-in gateway runs, and its beacon switch', async () => {
    const { sent } = open();
    const run = within(item('Built-in')).getByLabelText('Run') as HTMLSelectElement;
    expect([...run.options].map((o) => o.textContent)).toEqual(['When no other gateway is listed', 'Always', 'Never']);
    expect(run.value).toBe('auto');
    fireEvent.change(run, { target: { value: 'off' } });
    fireEvent.click(within(item('Built-in')).getByLabelText('Beacon this machine to it'));
    fireEvent.click(within(item('work')).getByLabelText('Beacon this machine to it'));
    save();
    expect((await sent()).gateways).toEqual([{ ...SENT.builtin, run: 'off', beacon: false }, SENT.home, { ...SENT.work, beacon: true }]);
  });
  it('says what the run choice means with the list as it stands', () => {
    open(undefined, { ...SETTINGS, gateways: [BUILTIN] });
    const hint = () => item('Built-in').querySelector('.hint')!.textContent;
    expect(hint()).toBe('Running: no other gateway is listed.');
    fireEvent.click(screen.getByRole('button', { name: 'Add gateway' }));
    expect(hint()).toBe('Not running while another gateway is listed.');
    fireEvent.change(within(item('Built-in')).getByLabelText('Run'), { target: { value: 'on' } });
    expect(hint()).toBe('Always running (on 127.0.0.1 only).');
  });
});

describe('global choices and errors', () => {
  it('reads the heartbeat bounds from the schema: 5 s shows the error with its minimum, and nothing is sent', () => {
    const { onSave } = open();
    const interval = screen.getByLabelText('Heartbeat every (seconds)') as HTMLInputElement;
    expect([interval.min, interval.max]).toEqual([String(BEACON_INTERVAL_SECONDS.min), String(BEACON_INTERVAL_SECONDS.max)]);
    fireEvent.change(interval, { target: { value: '5' } });
    save();
    expect(interval.getAttribute('aria-invalid')).toBe('true');
    const error = document.getElementById(interval.getAttribute('aria-describedby')!)!.textContent!;
    expect(error).toContain(`${BEACON_INTERVAL_SECONDS.min} to ${BEACON_INTERVAL_SECONDS.max} seconds`);
    expect(onSave).not.toHaveBeenCalled();
    // Fixed, the message goes as you type.
    fireEvent.change(interval, { target: { value: String(BEACON_INTERVAL_SECONDS.min) } });
    expect(interval.getAttribute('aria-invalid')).toBe('false');
  });

  it('sends the interval and Share activity as one global choice', async () => {
    const { sent } = open();
    fireEvent.change(screen.getByLabelText('Heartbeat every (seconds)'), { target: { value: '120' } });
    fireEvent.click(screen.getByLabelText(/Share how long since I last used this computer/));
    expect(screen.getByText(/^Off: your idle time is not sent/)).toBeTruthy();
    save();
    expect(await sent()).toMatchObject({ beaconIntervalSeconds: 120, shareActivity: false });
  });

  it("shows the core's error in the dialog and keeps every edit", async () => {
    const { onSave, onClose } = open({ ok: false, error: 'use ws:// or wss://, not http://' });
    fireEvent.click(screen.getByRole('button', { name: 'Add gateway' }));
    fireEvent.change(screen.getByLabelText('Gateway URL'), { target: { value: 'http://bad.example' } });
    fireEvent.change(screen.getByLabelText('Token', { exact: true }), { target: { value: 'typed' } });
    save();
    expect((await screen.findByRole('alert')).textContent).toBe('Not saved: use ws:// or wss://, not http://');
    expect(onClose).not.toHaveBeenCalled();
    expect((screen.getByLabelText('Gateway URL') as HTMLInputElement).value).toBe('http://bad.example');
    expect((screen.getByLabelText('Token', { exact: true }) as HTMLInputElement).value).toBe('typed');
    expect(onSave).toHaveBeenCalledTimes(1);
  });

  it('says so when the app could not be reached, and stays open', async () => {
    const onSave = vi.fn(async () => {
      throw new Error('socket closed');
    });
    render(<SettingsDialog settings={SETTINGS} onSave={onSave} onClose={() => {}} />);
    save();
    expect((await screen.findByRole('alert')).textContent).toBe('Not saved: could not reach the app to save (socket closed)');
  });

  it('traps focus: Tab from the last control goes to the first, Shift+Tab back; Escape closes', () => {
    const { onClose } = open();
    const dialog = screen.getByRole('dialog', { name: 'Settings' });
    const first = screen.getByRole('button', { name: 'Edit Built-in' });
    expect(document.activeElement).toBe(first);
    const saveButton = screen.getByRole('button', { name: 'Save' });
    saveButton.focus();
    fireEvent.keyDown(saveButton, { key: 'Tab' });
    expect(document.activeElement).toBe(first);
    fireEvent.keyDown(first, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(saveButton);
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('asks before Escape throws edits away: Escape again keeps editing, Discard closes without saving, and an edit taken back is no edit', () => {
    const { onClose, onSave } = open();
    const dialog = screen.getByRole('dialog', { name: 'Settings' });
    const interval = screen.getByRole('spinbutton', { name: /Heartbeat every/ });
    fireEvent.change(interval, { target: { value: '90' } });
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(onClose).not.toHaveBeenCalled();
    expect(screen.getByRole('alert').textContent).toBe('Discard your changes?');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Keep editing' }));
    // Escape leaves the question, not the dialog: the edit is still there, and Save is back.
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(onClose).not.toHaveBeenCalled();
    expect(screen.queryByRole('alert')).toBeNull();
    expect((interval as HTMLInputElement).value).toBe('90');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Save' }));
    fireEvent.keyDown(dialog, { key: 'Escape' });
    fireEvent.click(screen.getByRole('button', { name: 'Discard' }));
    expect(onClose).toHaveBeenCalledTimes(1);
    expect(onSave).not.toHaveBeenCalled();
    cleanup();
    // Typed and taken back: nothing to lose, so Escape just closes.
    const again = open();
    const back = screen.getByRole('spinbutton', { name: /Heartbeat every/ });
    fireEvent.change(back, { target: { value: '90' } });
    fireEvent.change(back, { target: { value: '60' } });
    fireEvent.keyDown(screen.getByRole('dialog', { name: 'Settings' }), { key: 'Escape' });
    expect(again.onClose).toHaveBeenCalledTimes(1);
  });

  it('gives focus back to what opened it when it closes', () => {
    const opener = document.createElement('button');
    document.body.append(opener);
    opener.focus();
    const { unmount } = render(<SettingsDialog settings={SETTINGS} onSave={async () => ({ ok: true, settings: SETTINGS })} onClose={() => {}} />);
    expect(document.activeElement).not.toBe(opener);
    unmount();
    expect(document.activeElement).toBe(opener);
    opener.remove();
  });
});
