/**
 * The one object the renderer sees, built from the bridge table: a function per
 * call, plus the snapshot stream. No channel strings, no ipcRenderer, no event
 * objects cross. Snapshot messages cross as they come (small deltas); the page
 * decodes them. Arguments are checked where they arrive, in main.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { BRIDGE, BRIDGE_GLOBAL, SNAPSHOT_CHANNEL, bridgeCalls, type HostBridge } from '../shared/ipc/bridge.js';
import type { SnapshotMessage } from '../shared/ipc/snapshot-stream.js';

const bridge: HostBridge = {
  ...bridgeCalls((name, arg) => ipcRenderer.invoke(BRIDGE[name].channel, arg)),
  onSnapshotMessage(listener) {
    const wrapped = (_event: IpcRendererEvent, message: SnapshotMessage) => listener(message);
    ipcRenderer.on(SNAPSHOT_CHANNEL, wrapped);
    return () => {
      ipcRenderer.removeListener(SNAPSHOT_CHANNEL, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
