/** The hub's pure rules: protocol negotiation, scope implication, device payloads, node.list entries. */
import { describe, expect, it } from 'vitest';
import { generateDeviceKeyPair, signPayload } from '../../../main/device/ed25519.js';
import { negotiateProtocol, verifyDeviceSignature } from '../../../main/hub/connect-auth.js';
import { compareNodes, nodeListEntry, type RememberedNode } from '../../../main/hub/node-registry.js';
import { scopeSatisfied } from '../../../shared/protocol/constants.js';
import { buildDevicePayloadV2, buildDevicePayloadV3 } from '../../../shared/protocol/device-payload.js';

const client = (mode: string) => ({ id: 'node-host' as const, version: '1', platform: 'linux', mode: mode as 'node' });

describe('negotiateProtocol (the real gateway 2026.9.6 rule)', () => {
  it('admits 4 from anyone, 3 only from a node host or a probe', () => {
    expect(negotiateProtocol({ minProtocol: 4, maxProtocol: 4, role: 'operator', client: client('ui') })).toEqual({ ok: true, legacyNode: false });
    expect(negotiateProtocol({ minProtocol: 3, maxProtocol: 3, role: 'operator', client: client('ui') }).ok).toBe(false);
    expect(negotiateProtocol({ minProtocol: 3, maxProtocol: 3, role: 'node', client: client('node') })).toEqual({ ok: true, legacyNode: true });
    expect(negotiateProtocol({ minProtocol: 3, maxProtocol: 4, role: 'node', client: client('node') })).toEqual({ ok: true, legacyNode: false });
    expect(negotiateProtocol({ minProtocol: 3, maxProtocol: 3, role: 'node', client: client('ui') }).ok).toBe(false);
    expect(negotiateProtocol({ minProtocol: 3, maxProtocol: 3, role: 'operator', client: client('probe') }).ok).toBe(true);
    expect(negotiateProtocol({ minProtocol: 5, maxProtocol: 6, role: 'node', client: client('node') }).ok).toBe(false);
  });
});

describe('scopeSatisfied', () => {
  it('lets admin cover every operator scope and write cover read, nothing else', () => {
    expect(scopeSatisfied('operator.read', ['operator.admin'])).toBe(true);
    expect(scopeSatisfied('operator.write', ['operator.admin'])).toBe(true);
    expect(scopeSatisfied('operator.read', ['operator.write'])).toBe(true);
    expect(scopeSatisfied('operator.write', ['operator.read'])).toBe(false);
    expect(scopeSatisfied('operator.admin', ['operator.write', 'operator.read'])).toBe(false);
    expect(scopeSatisfied('node', ['operator.admin'])).toBe(false);
  });
});

describe('device payloads', () => {
  const fields = { deviceId: 'dev', clientId: 'openclaw-control-ui', clientMode: 'webchat', role: 'operator', scopes: ['operator.admin', 'operator.read'], signedAtMs: 1700, token: 'T', nonce: 'n', platform: ' Linux x86_64 ', deviceFamily: 'Desktop' };
  it('writes v2 and v3 as the real gateway', () => {
    expect(buildDevicePayloadV2(fields)).toBe('v2|dev|openclaw-control-ui|webchat|operator|operator.admin,operator.read|1700|T|n');
    expect(buildDevicePayloadV3(fields)).toBe('v3|dev|openclaw-control-ui|webchat|operator|operator.admin,operator.read|1700|T|n|linux x86_64|desktop');
  });
  it('verifies v3 first, then v2, and neither for another nonce', () => {
    const key = generateDeviceKeyPair();
    const f = { ...fields, deviceId: key.deviceId };
    expect(verifyDeviceSignature(key.publicKey, signPayload(key.privateKeyPem, buildDevicePayloadV3(f)), f)).toBe('v3');
    expect(verifyDeviceSignature(key.publicKey, signPayload(key.privateKeyPem, buildDevicePayloadV2(f)), f)).toBe('v2');
    expect(verifyDeviceSignature(key.publicKey, signPayload(key.privateKeyPem, buildDevicePayloadV2(f)), { ...f, nonce: 'other' })).toBeUndefined();
  });
});

describe('node.list entries', () => {
  const node: RememberedNode = {
    nodeId: 'n1',
    displayName: 'vm',
    platform: 'linux',
    version: '2026.9.6',
    clientId: 'node-host',
    clientMode: 'node',
    caps: ['system'],
    commands: ['system.run'],
    pairedAtMs: 1,
    lastConnectedAtMs: 10,
    lastDisconnectedAtMs: 20,
    lastSeenAtMs: 20,
    lastSeenReason: 'disconnect',
    lastHostStats: { cpuCount: 2, memoryTotalBytes: 10, memoryFreeBytes: 5, updatedAtMs: 15 },
  };
  it('shows an offline node with when it was last seen and its last host stats, and no approved surface', () => {
    expect(nodeListEntry(node, undefined)).toEqual({
      nodeId: 'n1', displayName: 'vm', platform: 'linux', version: '2026.9.6', clientId: 'node-host', clientMode: 'node',
      caps: [], commands: [], sessionHost: false, hostStats: node.lastHostStats, approvalState: 'unapproved',
      lastConnectedAtMs: 10, lastDisconnectedAtMs: 20, lastSeenAtMs: 20, lastSeenReason: 'disconnect', paired: true, connected: false,
    });
  });
  it('shows a live node as connected, without a last disconnect, with its live stats', () => {
    const live = { connIds: new Set(['c']), connectedAtMs: 30, hostStats: { cpuCount: 4, memoryTotalBytes: 8, memoryFreeBytes: 1, updatedAtMs: 31 }, pathEnv: '/bin' };
    const entry = nodeListEntry({ ...node, lastConnectedAtMs: 30, lastSeenAtMs: 30, lastSeenReason: 'connect' }, live);
    expect(entry).toMatchObject({ connected: true, connectedAtMs: 30, hostStats: live.hostStats, pathEnv: '/bin' });
    expect(entry).not.toHaveProperty('lastDisconnectedAtMs');
  });
  it('orders connected first, then by name, then id', () => {
    const a = nodeListEntry({ ...node, nodeId: 'a', displayName: 'Zed' }, { connIds: new Set(['x']), connectedAtMs: 1 });
    const b = nodeListEntry({ ...node, nodeId: 'b', displayName: 'alpha' }, undefined);
    const c = nodeListEntry({ ...node, nodeId: 'c', displayName: 'Beta' }, undefined);
    expect([c, b, a].sort(compareNodes).map((n) => n.nodeId)).toEqual(['a', 'b', 'c']);
  });
});
