/**
 * The IPC side of the bridge: one handler per row of the bridge table, each
 * checking its sender first, then the argument (`answerCall`). Raw `ipcMain`
 * is used nowhere else.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { redactUrl } from '../../shared/format/redact-url.js';
import { BRIDGE, BRIDGE_NAMES, SNAPSHOT_CHANNEL, type BridgeName } from '../../shared/ipc/bridge.js';
import type { ViewSnapshot } from '../../shared/ipc/contract.js';
import { SnapshotEncoder, WINDOW_PUSH_INTERVAL_MS, type SnapshotMessage } from '../../shared/ipc/snapshot-stream.js';
import { paced, type PacedTimers } from '../../shared/events/paced.js';
import { nodeTimers } from '../system/timers.js';
import type { InstancesService } from '../core/instances-service.js';
import { answerCall, coreHandlers, streamCaller, type BridgeCore } from '../page/bridge-handlers.js';
import { isTrustedSender, type SenderInfo } from './security-policy.js';

export function senderInfo(event: IpcMainInvokeEvent): SenderInfo {
  const frame = event.senderFrame;
  return { senderId: event.sender.id, frame: frame ? { url: frame.url, isMainFrame: frame.parent === null } : null };
}

/** One encoder per window: each gets the list once, then only what changed. */
export type SnapshotEncoders = Map<number, SnapshotEncoder>;

export function registerIpc(service: BridgeCore, trustedIds: ReadonlySet<number>, log: (line: string) => void, encoders: SnapshotEncoders = new Map()): () => void {
  const handlers = coreHandlers(service);
  const handle = (name: BridgeName) => {
    const { channel } = BRIDGE[name];
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, arg: unknown) => {
      // Thrown before anything runs, so an untrusted frame learns nothing but the refusal.
      if (!isTrustedSender(senderInfo(event), trustedIds)) {
        log(`refused ${channel} from an untrusted sender (${event.senderFrame ? redactUrl(event.senderFrame.url) : 'no frame'})`);
        throw new Error('untrusted sender');
      }
      const sender = event.sender;
      const deliver = (message: SnapshotMessage) => {
        if (!sender.isDestroyed()) sender.send(SNAPSHOT_CHANNEL, message);
      };
      return answerCall(handlers, name, arg, streamCaller(encoders.get(sender.id), deliver));
    });
  };
  for (const name of BRIDGE_NAMES) handle(name);
  return () => {
    for (const name of BRIDGE_NAMES) ipcMain.removeHandler(BRIDGE[name].channel);
  };
}

/** Pushes every change to the window as a snapshot message; only plain data crosses. */
export function forwardSnapshots(service: Pick<InstancesService, 'subscribe'>, contents: WebContents, encoders: SnapshotEncoders, timers: PacedTimers = nodeTimers): () => void {
  const encoder = new SnapshotEncoder();
  const id = contents.id;
  encoders.set(id, encoder);
  // At most one push per frame (WINDOW_PUSH_INTERVAL_MS); the newest snapshot carries every change.
  const pushes = paced((snapshot: ViewSnapshot) => {
    for (const message of encoder.encode(snapshot)) {
      if (!contents.isDestroyed()) contents.send(SNAPSHOT_CHANNEL, message);
    }
  }, WINDOW_PUSH_INTERVAL_MS, timers);
  const unsubscribe = service.subscribe((snapshot: ViewSnapshot) => pushes.push(snapshot));
  return () => {
    unsubscribe();
    pushes.cancel();
    encoders.delete(id);
  };
}
