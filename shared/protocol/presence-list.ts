/**
 * Reads a presence list from the wire entry by entry: good entries are kept,
 * bad ones are counted and dropped, so one malformed row never hides the rest.
 */
import { z } from 'zod';
import { PresenceEntrySchema } from './frames.js';
import type { ReceivedEntry } from '../client/view-state.js';

const MAX_ENTRIES = 20_000;

export interface ParsedPresenceList {
  readonly entries: ReceivedEntry[];
  readonly dropped: number;
  readonly firstProblem?: string;
}

export function parsePresenceList(raw: unknown): ParsedPresenceList | undefined {
  if (!Array.isArray(raw) || raw.length > MAX_ENTRIES) return undefined;
  const entries: ReceivedEntry[] = [];
  let dropped = 0;
  let firstProblem: string | undefined;
  for (const item of raw) {
    const parsed = PresenceEntrySchema.safeParse(item);
    if (parsed.success) {
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
