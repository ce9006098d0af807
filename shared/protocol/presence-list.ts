/**
 * Reads a presence list from the wire entry by entry: good entries are kept,
 * bad ones are counted and dropped, so one malformed row never hides the rest.
 */
import { z } from 'zod';
import { PresenceEntrySchema } from './frames.js';
import type { ReceivedEntry } from '../client/view-state.js';

const MAX_ENTRIES = 20_000;

/**
 * How far an entry's `ts` may be from the gateway's clock. The gateway drops
 * entries after 5 minutes, and our clock estimate is good to seconds, so a day
 * either way leaves room for any honest skew; beyond it a timestamp is nonsense
 * (or hostile: far-future rows would sort first and read "Active" for ever).
 */
export const MAX_TS_DISTANCE_MS = 24 * 60 * 60 * 1000;

export interface ParsedPresenceList {
  readonly entries: ReceivedEntry[];
  readonly dropped: number;
  readonly firstProblem?: string;
}

/**
 * @param gatewayNowMs the gateway's clock as best we know it; entries more than
 *   {@link MAX_TS_DISTANCE_MS} away from it are dropped. Omitted: no such check.
 */
export function parsePresenceList(raw: unknown, gatewayNowMs?: number): ParsedPresenceList | undefined {
  if (!Array.isArray(raw) || raw.length > MAX_ENTRIES) return undefined;
  const entries: ReceivedEntry[] = [];
  let dropped = 0;
  let firstProblem: string | undefined;
  for (const item of raw) {
    const parsed = PresenceEntrySchema.safeParse(item);
    if (parsed.success && gatewayNowMs !== undefined && Math.abs(parsed.data.ts - gatewayNowMs) > MAX_TS_DISTANCE_MS) {
      dropped += 1;
      firstProblem ??= `ts: ${parsed.data.ts} is more than a day from the gateway's clock`;
    } else if (parsed.success) {
      const { text, ...rest } = parsed.data;
      entries.push({ ...rest, text: text ?? '' } as ReceivedEntry);
    } else {
      dropped += 1;
      firstProblem ??= parsed.error.issues[0] ? `${parsed.error.issues[0].path.join('/')}: ${parsed.error.issues[0].message}` : 'invalid';
    }
  }
  return { entries, dropped, firstProblem };
}

/** The list inside a `presence` event payload, or inside a `hello-ok` snapshot. */
export const PresenceHolderSchema = z.looseObject({ presence: z.unknown() });
