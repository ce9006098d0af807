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
  /** Entries kept with a text cut to its bound (see shortenOverlong). */
  readonly shortened: number;
  readonly firstProblem?: string;
}

/**
 * A copy of `item` with each text the schema found too long cut to its bound,
 * ending in "…", or undefined when something else is wrong with it. The real
 * gateway keeps whatever text a client sends, so a 70-character version is
 * honest input: the machine should show, shortened, not vanish from the list.
 * Only strings directly in the entry or in its arrays (roles, scopes) are cut.
 */
function shortenOverlong(item: unknown, issues: readonly z.core.$ZodIssue[]): object | undefined {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
  const copy: Record<string, unknown> = { ...item };
  for (const issue of issues) {
    if (issue.code !== 'too_big' || issue.origin !== 'string' || typeof issue.maximum !== 'number') return undefined;
    const [field, index] = issue.path;
    if (typeof field !== 'string' || issue.path.length > 2) return undefined;
    const cut = (v: unknown) => (typeof v === 'string' ? `${v.slice(0, Number(issue.maximum) - 1)}…` : v);
    if (index === undefined) copy[field] = cut(copy[field]);
    else if (typeof index === 'number' && Array.isArray(copy[field])) copy[field] = (copy[field] as unknown[]).map((v, i) => (i === index ? cut(v) : v));
    else return undefined;
  }
  return copy;
}

/** One entry checked against the schema and the gateway's clock: the entry, or why it is dropped. */
function readEntry(item: unknown, gatewayNowMs: number | undefined): { entry: ReceivedEntry; shortened?: true } | { problem: string } {
  let parsed = PresenceEntrySchema.safeParse(item);
  let shortened = false;
  if (!parsed.success) {
    const cut = shortenOverlong(item, parsed.error.issues);
    if (cut) {
      const again = PresenceEntrySchema.safeParse(cut);
      if (again.success) {
        parsed = again;
        shortened = true;
      }
    }
  }
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { problem: issue ? `${issue.path.join('/')}: ${issue.message}` : 'invalid' };
  }
  const tsProblem = tsTooFar(parsed.data.ts, gatewayNowMs);
  if (tsProblem) return { problem: tsProblem };
  const { text, ...rest } = parsed.data;
  const entry = { ...rest, text: text ?? '' } as ReceivedEntry;
  return shortened ? { entry, shortened } : { entry };
}

function tsTooFar(ts: number, gatewayNowMs: number | undefined): string | undefined {
  return gatewayNowMs !== undefined && Math.abs(ts - gatewayNowMs) > MAX_TS_DISTANCE_MS ? `ts: ${ts} is more than a day from the gateway's clock` : undefined;
}

/**
 * @param gatewayNowMs the gateway's clock as best we know it; entries more than
 *   {@link MAX_TS_DISTANCE_MS} away from it are dropped. Omitted: no such check.
 */
export function parsePresenceList(raw: unknown, gatewayNowMs?: number): ParsedPresenceList | undefined {
  return new PresenceListReader().read(raw, gatewayNowMs);
}

/** How deep two wire values are compared; deeper ones count as changed and go through the schema. */
const MAX_COMPARE_DEPTH = 8;

/** Whether two values parsed from JSON are the same JSON (key order aside). */
function sameJson(a: unknown, b: unknown, depth: number): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || depth > MAX_COMPARE_DEPTH) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b, k) || !sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], depth + 1)) return false;
  }
  return true;
}

/**
 * Where to look for an item's previous version: fields a row keeps while it is
 * unchanged (its `ts` included, which any update moves). Only a hint: an item is
 * reused only when it is the same JSON as the one found.
 */
function hintOf(item: object): string {
  const o = item as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v.slice(0, 256) : '');
  return `${typeof o.ts === 'number' ? o.ts : ''}\u0000${str(o.deviceId)}\u0000${str(o.instanceId)}\u0000${str(o.host)}\u0000${str(o.text).slice(0, 64)}`;
}

/**
 * Reads list after list from one gateway, checking only what changed.
 *
 * The real gateway sends its whole list on every change (190 entries, ~52 KB,
 * up to 100 times a second in a busy fleet), and almost every entry in it is
 * the one it sent last time. An item that is the same JSON as an item of the
 * previous list, which passed the schema then, gives back that same entry
 * object; everything else goes through the schema as ever. So nothing reaches
 * the app unchecked, and unchanged entries keep their identity for everything
 * downstream (the snapshot stream, the view's fold). The distance of `ts` from
 * the gateway's clock, which moves, is checked on every read.
 */
export class PresenceListReader {
  /** The last list's checked items by hint: the wire value and the entry made from it. */
  #previous = new Map<string, { readonly raw: object; readonly entry: ReceivedEntry }>();

  read(raw: unknown, gatewayNowMs?: number): ParsedPresenceList | undefined {
    if (!Array.isArray(raw) || raw.length > MAX_ENTRIES) return undefined;
    const entries: ReceivedEntry[] = [];
    const next = new Map<string, { readonly raw: object; readonly entry: ReceivedEntry }>();
    let dropped = 0;
    let shortened = 0;
    let firstProblem: string | undefined;
    for (const item of raw) {
      const hint = typeof item === 'object' && item !== null && !Array.isArray(item) ? hintOf(item) : undefined;
      const before = hint === undefined ? undefined : this.#previous.get(hint);
      let result: { entry: ReceivedEntry; shortened?: true } | { problem: string };
      if (before && sameJson(before.raw, item, 0)) {
        const tsProblem = tsTooFar(before.entry.ts, gatewayNowMs);
        result = tsProblem ? { problem: tsProblem } : { entry: before.entry };
      } else result = readEntry(item, gatewayNowMs);
      if ('problem' in result) {
        dropped += 1;
        firstProblem ??= result.problem;
        continue;
      }
      entries.push(result.entry);
      if (result.shortened) shortened += 1;
      // A repeated hint keeps its first item: lookups stay one per item, whatever a list holds.
      if (hint !== undefined && !next.has(hint)) next.set(hint, { raw: item as object, entry: result.entry });
    }
    this.#previous = next;
    return { entries, dropped, shortened, firstProblem };
  }
}

/** The list inside a `presence` event payload, or inside a `hello-ok` snapshot. */
export const PresenceHolderSchema = z.looseObject({ presence: z.unknown() });
