import { createContext, useContext, useSyncExternalStore } from 'react';
import type { InstancesApi } from '../shared/ipc/bridge.js';
import type { Store, StoreState } from './store.js';

export interface AppContextValue {
  readonly store: Store;
  readonly api: InstancesApi;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('AppContext missing');
  return value;
}

export function useStoreState(): StoreState {
  const { store } = useApp();
  return useSyncExternalStore(store.subscribe, store.getState);
}
