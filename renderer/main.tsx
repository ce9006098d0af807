import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { AppContext } from './hooks.js';
import { resolveBridge } from './bridge.js';
import { createStore } from './store.js';
import './styles.css';

const store = createStore();
const api = resolveBridge((up) => store.setHostReachable(up));
store.attach(api);

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <AppContext.Provider value={{ store, api }}>
        <App />
      </AppContext.Provider>
    </StrictMode>,
  );
}
