import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { StatusBadge } from '../../../renderer/components/status-badge.js';
import { InstancesTable } from '../../../renderer/components/instances-table.js';
import { ConnectionBanners } from '../../../renderer/components/connection-banner.js';
import { GatewayChip } from '../../../renderer/components/gateway-chip.js';
import { indexRows } from '../../../shared/view/rows.js';
import { ENTRY_COLUMNS } from '../../../shared/view/entry-columns.js';
import type { GatewayTag } from '../../../shared/view/fleet.js';
import { gatewayView, snapshotOf } from '../../helpers/view-snapshot.js';
import { DEFAULT_STATUS_THRESHOLDS, statusFromAge } from '../../../shared/presence/status.js';
import type { GatewayView, ViewSnapshot } from '../../../shared/ipc/contract.js';

afterEach(cleanup);
const NOW = 1_700_000_000_000;
const SELF = { instanceId: 'me', deviceId: 'd-me' };

const TAG: GatewayTag = { id: 'g', name: 'Gateway', nameShowsAddress: false, colour: '#0072b2', live: true, clockOffsetMs: 0 };

function table(entries: Parameters<typeof indexRows>[0], extra: Partial<Parameters<typeof InstancesTable>[0]> = {}) {
  const rows = indexRows(entries, SELF, { keyPrefix: 'g/', make: (r) => ({ ...r, gateway: TAG }) });
  return render(<InstancesTable rows={rows} coreNowMs={NOW} thresholds={DEFAULT_STATUS_THRESHOLDS} sort={{ column: 'updated', direction: 'asc' }} onSort={() => {}} onSelect={() => {}} offline={false} scrollRef={{ current: null }} {...extra} />);
}

describe('StatusBadge', () => {
  it.each([
    [120_000, 'Active'],
    [120_001, 'Idle'],
    [300_000, 'Idle'],
    [300_001, 'Stale'],
  ])('at age %i ms shows %s as text', (age, label) => {
    render(<StatusBadge status={statusFromAge(age)} />);
    expect(screen.getByText(label)).toBeTruthy();
  });
});

describe('InstancesTable', () => {
  it('shows a row with host, IP, version, model · platform, mode, last input and updated · reason', () => {
    table([{ host: 'studio', ip: '10.0.0.7', version: '2.1.0', modelIdentifier: 'Mac14,13', platform: 'macos 15.1', deviceFamily: 'Mac', mode: 'ui', lastInputSeconds: 12, reason: 'periodic', ts: NOW - 40_000, text: 'Node: studio' }]);
    const row = screen.getAllByRole('row')[1]!;
    const cells = within(row).getAllByRole('cell').map((c) => c.textContent);
    expect(cells).toEqual(['studioMac14,13 · macOS 15.1', '● Active', '10.0.0.7', '2.1.0', 'ui', '12s ago', 'updated 40s ago · Heartbeat']);
    expect(row.getAttribute('title')).toBe('Node: studio');
    expect(row.querySelector('time')?.getAttribute('dateTime')).toBe(new Date(NOW - 40_000).toISOString());
  });

  it('says unknown host, omits last input for the gateway row, and marks this device', () => {
    table([
      { mode: 'gateway', lastInputSeconds: 5, ts: NOW, text: '' },
      { host: 'me-box', instanceId: 'me', deviceId: 'd-me', ts: NOW, text: '' },
    ]);
    const rows = screen.getAllByRole('row');
    expect(within(rows[1]!).getByText('unknown host')).toBeTruthy();
    expect(within(rows[1]!).getAllByRole('cell')[5]!.textContent).toBe('—');
    expect(within(rows[2]!).getByText('This device')).toBeTruthy();
  });

  it('hints at duplicates: same host, no instanceId', () => {
    table([
      { host: 'twin', ts: NOW, text: '' },
      { host: 'twin', ts: NOW - 1, text: '' },
    ]);
    expect(screen.getAllByText('Possible duplicate')).toHaveLength(2);
  });

  it('renders markup in a host name as text', () => {
    table([{ host: '<img src=x onerror=alert(1)>', ts: NOW, text: '' }]);
    expect(screen.getByText('<img src=x onerror=alert(1)>')).toBeTruthy();
    expect(document.querySelector('tbody img')).toBeNull();
  });

  it('moves the selection with the arrow keys and sorts from the headers', () => {
    const onSelect = vi.fn();
    const onSort = vi.fn();
    table(
      [
        { host: 'one', instanceId: '1', ts: NOW, text: '' },
        { host: 'two', instanceId: '2', ts: NOW - 1, text: '' },
      ],
      { onSelect, onSort },
    );
    const rows = screen.getAllByRole('row');
    fireEvent.keyDown(rows[1]!, { key: 'ArrowDown' });
    expect(onSelect).toHaveBeenLastCalledWith('g/2');
    // Focus moves with the key, not a frame later: a held key's next repeat starts from the new row.
    expect(document.activeElement).toBe(rows[2]);
    fireEvent.click(screen.getByRole('button', { name: /Instance/ }));
    expect(onSort).toHaveBeenCalledWith('host');
    expect(screen.getByRole('columnheader', { name: /Updated/ }).getAttribute('aria-sort')).toBe('ascending');
    // The header is the shared entry columns' (the terminal table's too); the reason rides with Updated here.
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent?.replace(/[▲▼↑↓\s]+$/u, ''))).toEqual(ENTRY_COLUMNS.filter((c) => c.id !== 'reason').map((c) => c.label));
  });
});

