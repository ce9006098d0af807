import { createContext, startTransition, useContext, useEffect, useState } from 'react';
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

/**
 * The store's state, each change rendered as a transition: React renders it in
 * slices that yield to the browser between them, so a large list's update does not
 * hold the main thread for one long task (input and frames go first), and a newer
 * state that comes meanwhile is rendered after it, not instead of it.
 */
export function useStoreState(): StoreState {
  const { store } = useApp();
  const [state, setState] = useState(store.getState);
  useEffect(() => {
    // A change between the first render and this subscription would otherwise wait for the next one.
    // eslint-disable-next-line react-hooks/set-state-in-effect -- a no-op (same object) unless the store moved on meanwhile
    setState(store.getState());
    return store.subscribe(() => startTransition(() => setState(store.getState())));
  }, [store]);
  return state;
}
