/**
 * The one object the renderer sees: named, typed functions over the IPC
 * contract. No channel strings, no ipcRenderer, no event objects cross.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC } from '../shared/ipc/channels.js';
import type { InstancesApi, ViewSnapshot } from '../shared/ipc/contract.js';

const api: InstancesApi = {
  getSnapshot: () => ipcRenderer.invoke(IPC.getSnapshot),
  onSnapshot(listener) {
    const wrapped = (_event: IpcRendererEvent, snapshot: ViewSnapshot) => listener(snapshot);
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
