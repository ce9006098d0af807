import { describe, expect, it } from 'vitest';
import type { KnownNode, ReceivedEntry, RememberedMachine } from '../../../shared/client/view-state.js';
import { DEFAULT_STATUS_THRESHOLDS } from '../../../shared/presence/status.js';
import {
  compareMachines,
  foldMachines,
  machineKey,
  machineStatus,
  nextStatusChangeAtMs,
  withTextFields,
  type Machine,
} from '../../../shared/view/machines.js';

const NOW = 2_000_000_000_000;
const T = DEFAULT_STATUS_THRESHOLDS;
const SELF = 'dev-self';
const e = (fields: Partial<ReceivedEntry>, ageMs = 0): ReceivedEntry => ({ text: '', ts: NOW - ageMs, ...fields });
const fold = (entries: ReceivedEntry[], extra: { nodes?: KnownNode[]; remembered?: RememberedMachine[] } = {}) =>
  foldMachines({ entries, selfDeviceId: SELF, ...extra });
const byKey = (machines: Machine[]) => new Map(machines.map((m) => [m.key, m]));
const status = (m: Machine | undefined, now = NOW) => machineStatus(m!, now, T);

describe('fold rule', () => {
  it('folds entries with the same deviceId, whatever the letter case and spaces', () => {
    const ms = fold([e({ deviceId: 'ABC', mode: 'ui', clientId: 'openclaw-control-ui' }), e({ deviceId: ' abc ', mode: 'ui', reason: 'disconnect' }, 5000)]);
    expect(ms).toHaveLength(1);
    expect(ms[0]!.key).toBe('d:abc');
    expect(ms[0]!.entries).toHaveLength(2);
  });

  it('folds entries with the same instanceId when they carry no deviceId', () => {
    const ms = fold([e({ instanceId: 'Inst-1', host: 'a' }), e({ instanceId: 'inst-1', host: 'a', mode: 'ui' }, 1000)]);
    expect(ms.map((m) => m.key)).toEqual(['i:inst-1']);
  });

  it('joins an instanceId-only entry to the device whose entries carry that instanceId', () => {
    // The real gateway keys a connect row by device and a beacon by instanceId: one machine.
    const ms = fold([e({ deviceId: 'd1', instanceId: 'i1', mode: 'ui' }), e({ instanceId: 'I1', host: 'mac', lastInputSeconds: 4 }, 2000)]);
    expect(ms).toHaveLength(1);
    expect(ms[0]!.key).toBe('d:d1');
    expect(ms[0]!.fields.host).toBe('mac');
  });

  it('keeps two devices apart even when both claim one instanceId, and the claimless entry stays on its own', () => {
    const ms = fold([e({ deviceId: 'd1', instanceId: 'x' }), e({ deviceId: 'd2', instanceId: 'x' }), e({ instanceId: 'x' })]);
    expect(ms.map((m) => m.key).sort()).toEqual(['d:d1', 'd:d2', 'i:x']);
  });

  it('folds entries with neither id by trimmed, case-insensitive host name', () => {
    const ms = fold([e({ host: 'Build-Box ' }), e({ host: 'build-box' }, 3000), e({ host: 'other' })]);
    expect(byKey(ms).get('h:build-box')!.entries).toHaveLength(2);
    expect(ms).toHaveLength(2);
  });

  it('does not fold a host-only entry into a device that has the same host name', () => {
    const ms = fold([e({ deviceId: 'd1', host: 'vm' }), e({ host: 'vm' })]);
    expect(ms).toHaveLength(2);
  });

  it('reads the documented beacon text for the fields a text-only entry lacks', () => {
    const entry = e({ text: 'Node: gc (10.0.0.7) · app 2026.9.6 · last input 42s ago · mode ui · reason periodic' });
    const filled = withTextFields(entry);
    expect(filled).toMatchObject({ host: 'gc', ip: '10.0.0.7', version: '2026.9.6', lastInputSeconds: 42, mode: 'ui', reason: 'periodic' });
    const [m] = fold([entry]);
    expect(m!.key).toBe('h:gc');
    expect(m!.fields.host).toBe('gc');
    expect(m!.fields.ip).toBe('10.0.0.7');
  });

  it('never lets the text override a field the entry has', () => {
    expect(withTextFields(e({ host: 'real', text: 'Node: fake (1.2.3.4)' }))).toMatchObject({ host: 'real', ip: '1.2.3.4' });
  });

  it('shows the freshest entry fields, filled from older entries', () => {
    const [m] = fold([e({ deviceId: 'd', version: '2', mode: 'ui' }, 1000), e({ deviceId: 'd', version: '1', host: 'old-name', ip: '10.1.1.1' }, 9000)]);
    expect(m!.fields).toMatchObject({ version: '2', host: 'old-name', ip: '10.1.1.1', mode: 'ui' });
    expect(m!.latestTs).toBe(NOW - 1000);
  });

  it('lists a machine\'s fields in one order (the details panel\'s), whichever entry each came from', () => {
    const [filled] = fold([e({ deviceId: 'd', version: '2', mode: 'ui' }, 1000), e({ deviceId: 'd', host: 'old-name', ip: '10.1.1.1' }, 9000)]);
    const [whole] = fold([e({ mode: 'ui', ip: '10.1.1.1', host: 'h', version: '2', deviceId: 'd' })]);
    expect(Object.keys(filled!.fields)).toEqual(['host', 'ip', 'version', 'mode', 'deviceId']);
    expect(Object.keys(whole!.fields)).toEqual(Object.keys(filled!.fields));
  });

  it('marks this device by our device id only, never by a claimed instanceId', () => {
    const ms = byKey(fold([e({ deviceId: 'DEV-SELF' }), e({ instanceId: 'my-instance', host: 'impostor' })]));
    expect(ms.get('d:dev-self')!.isSelf).toBe(true);
    expect(ms.get('i:my-instance')!.isSelf).toBe(false);
  });

  it('gives a stable key per level', () => {
    expect(machineKey({ deviceId: 'A', instanceId: 'b', host: 'c' })).toBe('d:a');
    expect(machineKey({ instanceId: 'B', host: 'c' })).toBe('i:b');
    expect(machineKey({ host: ' C ' })).toBe('h:c');
    expect(machineKey({})).toBeUndefined();
  });
});

