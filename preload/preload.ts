/**
 * The one object the renderer sees: named, typed functions over the IPC
 * contract. No channel strings, no ipcRenderer, no event objects cross.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC } from '../shared/ipc/channels.js';
import type { InstancesApi, ViewSnapshot } from '../shared/ipc/contract.js';
import { SnapshotDecoder, type SnapshotMessage } from '../shared/ipc/snapshot-stream.js';

// Main sends the list once, then only what changed; the page only ever sees whole snapshots.
const decoder = new SnapshotDecoder();
const getSnapshot = async (): Promise<ViewSnapshot> => {
  const snapshot = (await ipcRenderer.invoke(IPC.getSnapshot)) as ViewSnapshot;
  return decoder.decode({ kind: 'full', snapshot }) ?? snapshot;
};

const api: InstancesApi = {
  getSnapshot,
  onSnapshot(listener) {
    const wrapped = (_event: IpcRendererEvent, message: SnapshotMessage) => {
      const snapshot = decoder.decode(message);
      if (snapshot) listener(snapshot);
      else void getSnapshot().then(listener, () => {});
    };
    ipcRenderer.on(IPC.changed, wrapped);
    return () => {
      ipcRenderer.removeListener(IPC.changed, wrapped);
    };
  },
  refresh: () => ipcRenderer.invoke(IPC.refresh),
  getSettings: () => ipcRenderer.invoke(IPC.getSettings),
  saveSettings: (update) => ipcRenderer.invoke(IPC.saveSettings, update),
};

contextBridge.exposeInMainWorld('clawInstances', api);
