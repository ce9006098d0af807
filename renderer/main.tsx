import { StrictMode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { App } from './app.js';
import { AppContext } from './hooks.js';
import { establishBrowserSession, resolveBridge } from './bridge.js';
import { ErrorBoundary } from './components/error-boundary.js';
import { NeedsLink } from './components/needs-link.js';
import { createStore } from './store.js';
import './styles.css';

function showNeedsLink(root: Root): void {
  root.render(
    <StrictMode>
      <NeedsLink />
    </StrictMode>,
  );
}

async function boot(element: HTMLElement): Promise<void> {
  const root = createRoot(element);
  // The browser shell needs a session first (the printed link); Electron's preload needs none.
  if (!window.clawInstances && (await establishBrowserSession()) === 'needs-link') {
    showNeedsLink(root);
    return;
  }
  const store = createStore();
  const api = resolveBridge(
    (up) => store.setHostReachable(up),
    () => showNeedsLink(root),
  );
  store.attach(api);
  root.render(
    <StrictMode>
      {/* The last line of defence; the list has its own boundary so the toolbar and Settings outlive a bad row. */}
      <ErrorBoundary what="the window">
        <AppContext.Provider value={{ store, api }}>
          <App />
        </AppContext.Provider>
      </ErrorBoundary>
    </StrictMode>,
  );
}

const element = document.getElementById('root');
if (element) void boot(element);
