/**
 * The IPC side of the bridge: one handler per contract channel, each checking
 * its sender first. Raw `ipcMain` is used nowhere else.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { IPC } from '../../shared/ipc/channels.js';
import type { ViewSnapshot } from '../../shared/ipc/contract.js';
import type { InstancesService } from '../core/instances-service.js';
import { isTrustedSender, type SenderInfo } from './security-policy.js';

export function senderInfo(event: IpcMainInvokeEvent): SenderInfo {
  const frame = event.senderFrame;
  return { senderId: event.sender.id, frame: frame ? { url: frame.url, isMainFrame: frame.parent === null } : null };
}

export function registerIpc(service: InstancesService, trustedIds: ReadonlySet<number>, log: (line: string) => void): () => void {
  const guard =
    <T>(channel: string, handler: (arg: unknown) => T | Promise<T>) =>
    (event: IpcMainInvokeEvent, arg: unknown): T | Promise<T> => {
      if (!isTrustedSender(senderInfo(event), trustedIds)) {
        log(`refused ${channel} from an untrusted sender (${event.senderFrame?.url ?? 'no frame'})`);
        throw new Error('untrusted sender');
      }
      return handler(arg);
    };
  ipcMain.handle(IPC.getSnapshot, guard(IPC.getSnapshot, () => service.snapshot()));
  ipcMain.handle(IPC.refresh, guard(IPC.refresh, () => service.refresh()));
  ipcMain.handle(IPC.getSettings, guard(IPC.getSettings, () => service.getSettings()));
  ipcMain.handle(IPC.saveSettings, guard(IPC.saveSettings, (arg) => service.saveSettings(arg)));
  return () => {
    for (const channel of [IPC.getSnapshot, IPC.refresh, IPC.getSettings, IPC.saveSettings]) ipcMain.removeHandler(channel);
  };
}

/** Pushes every snapshot to the window; only plain data crosses. */
export function forwardSnapshots(service: InstancesService, contents: WebContents): () => void {
  return service.subscribe((snapshot: ViewSnapshot) => {
    if (!contents.isDestroyed()) contents.send(IPC.changed, snapshot);
  });
}
