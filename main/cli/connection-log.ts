/**
 * The log line for a gateway connection's change of state, so a headless beacon
 * says when a gateway is down and when it will try again. Pure; the client logs
 * "connected to …" and "not retrying …: reason" itself, so this adds only what
 * it doesn't: each retry, and what to do about a refusal.
 */
import type { ConnectionState } from '../../shared/client/view-state.js';

export function describeTransition(prev: ConnectionState | undefined, next: ConnectionState, nowMs: number): string | undefined {
  switch (next.kind) {
    case 'reconnecting': {
      // One line per attempt: the state is re-emitted with the same attempt for other reasons (a beacon report, a list).
      if (prev?.kind === 'reconnecting' && prev.attempt === next.attempt) return undefined;
      return `reconnecting in ${seconds(next.retryAtMs - nowMs)} s (attempt ${next.attempt} failed: ${next.lastError})`;
    }
    case 'failed':
      return prev?.kind === 'failed' ? undefined : next.action;
    case 'idle':
    case 'connecting':
    case 'connected':
      return undefined;
    default: {
      const never: never = next;
      return never;
    }
  }
}

/** Tenths under 10 s, where the first retries are (0.4 s reads better than 0 s), whole seconds above. */
function seconds(ms: number): string {
  const tenths = Math.round(Math.max(0, ms) / 100);
  return tenths < 100 ? (tenths / 10).toFixed(1) : String(Math.round(tenths / 10));
}
