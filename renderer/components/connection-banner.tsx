import type { ViewSnapshot } from '../../shared/ipc/contract.js';

export interface BannerProps {
  readonly snapshot?: ViewSnapshot;
  readonly hostReachable: boolean;
  readonly hostNowMs: number;
  readonly onOpenSettings: () => void;
  readonly onRetry: () => void;
}

/** The connection states a user can read, each with what to do about it. */
export function ConnectionBanner({ snapshot, hostReachable, hostNowMs, onOpenSettings, onRetry }: BannerProps) {
  if (!hostReachable) {
    return (
      <div className="banner banner-error" role="alert">
        <strong>Lost contact with the Claw Instances host.</strong> Showing the last known list. Is <code>npm run serve</code> still running?
      </div>
    );
  }
  if (!snapshot) return null;
  const c = snapshot.connection;
  switch (c.kind) {
    case 'failed':
      return (
        <div className="banner banner-error" role="alert" data-state="failed">
          <strong>Can't connect: {c.reason}</strong> {c.action}{' '}
          <button type="button" onClick={onOpenSettings}>Open Settings</button> <button type="button" onClick={onRetry}>Try again</button>
        </div>
      );
    case 'reconnecting': {
      const seconds = Math.max(0, Math.ceil((c.retryAtMs - hostNowMs) / 1000));
      return (
        <div className="banner banner-warn" role="status" data-state="reconnecting">
          <strong>Reconnecting in {seconds} s</strong> — {c.lastError}{' '}
          <button type="button" onClick={onRetry}>Retry now</button>
        </div>
      );
    }
    case 'connected':
      if (snapshot.missingScope) {
        return (
          <div className="banner banner-warn" role="alert" data-state="missing-scope">
            <strong>This connection lacks {snapshot.missingScope}</strong>, so the gateway won't share its list. Use the gateway's token (or approve
            this device: <code>openclaw devices list</code>, then <code>openclaw devices approve &lt;request id&gt;</code>) so it is granted <code>{snapshot.missingScope}</code>.{' '}
            <button type="button" onClick={onOpenSettings}>Open Settings</button>
          </div>
        );
      }
      return null;
    default:
      return null;
  }
}

export function connectionLabel(snapshot: ViewSnapshot | undefined, hostNowMs: number): { text: string; tone: 'ok' | 'busy' | 'warn' | 'error' } {
  const c = snapshot?.connection;
  if (!c || c.kind === 'idle') return { text: 'Starting…', tone: 'busy' };
  switch (c.kind) {
    case 'connecting':
      return { text: c.attempt > 1 ? `Connecting (attempt ${c.attempt})…` : 'Connecting…', tone: 'busy' };
    case 'connected':
      return { text: snapshot?.gateway.kind === 'embedded' ? 'Connected · built-in gateway' : 'Connected', tone: snapshot?.missingScope ? 'warn' : 'ok' };
    case 'reconnecting':
      return { text: `Reconnecting in ${Math.max(0, Math.ceil((c.retryAtMs - hostNowMs) / 1000))} s`, tone: 'warn' };
    case 'failed':
      return { text: 'Not connected', tone: 'error' };
  }
}
