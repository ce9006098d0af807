/**
 * Connection states a user can read, each with what to do about it: one banner
 * per gateway that needs attention (issue 14, item 2), named and coloured like
 * its chip, so a gateway that is down or waiting never hides the others' state.
 */
import type { ReactNode } from 'react';
import type { GatewayView, ViewSnapshot } from '../../shared/ipc/contract.js';
import type { UnreadEntries } from '../../shared/client/view-state.js';
import { GatewayChip } from './gateway-chip.js';

export interface BannersProps {
  readonly snapshot?: ViewSnapshot;
  readonly hostReachable: boolean;
  /** The core's time now (countdowns are timed by the core). */
  readonly coreNowMs: number;
  readonly onOpenSettings: () => void;
  readonly onRetry: () => void;
}

export function ConnectionBanners({ snapshot, hostReachable, coreNowMs, onOpenSettings, onRetry }: BannersProps) {
  if (!hostReachable) {
    return (
      <div className="banner banner-error" role="alert">
        <strong>Lost contact with the Claw Instances host.</strong> Showing the last known list. Is <code>npm run serve</code> still running?
      </div>
    );
  }
  if (!snapshot) return null;
  if (snapshot.gateways.length === 0) {
    return (
      <div className="banner banner-warn" role="status" data-state="no-gateways">
        <strong>No gateway to watch.</strong> The built-in gateway is turned off and none is configured.{' '}
        <button type="button" onClick={onOpenSettings}>Open Settings</button>
      </div>
    );
  }
  const named = snapshot.gateways.length > 1;
  return (
    <>
      {snapshot.gateways.map((g) => (
        <GatewayBanner key={g.id} view={g} named={named} coreNowMs={coreNowMs} onOpenSettings={onOpenSettings} onRetry={onRetry} />
      ))}
    </>
  );
}

interface GatewayBannerProps {
  readonly view: GatewayView;
  /** Several gateways: say which one. */
  readonly named: boolean;
  readonly coreNowMs: number;
  readonly onOpenSettings: () => void;
  readonly onRetry: () => void;
}

function GatewayBanner({ view, named, coreNowMs, onOpenSettings, onRetry }: GatewayBannerProps) {
  const c = view.connection;
  const who = named ? <GatewayChip gateway={view} /> : null;
  switch (c.kind) {
    case 'failed':
      return (
        <div className="banner banner-error" role="alert" data-state="failed" data-gateway={view.id}>
          {who}
          <strong>
            Can't connect: <span className="sensitive">{c.reason}</span>
          </strong>{' '}
          {c.action}{' '}
          <button type="button" onClick={onOpenSettings}>Open Settings</button> <button type="button" onClick={onRetry}>Try again</button>
        </div>
      );
    case 'reconnecting': {
      const seconds = Math.max(0, Math.ceil((c.retryAtMs - coreNowMs) / 1000));
      return (
        <div className="banner banner-warn" role="status" data-state="reconnecting" data-gateway={view.id}>
          {who}
          <strong>
            <Ticking shown={`Reconnecting in ${seconds} s`} spoken="Reconnecting soon" />
          </strong>{' '}
          — <span className="sensitive">{c.lastError}</span>{' '}
          <button type="button" onClick={onRetry}>Retry now</button>
        </div>
      );
    }
    case 'connecting':
      // A retry under way: the gateway is still down as far as anyone knows, so the banner stays
      // rather than blinking out for each attempt.
      if (c.lastError === undefined) return null;
      return (
        <div className="banner banner-warn" role="status" data-state="reconnecting" data-gateway={view.id}>
          {who}
          <strong>Reconnecting now…</strong> — <span className="sensitive">{c.lastError}</span>
        </div>
      );
    case 'connected':
      if (view.missingScope) {
        return (
          <div className="banner banner-warn" role="alert" data-state="missing-scope" data-gateway={view.id}>
            {who}
            <strong>This connection lacks {view.missingScope}</strong>, so the gateway won't share its list. Use the gateway's token (or approve
            this device: <code>openclaw devices list</code>, then <code>openclaw devices approve &lt;request id&gt;</code>) so it is granted <code>{view.missingScope}</code>.{' '}
            <button type="button" onClick={onOpenSettings}>Open Settings</button>
          </div>
        );
      }
      if (view.unreadEntries) return <UnreadEntriesBanner unread={view.unreadEntries} who={who} gatewayId={view.id} />;
      return null;
    default:
      return null;
  }
}

