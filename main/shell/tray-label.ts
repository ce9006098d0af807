/**
 * The tray's title, tooltip and per-gateway lines from the snapshot: the number
 * of Active instances in total, and for each gateway (issue 14, item 5).
 */
import type { GatewayView, ViewSnapshot } from '../../shared/ipc/contract.js';
import { indexRows, countByStatus } from '../../shared/view/rows.js';
import { visibleText } from '../../shared/format/visible-text.js';

/**
 * Active entries of one gateway at core time `coreNowMs`, on the gateway's own clock. (A view
 * is the same object while its gateway is quiet, so its `gatewayNowMs` may be old: the tray,
 * redrawn every few seconds, asks at the time it draws.)
 */
export function activeCount(view: GatewayView, coreNowMs = Date.now()): number {
  return countByStatus(indexRows(view.entries, view.self), coreNowMs + view.clockOffsetMs, view.statusThresholds).active;
}

export function totalActive(snapshot: ViewSnapshot, coreNowMs = Date.now()): number {
  return snapshot.gateways.reduce((n, g) => n + (g.connection.kind === 'connected' ? activeCount(g, coreNowMs) : 0), 0);
}

export function trayTooltip(snapshot: ViewSnapshot, coreNowMs = Date.now()): string {
  const connected = snapshot.gateways.filter((g) => g.connection.kind === 'connected').length;
  if (connected === 0) return 'Claw Instances — not connected';
  const n = totalActive(snapshot, coreNowMs);
  const of = snapshot.gateways.length > 1 ? ` on ${connected} of ${snapshot.gateways.length} gateways` : '';
  return `Claw Instances — ${n} active instance${n === 1 ? '' : 's'}${of}`;
}

/** One line per gateway for the tray's submenu: its name, then its count or its state. */
export function gatewayMenuLines(snapshot: ViewSnapshot, coreNowMs = Date.now()): { id: string; label: string }[] {
  return snapshot.gateways.map((g) => {
    const state = g.connection.kind === 'connected' ? `${activeCount(g, coreNowMs)} active` : g.connection.kind === 'failed' ? 'not connected' : g.connection.kind;
    // Menu labels show what a gateway sent (its name comes from settings, but keep control characters out all the same).
    return { id: g.id, label: visibleText(`${g.name} — ${state}`) };
  });
}
