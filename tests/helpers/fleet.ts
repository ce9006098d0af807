/**
 * A generated fleet: `entries` presence entries from `machines` machines, shaped
 * like a gateway's list, for the stream, history, page and renderer-cost tests.
 * Pure and seeded: the same options always give the same list (equal, not the
 * same objects), so a test can build "the list again" or "the list with one
 * beacon" by calling it twice.
 */
import type { ReceivedEntry } from '../../shared/client/view-state.js';
import { seededRandom } from './garbage.js';

export interface FleetOptions {
  /** How many entries the list holds. */
  readonly entries: number;
  /**
   * How many machines they come from: entry `i` belongs to machine `i % machines`
   * (its host name; and, when machines hold several entries, its device id, each
   * entry then being another client of that device). Default: one machine per entry.
   */
  readonly machines?: number;
  /** When the newest entry was updated (ms, gateway clock). */
  readonly ts: number;
  /**
   * Entries after the first are older than `ts` by a seeded whole number of
   * seconds from 1 s up to this; entry 0 stays the newest. Default 0: all at `ts`.
   */
  readonly maxAgeMs?: number;
  /** Seed of the ages and idle times. Default 1. */
  readonly seed?: number;
  /** Host names are `<name>-<machine>`, instance ids `<name>-<entry>`. Default `h`. */
  readonly name?: string;
}

/** The fleet `options` describe, newest entry first. */
export function fleet(options: FleetOptions): ReceivedEntry[] {
  const { entries, ts, maxAgeMs = 0, seed = 1, name = 'h' } = options;
  const machines = Math.max(1, Math.min(options.machines ?? entries, entries));
  const shared = machines < entries;
  const random = seededRandom(seed);
  return Array.from({ length: entries }, (_, i) => {
    const machine = i % machines;
    const host = `${name}-${machine}`;
    const ageSeconds = Math.floor(random() * (maxAgeMs / 1000));
    const lastInputSeconds = Math.floor(random() * 300);
    return {
      host,
      instanceId: `${name}-${i}`,
      ...(shared ? { deviceId: `${name}-device-${machine}`, clientId: `${name}-client-${Math.floor(i / machines)}` } : {}),
      ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      version: '1.0.0',
      platform: 'linux 6.1.0',
      deviceFamily: 'Linux',
      mode: 'ui',
      lastInputSeconds,
      reason: 'periodic',
      ts: i === 0 || maxAgeMs === 0 ? ts : ts - Math.max(1, ageSeconds) * 1000,
      text: `Node: ${host}`,
    };
  });
}