/** Entries of the last list the core could not read: left out of the list, so the user is told rather than left to miss them. */
function UnreadEntriesBanner({ unread, who, gatewayId }: { readonly unread: UnreadEntries; readonly who: ReactNode; readonly gatewayId: string }) {
  const { count, problem, keptLastList } = unread;
  return (
    <div className="banner banner-warn" role="status" data-state="unread-entries" data-gateway={gatewayId}>
      {who}
      <strong>
        {count === 1 ? "1 entry in the gateway's list couldn't be read" : `${count} entries in the gateway's list couldn't be read`}
      </strong>
      {keptLastList ? ', and nothing else was in it: the list shown is the last one that could be read.' : count === 1 ? ' and is left out.' : ' and are left out.'}{' '}
      {count === 1 ? 'What was wrong: ' : 'What was wrong with the first: '}
      <span className="sensitive">{problem}</span>
    </div>
  );
}

type Tone = 'ok' | 'busy' | 'warn' | 'error';

/**
 * Text that changes every second (a countdown) inside a live region: shown as
 * is, but read out as `spoken`, which stays put, so a screen reader hears the
 * state once instead of a number every second.
 */
export function Ticking({ shown, spoken }: { readonly shown: string; readonly spoken: string }) {
  return (
    <>
      <span aria-hidden="true">{shown}</span>
      <span className="visually-hidden">{spoken}</span>
    </>
  );
}

/** One gateway's state in a few words. */
export function gatewayLabel(view: GatewayView, coreNowMs: number): { text: string; tone: Tone; spoken?: string } {
  const c = view.connection;
  switch (c.kind) {
    case 'idle':
      return { text: 'Starting…', tone: 'busy' };
    case 'connecting':
      return { text: c.attempt > 1 ? `Connecting (attempt ${c.attempt})…` : 'Connecting…', tone: 'busy' };
    case 'connected':
      return { text: view.gateway.kind === 'embedded' ? 'Connected · built-in gateway' : 'Connected', tone: view.missingScope ? 'warn' : 'ok' };
    case 'reconnecting':
      return { text: `Reconnecting in ${Math.max(0, Math.ceil((c.retryAtMs - coreNowMs) / 1000))} s`, tone: 'warn', spoken: 'Reconnecting soon' };
    case 'failed':
      return { text: 'Not connected', tone: 'error' };
  }
}

/** The toolbar's pill: one gateway's label, or how many of several are connected. */
export function connectionLabel(snapshot: ViewSnapshot | undefined, coreNowMs: number): { text: string; tone: Tone; spoken?: string } {
  if (!snapshot) return { text: 'Starting…', tone: 'busy' };
  const gateways = snapshot.gateways;
  if (gateways.length === 0) return { text: 'No gateway', tone: 'warn' };
  if (gateways.length === 1) return gatewayLabel(gateways[0]!, coreNowMs);
  const connected = gateways.filter((g) => g.connection.kind === 'connected').length;
  const starting = gateways.every((g) => g.connection.kind === 'idle' || g.connection.kind === 'connecting');
  if (starting) return { text: 'Connecting…', tone: 'busy' };
  const scopeProblem = gateways.some((g) => g.connection.kind === 'connected' && g.missingScope);
  const tone: Tone = connected === gateways.length ? (scopeProblem ? 'warn' : 'ok') : connected === 0 ? 'error' : 'warn';
  return { text: `${connected} of ${gateways.length} gateways connected`, tone };
}
