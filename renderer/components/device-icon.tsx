import type { DeviceKind } from '../../shared/format/device.js';

const PATHS: Record<DeviceKind, string> = {
  gateway: 'M4 5h16v4H4zM4 11h16v4H4zM4 17h16v2H4z',
  mac: 'M3 5h18v11H3zM8 19h8v1H8zM10 16h4v3h-4z',
  windows: 'M3 5l8-1v7H3zM12 4l9-1v8h-9zM3 12h8v7l-8-1zM12 12h9v8l-9-1z',
  linux: 'M3 5h18v11H3zM7 19h10v1H7z',
  phone: 'M7 2h10v20H7zM11 19h2v1h-2z',
  browser: 'M2 4h20v16H2zM2 7h20v1H2z',
  server: 'M4 3h16v6H4zM4 11h16v6H4zM6 5h2v2H6zM6 13h2v2H6z',
  unknown: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zm-1 13h2v2h-2zm1-10a4 4 0 0 1 2 7l-1 1v1h-2v-2l1-1a2 2 0 1 0-3-2H9a3 3 0 0 1 3-4z',
};

export function DeviceIcon({ kind }: { kind: DeviceKind }) {
  return (
    <svg className="device-icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" data-kind={kind}>
      <path d={PATHS[kind]} fill="currentColor" />
    </svg>
  );
}
