/**
 * Host stats in words: "load 0.42", "mem 63%", "disk 71%". Each part is present
 * only where the gateway reported what it needs; nothing is guessed.
 */
import type { HostStats } from '../client/view-state.js';

export interface HostStatParts {
  readonly load?: string;
  readonly memory?: string;
  readonly disk?: string;
}

/** Used share of a total, 0–1; undefined when either figure is missing or the total is not positive. */
export function usedRatio(total: number | undefined, free: number | undefined): number | undefined {
  if (total === undefined || free === undefined || !(total > 0) || !Number.isFinite(free)) return undefined;
  return Math.min(1, Math.max(0, (total - free) / total));
}

const percent = (r: number | undefined) => (r === undefined ? undefined : `${Math.round(r * 100)}%`);

export function hostStatParts(stats: HostStats | undefined): HostStatParts {
  if (!stats) return {};
  const load1 = stats.loadAverage?.[0];
  const load = typeof load1 === 'number' && Number.isFinite(load1) ? load1.toFixed(2) : undefined;
  const memory = percent(usedRatio(stats.memoryTotalBytes, stats.memoryFreeBytes));
  const disk = percent(usedRatio(stats.diskTotalBytes, stats.diskAvailableBytes));
  return { ...(load ? { load } : {}), ...(memory ? { memory } : {}), ...(disk ? { disk } : {}) };
}

/** "load 0.42 · mem 63% · disk 71%", or undefined when nothing is known. */
export function hostStatsLine(stats: HostStats | undefined): string | undefined {
  const p = hostStatParts(stats);
  const parts = [p.load && `load ${p.load}`, p.memory && `mem ${p.memory}`, p.disk && `disk ${p.disk}`].filter(Boolean);
  return parts.length ? parts.join(' · ') : undefined;
}

/** Bytes as "16 GB" (decimal units, as disks are sold). */
export function formatBytes(bytes: number | undefined): string | undefined {
  if (bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return undefined;
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u += 1;
  }
  return `${v >= 100 || u === 0 ? Math.round(v) : v.toFixed(1)} ${units[u]}`;
}
