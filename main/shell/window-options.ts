/**
 * The main window's options, from one pure builder (tested without Electron):
 * context isolation, the sandbox, no Node in the renderer, no webview, and a
 * preload that exposes only the typed bridge.
 */
import type { BrowserWindowConstructorOptions, Rectangle } from 'electron';

export const MIN_SIZE = { width: 720, height: 420 } as const;
export const DEFAULT_SIZE = { width: 1100, height: 640 } as const;

export function buildWindowOptions(preloadPath: string, bounds: Partial<Rectangle> | undefined, platform: NodeJS.Platform): BrowserWindowConstructorOptions {
  return {
    width: bounds?.width ?? DEFAULT_SIZE.width,
    height: bounds?.height ?? DEFAULT_SIZE.height,
    ...(bounds?.x !== undefined && bounds.y !== undefined ? { x: bounds.x, y: bounds.y } : {}),
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'Instances — Claw Instances',
    show: false,
    backgroundColor: '#f5f5f7',
    ...(platform === 'darwin' ? { titleBarStyle: 'hiddenInset' as const, vibrancy: 'sidebar' as const } : {}),
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: true,
    },
  };
}
