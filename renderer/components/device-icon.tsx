import type { DeviceKind } from '../../shared/format/device.js';

/** The kind's icon (the images are in styles.css, `.device-<kind>`): decorative, the row names the device. */
export function DeviceIcon({ kind }: { kind: DeviceKind }) {
  return <span className={`device-icon device-${kind}`} aria-hidden="true" data-kind={kind} />;
}