function snap(connection: GatewayView['connection'], extra: Partial<GatewayView> = {}): ViewSnapshot {
  return snapshotOf(gatewayView([], 0, { connection, self: SELF, gateway: { kind: 'remote', url: 'ws://x' }, gatewayNowMs: NOW, ...extra }));
}

describe('GatewayChip', () => {
  it("puts a name with the gateway's address in it under Hide hosts & IPs' blur, with no tooltip to give it away", () => {
    const { container } = render(<GatewayChip gateway={{ ...TAG, name: '192.168.1.5:18789', nameShowsAddress: true }} />);
    const chip = container.querySelector('.gateway-chip') as HTMLElement;
    expect(chip.textContent).toBe('192.168.1.5:18789');
    expect(chip.querySelector('.sensitive')?.textContent).toBe('192.168.1.5:18789');
    expect(chip.title).toBe('');
  });

  it('leaves a chosen name readable, with its tooltip', () => {
    const { container } = render(<GatewayChip gateway={{ ...TAG, name: 'Office' }} />);
    const chip = container.querySelector('.gateway-chip') as HTMLElement;
    expect(chip.querySelector('.sensitive')).toBeNull();
    expect(chip.title).toBe('Office');
  });
});

describe('ConnectionBanners', () => {
  const noop = () => {};
  /** What a banner shows on screen (text only a screen reader gets left out). */
  const shown = (el: Element) => {
    const copy = el.cloneNode(true) as Element;
    copy.querySelectorAll('.visually-hidden').forEach((n) => n.remove());
    return copy.textContent;
  };
  it('shows reconnecting with the seconds left', () => {
    render(<ConnectionBanners snapshot={snap({ kind: 'reconnecting', url: 'ws://x', attempt: 2, retryAtMs: NOW + 4200, lastError: 'connection lost' })} hostReachable coreNowMs={NOW} onOpenSettings={noop} onRetry={noop} />);
    expect(shown(screen.getByRole('status'))).toMatch(/Reconnecting in 5 s — connection lost/);
  });
  it('keeps the banner up while a retry is under way, and shows none on a first connect', () => {
    const { unmount } = render(<ConnectionBanners snapshot={snap({ kind: 'connecting', url: 'ws://x', attempt: 3, lastError: 'connection refused' })} hostReachable coreNowMs={NOW} onOpenSettings={noop} onRetry={noop} />);
    expect(screen.getByRole('status').textContent).toMatch(/Reconnecting now… — connection refused/);
    unmount();
    render(<ConnectionBanners snapshot={snap({ kind: 'connecting', url: 'ws://x', attempt: 1 })} hostReachable coreNowMs={NOW} onOpenSettings={noop} onRetry={noop} />);
    expect(screen.queryByRole('status')).toBeNull();
  });
  it('reads a countdown out once: the live region says "Reconnecting soon" while the seconds change on screen', () => {
    const spoken = (el: Element) => {
      const copy = el.cloneNode(true) as Element;
      copy.querySelectorAll('[aria-hidden="true"]').forEach((n) => n.remove());
      return copy.textContent;
    };
    const down = (at: number) => snap({ kind: 'reconnecting', url: 'ws://x', attempt: 2, retryAtMs: NOW + 4200, lastError: 'cannot reach ws://10.1.2.3:18789' }, { gatewayNowMs: at });
    const { rerender } = render(<ConnectionBanners snapshot={down(NOW)} hostReachable coreNowMs={NOW} onOpenSettings={noop} onRetry={noop} />);
    const first = spoken(screen.getByRole('status'));
    expect(screen.getByRole('status').textContent).toMatch(/Reconnecting in 5 s/);
    rerender(<ConnectionBanners snapshot={down(NOW + 1000)} hostReachable coreNowMs={NOW + 1000} onOpenSettings={noop} onRetry={noop} />);
    expect(screen.getByRole('status').textContent).toMatch(/Reconnecting in 4 s/);
    expect(spoken(screen.getByRole('status'))).toBe(first);
    expect(first).toMatch(/Reconnecting soon/);
    // The error names the gateway's address: it blurs with "Hide hosts & IPs".
    expect(screen.getByText(/cannot reach ws:\/\/10\.1\.2\.3/).className).toContain('sensitive');
  });
  it('shows a failure with its reason and what to do', () => {
    render(<ConnectionBanners snapshot={snap({ kind: 'failed', url: 'ws://x', reason: 'The gateway refused the token.', action: 'Paste it again.' })} hostReachable coreNowMs={NOW} onOpenSettings={noop} onRetry={noop} />);
    expect(screen.getByRole('alert').textContent).toMatch(/Can't connect: The gateway refused the token\. Paste it again\./);
  });
  it('explains a missing scope and how to fix it', () => {
    render(<ConnectionBanners snapshot={snap({ kind: 'connected', url: 'ws://x', serverVersion: '1', scopes: [] }, { missingScope: 'operator.read' })} hostReachable coreNowMs={NOW} onOpenSettings={noop} onRetry={noop} />);
    expect(screen.getByRole('alert').textContent).toMatch(/lacks operator\.read.*openclaw devices approve/);
  });
  it("says when entries of the gateway's list couldn't be read and are left out, with what was wrong", () => {
    const connected = { kind: 'connected', url: 'ws://x', serverVersion: '1', scopes: ['operator.read'] } as const;
    const { rerender } = render(
      <ConnectionBanners snapshot={snap(connected, { unreadEntries: { count: 2, problem: 'host: Invalid input: expected string, received number', keptLastList: false } })} hostReachable coreNowMs={NOW} onOpenSettings={noop} onRetry={noop} />,
    );
    expect(screen.getByRole('status').textContent).toBe("2 entries in the gateway's list couldn't be read and are left out. What was wrong with the first: host: Invalid input: expected string, received number");
    // The problem can quote a host name: it blurs with "Hide hosts & IPs".
    expect(screen.getByText(/^host: Invalid input/).className).toContain('sensitive');
    rerender(<ConnectionBanners snapshot={snap(connected, { unreadEntries: { count: 1, problem: "ts: 1 is more than a day from the gateway's clock", keptLastList: true } })} hostReachable coreNowMs={NOW} onOpenSettings={noop} onRetry={noop} />);
    expect(screen.getByRole('status').textContent).toBe(
      "1 entry in the gateway's list couldn't be read, and nothing else was in it: the list shown is the last one that could be read. What was wrong: ts: 1 is more than a day from the gateway's clock",
    );
    rerender(<ConnectionBanners snapshot={snap(connected)} hostReachable coreNowMs={NOW} onOpenSettings={noop} onRetry={noop} />);
    expect(screen.queryByRole('status')).toBeNull();
  });
  it('gives each gateway that needs attention its own banner, named, and none to the ones that are fine', () => {
    const ok = gatewayView([], 1, { id: 'home', name: 'Home' });
    const down = gatewayView([], 1, { id: 'work', name: 'Work', connection: { kind: 'reconnecting', url: 'ws://w', attempt: 3, retryAtMs: NOW + 2000, lastError: 'connection refused' } });
    const refused = gatewayView([], 1, { id: 'lab', name: 'Lab', connection: { kind: 'failed', url: 'ws://l', reason: 'The gateway refused the token.', action: 'Paste it again.' } });
    render(<ConnectionBanners snapshot={snapshotOf(ok, down, refused)} hostReachable coreNowMs={NOW} onOpenSettings={noop} onRetry={noop} />);
    expect(shown(screen.getByRole('status'))).toMatch(/^Work\s*Reconnecting in 2 s — connection refused/);
    expect(screen.getByRole('alert').textContent).toMatch(/^Lab\s*Can't connect: The gateway refused the token\./);
    expect(document.querySelector('[data-gateway=home]')).toBeNull();
  });
});
