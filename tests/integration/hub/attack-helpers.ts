/** Shared bits of the attack tests (issue 12): waiting for our real client's connection state. */
import type { ConnectionState } from '../../../shared/client/view-state.js';
import type { PresenceClient } from '../../../main/client/presence-client.js';
import { waitForSnapshot } from '../../helpers/test-client.js';

/** Resolves with the first connection state (current or future) that matches. */
export async function waitForState(client: PresenceClient, match: (s: ConnectionState) => boolean, timeoutMs = 15_000): Promise<ConnectionState> {
  return (await waitForSnapshot(client, (s) => match(s.connection), timeoutMs, 'connection state')).connection;
}
