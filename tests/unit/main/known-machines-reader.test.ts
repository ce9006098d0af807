/** The known-machines reader's rules: which errors mean "not here", and what a new connection keeps. */
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../main/client/connection.js';
import { KnownMachinesReader, unavailableNote } from '../../../main/client/known-machines-reader.js';
import type { KnownMachines } from '../../../shared/client/view-state.js';

describe('known machines reader', () => {
  it('maps a missing method and a missing scope to one line each, and nothing else', () => {
    expect(unavailableNote('node.list', new GatewayError('unknown method: node.list', 'INVALID_REQUEST'))).toBe('node.list not available on this gateway');
    expect(unavailableNote('node.list', new GatewayError('missing scope: operator.read', 'FORBIDDEN', 'MISSING_SCOPE'))).toBe('this connection lacks operator.read for node.list');
    expect(unavailableNote('system.info', new GatewayError('system.info timed out', 'TIMEOUT'))).toBeUndefined();
    expect(unavailableNote('system.info', new GatewayError('not connected', 'CLOSED'))).toBeUndefined();
    expect(unavailableNote('system.info', new Error('unknown method: system.info'))).toBeUndefined();
  });

  it('a new connection without the scope drops what an earlier one read, and says why', () => {
    const seen: KnownMachines[] = [];
    const previous: KnownMachines = { nodes: [{ nodeId: 'n' }], gatewayHostStats: { cpuCount: 2 }, readAtMs: 1 };
    const asked: string[] = [];
    const reader = new KnownMachinesReader({
      request: async (m) => {
        asked.push(m);
        return {};
      },
      scopes: new Set(),
      previous,
      onChange: (k) => seen.push(k),
      clock: () => 10,
      gatewayNow: () => 10,
    });
    reader.request();
    reader.stop();
    expect(asked).toEqual([]);
    expect(seen).toEqual([{ note: 'this connection lacks operator.read for node.list; this connection lacks operator.read for system.info', readAtMs: 10 }]);
  });
});
