/**
 * The one object the renderer sees: named, typed functions over the IPC
 * contract. No channel strings, no ipcRenderer, no event objects cross.
 * Snapshot messages cross as they come (small deltas); the page decodes them.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC } from '../shared/ipc/channels.js';
import type { HostBridge } from '../shared/ipc/contract.js';
import type { SnapshotMessage } from '../shared/ipc/snapshot-stream.js';

const bridge: HostBridge = {
  getSnapshot: () => ipcRenderer.invoke(IPC.getSnapshot),
  onSnapshotMessage(listener) {
    const wrapped = (_event: IpcRendererEvent, message: SnapshotMessage) => listener(message);
    ipcRenderer.on(IPC.changed, wrapped);
    return () => {
      ipcRenderer.removeListener(IPC.changed, wrapped);
    };
  },
  refresh: () => ipcRenderer.invoke(IPC.refresh),
  getSettings: () => ipcRenderer.invoke(IPC.getSettings),
  saveSettings: (update) => ipcRenderer.invoke(IPC.saveSettings, update),
  getMachineHistory: (key) => ipcRenderer.invoke(IPC.getMachineHistory, key),
  forgetMachine: (key) => ipcRenderer.invoke(IPC.forgetMachine, key),
};

contextBridge.exposeInMainWorld('clawInstances', bridge);