describe('status', () => {
  it('says Disconnected, not Active, when the newest entry is a disconnect', () => {
    const [m] = fold([e({ deviceId: 'd', reason: 'disconnect' }, 40_000), e({ deviceId: 'd', reason: 'connect' }, 90_000)]);
    expect(status(m)).toEqual({ status: 'disconnected', sinceMs: NOW - 40_000 });
  });

  it('is Active, Idle, Stale by the newest entry age, at 120 s and 300 s', () => {
    const at = (ageMs: number) => status(fold([e({ deviceId: 'd' }, ageMs)])[0]).status;
    expect([at(0), at(120_000), at(120_001), at(300_000), at(300_001)]).toEqual(['active', 'active', 'idle', 'idle', 'stale']);
  });

  it('shows a paired node that is not listed as Offline, with when and why it was last seen', () => {
    const node: KnownNode = { nodeId: 'N1', displayName: 'vm', connected: false, paired: true, lastSeenAtMs: NOW - 3 * 3600_000, lastSeenReason: 'disconnect' };
    const [m] = fold([], { nodes: [node] });
    expect(m!.key).toBe('d:n1');
    expect(m!.fields.host).toBe('vm');
    expect(status(m)).toEqual({ status: 'offline', sinceMs: NOW - 3 * 3600_000, lastSeenReason: 'disconnect' });
  });

  it('turns a node Offline when the gateway says it disconnected, even while its presence row lingers', () => {
    const node: KnownNode = { nodeId: 'n1', connected: false, lastDisconnectedAtMs: NOW - 10_000, lastSeenAtMs: NOW - 10_000 };
    const [m] = fold([e({ deviceId: 'n1', mode: 'node', reason: 'connect' }, 60_000)], { nodes: [node] });
    expect(status(m).status).toBe('offline');
    // A connect after that disconnect wins: it came back.
    const [back] = fold([e({ deviceId: 'n1', mode: 'node', reason: 'connect' }, 1000)], { nodes: [node] });
    expect(status(back).status).toBe('active');
  });

  it('names the approval a node waits for', () => {
    const [m] = fold([e({ deviceId: 'n2', mode: 'node' })], { nodes: [{ nodeId: 'n2', approvalState: 'pending-approval', pendingRequestId: 'req-7', connected: true }] });
    expect(m!.approval).toEqual({ state: 'pending-approval', requestId: 'req-7' });
    expect(status(m).status).toBe('active');
  });

  it('shows a remembered machine that is no longer listed as Gone, and a listed one with its live status', () => {
    const remembered: RememberedMachine[] = [
      { key: 'd:gone', firstSeenAtMs: NOW - 86_400_000, lastSeenAtMs: NOW - 7200_000, entry: e({ deviceId: 'gone', host: 'old-box' }, 7200_000) },
      { key: 'd:here', firstSeenAtMs: NOW - 86_400_000, lastSeenAtMs: NOW - 1000, entry: e({ deviceId: 'here' }) },
    ];
    const ms = byKey(fold([e({ deviceId: 'here' })], { remembered }));
    expect(status(ms.get('d:gone'))).toEqual({ status: 'gone', sinceMs: NOW - 7200_000 });
    expect(ms.get('d:gone')!.fields.host).toBe('old-box');
    expect(status(ms.get('d:here')).status).toBe('active');
    expect(ms.size).toBe(2);
  });

  it('knows when a status will next change on its own', () => {
    const [m] = fold([e({ deviceId: 'd' }, 100_000)]);
    expect(nextStatusChangeAtMs(m!, NOW, T)).toBe(NOW - 100_000 + 120_001);
    expect(nextStatusChangeAtMs(m!, NOW + 30_000, T)).toBe(NOW - 100_000 + 300_001);
    expect(nextStatusChangeAtMs(m!, NOW + 300_000, T)).toBeUndefined();
  });
});

describe('default order', () => {
  it('puts the gateway, then this device, then Active → Idle → Stale → Disconnected → Offline → Gone, then by name', () => {
    const ms = fold(
      [
        e({ deviceId: 'b', host: 'bravo' }, 10_000),
        e({ deviceId: 'a', host: 'alpha' }, 200_000),
        e({ deviceId: 's', host: 'stale-box' }, 400_000),
        e({ deviceId: 'x', host: 'xray', reason: 'disconnect' }, 5000),
        e({ host: 'gw', mode: 'gateway', reason: 'self' }, 1000),
        e({ deviceId: SELF, host: 'me' }, 250_000),
        e({ deviceId: 'c', host: 'Charlie' }, 20_000),
      ],
      {
        nodes: [{ nodeId: 'off', displayName: 'offline-node', connected: false }],
        remembered: [{ key: 'd:old', firstSeenAtMs: 0, lastSeenAtMs: NOW - 1e7, entry: e({ deviceId: 'old', host: 'ancient' }) }],
      },
    );
    const withStatus = ms.map((m) => ({ m, s: status(m).status }));
    withStatus.sort((p, q) => compareMachines(p.m, p.s, q.m, q.s));
    expect(withStatus.map((p) => p.m.fields.host)).toEqual(['gw', 'me', 'bravo', 'Charlie', 'alpha', 'stale-box', 'xray', 'offline-node', 'ancient']);
  });
});
