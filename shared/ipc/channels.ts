/**
 * IPC channel names (`domain:verb`), declared only here. Kept free of imports
 * so the sandboxed preload can bundle it without pulling in anything else.
 */
export const IPC = {
  getSnapshot: 'presence:snapshot',
  changed: 'presence:changed',
  refresh: 'presence:refresh',
  getSettings: 'settings:get',
  saveSettings: 'settings:save',
  getMachineHistory: 'history:get',
  forgetMachine: 'history:forget',
} as const;
export type IpcChannel = (typeof IPC)[keyof typeof IPC];

/** The origin the app's own pages are served from (a custom protocol, not file://, so origin checks are exact). */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = 'app://instances';
