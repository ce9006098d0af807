/**
 * Real figures about the machine the gateway runs on, for `system.info` (and
 * the Control UI's gauges): CPUs, load, memory, disk, uptime. Read on demand;
 * nothing here is cached or invented.
 */
import { statfsSync } from 'node:fs';
import os from 'node:os';

export interface DiskFigures {
  readonly path: string;
  readonly totalBytes: number;
  readonly availableBytes: number;
}

/** Size and free space of the file system holding `dir`, or undefined when it can't be read. */
export function readDisk(dir: string): DiskFigures | undefined {
  try {
    const st = statfsSync(dir);
    const totalBytes = st.blocks * st.bsize;
    const availableBytes = Math.max(0, st.bavail * st.bsize);
    return Number.isSafeInteger(totalBytes) && totalBytes > 0 && Number.isSafeInteger(availableBytes) ? { path: dir, totalBytes, availableBytes } : undefined;
  } catch {
    return undefined;
  }
}

/** `os.loadavg()`, or undefined where it is always zeros (Windows), as the real gateway leaves it out there. */
export function readLoadAverage(): [number, number, number] | undefined {
  const [one = 0, five = 0, fifteen = 0] = os.loadavg();
  return one === 0 && five === 0 && fifteen === 0 ? undefined : [one, five, fifteen];
}

/** A human OS label like the real gateway's `osLabel` (`linux 6.1.0 (x64)`). */
export function osLabel(): string {
  const platform = os.platform() === 'darwin' ? 'macos' : os.platform() === 'win32' ? 'windows' : os.platform();
  return `${platform} ${os.release()} (${os.arch()})`;
}
