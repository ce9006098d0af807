/**
 * The IPC side of the bridge: one handler per contract channel, each checking
 * its sender first. Raw `ipcMain` is used nowhere else.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { IPC } from '../../shared/ipc/channels.js';
import { redactUrl } from '../../shared/format/redact-url.js';
import type { ViewSnapshot } from '../../shared/ipc/contract.js';
import { SnapshotEncoder } from '../../shared/ipc/snapshot-stream.js';
import type { InstancesService } from '../core/instances-service.js';
import { isTrustedSender, type SenderInfo } from './security-policy.js';

export function senderInfo(event: IpcMainInvokeEvent): SenderInfo {
  const frame = event.senderFrame;
  return { senderId: event.sender.id, frame: frame ? { url: frame.url, isMainFrame: frame.parent === null } : null };
}

/** One encoder per window: each gets the list once, then only what changed. */
export type SnapshotEncoders = Map<number, SnapshotEncoder>;

export function registerIpc(service: InstancesService, trustedIds: ReadonlySet<number>, log: (line: string) => void, encoders: SnapshotEncoders = new Map()): () => void {
  const guard =
    <T>(channel: string, handler: (arg: unknown, senderId: number) => T | Promise<T>) =>
    (event: IpcMainInvokeEvent, arg: unknown): T | Promise<T> => {
      if (!isTrustedSender(senderInfo(event), trustedIds)) {
        log(`refused ${channel} from an untrusted sender (${event.senderFrame ? redactUrl(event.senderFrame.url) : 'no frame'})`);
        throw new Error('untrusted sender');
      }
      return handler(arg, event.sender.id);
    };
  ipcMain.handle(
    IPC.getSnapshot,
    guard(IPC.getSnapshot, (_arg, senderId) => {
      // The window now has the whole list; stream changes against it from here.
      encoders.get(senderId)?.reset();
      return service.snapshot();
    }),
  );
  ipcMain.handle(IPC.refresh, guard(IPC.refresh, () => service.refresh()));
  ipcMain.handle(IPC.getSettings, guard(IPC.getSettings, () => service.getSettings()));
  ipcMain.handle(IPC.saveSettings, guard(IPC.saveSettings, (arg) => service.saveSettings(arg)));
  ipcMain.handle(IPC.getMachineHistory, guard(IPC.getMachineHistory, (arg) => service.getMachineHistory(arg)));
  ipcMain.handle(IPC.forgetMachine, guard(IPC.forgetMachine, (arg) => service.forgetMachine(arg)));
  return () => {
    for (const channel of [IPC.getSnapshot, IPC.refresh, IPC.getSettings, IPC.saveSettings, IPC.getMachineHistory, IPC.forgetMachine]) ipcMain.removeHandler(channel);
  };
}

/** Pushes every change to the window as a snapshot message; only plain data crosses. */
export function forwardSnapshots(service: InstancesService, contents: WebContents, encoders: SnapshotEncoders): () => void {
  const encoder = new SnapshotEncoder();
  const id = contents.id;
  encoders.set(id, encoder);
  const unsubscribe = service.subscribe((snapshot: ViewSnapshot) => {
    for (const message of encoder.encode(snapshot)) {
      if (!contents.isDestroyed()) contents.send(IPC.changed, message);
    }
  });
  return () => {
    unsubscribe();
    encoders.delete(id);
  };
}
