/**
 * The order people read names in ("host-2" before "host-10", letter case and
 * accents aside), as Intl.Collator gives it, for sorts that run on every update.
 *
 * Why: a numeric collation goes through ICU on every call, about 0.4 µs. A
 * fleet-wide change re-sorts 10,000 rows, and when their times tie (a gateway
 * restart) the host names decide every comparison: about 4 ms of a frame. A sort
 * run through `sorting` notes the names it had to compare through the collator,
 * and when there were many it ranks them (`learn`, in one sort of the new ones),
 * so the next sort of them compares two map look-ups. A sort that never compares
 * names (rows whose times all differ) ranks none: ranking 10,000 names costs a
 * sort of them through the collator.
 *
 * Every comparison has the collator's sign, ranked or not, so a sort that mixes
 * both gives the same order as the collator alone.
 */
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** One rank per group of names the collator calls equal; renumbered in place when names join. */
interface Rank {
  value: number;
  /** One name of the group, to place new names against. */
  readonly name: string;
}

/** Above this many names the ranks are dropped and made again as names are learned (a bound on memory, not a limit). */
const MAX_NAMES = 100_000;
/** Above this many new names at once, merging them in one pass beats placing each by binary search. */
const MAX_PLACED = 64;
/** Names one sort compared through the collator, past which they are worth ranking for the next. */
const MANY_MISSED = 64;

export class TextOrder {
  readonly #byName = new Map<string, Rank>();
  /** One rank per group, in order. */
  #ranks: Rank[] = [];
  readonly #maxNames: number;
  /** The names compared through the collator in the sort under way (`sorting`). */
  #missed?: Set<string>;

  constructor(maxNames = MAX_NAMES) {
    this.#maxNames = maxNames;
  }

  /** How many names are ranked. */
  get size(): number {
    return this.#byName.size;
  }

  /** The collator's comparison of `a` and `b`, without the collator when both are learned. */
  readonly compare = (a: string, b: string): number => {
    if (a === b) return 0;
    const ra = this.#byName.get(a);
    const rb = this.#byName.get(b);
    if (ra === undefined || rb === undefined) {
      this.#missed?.add(a).add(b);
      return collator.compare(a, b);
    }
    return ra.value < rb.value ? -1 : ra.value > rb.value ? 1 : 0;
  };

  /** Runs `sort`, which compares with `compare`; ranks the names it compared through the collator when they were many. */
  sorting<T>(sort: () => T): T {
    const outer = this.#missed;
    const missed = (this.#missed = new Set());
    try {
      return sort();
    } finally {
      this.#missed = outer;
      if (missed.size > MANY_MISSED) this.learn(missed);
    }
  }

  /** Ranks the names not ranked yet, so comparisons between them and known names skip the collator. */
  learn(names: Iterable<string>): void {
    let fresh = new Set<string>();
    for (const name of names) if (!this.#byName.has(name)) fresh.add(name);
    if (fresh.size === 0) return;
    if (this.#byName.size + fresh.size > this.#maxNames) {
      this.#byName.clear();
      this.#ranks = [];
      fresh = new Set(names);
    }
    const sorted = [...fresh].sort(collator.compare);
    if (sorted.length <= MAX_PLACED && this.#ranks.length > 0) for (const name of sorted) this.#place(name);
    else this.#merge(sorted);
    this.#ranks.forEach((rank, i) => (rank.value = i));
  }

  /** Puts one name into its group, or a new group where it belongs. */
  #place(name: string): void {
    const ranks = this.#ranks;
    let lo = 0;
    let hi = ranks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = collator.compare(ranks[mid]!.name, name);
      if (c === 0) {
        this.#byName.set(name, ranks[mid]!);
        return;
      }
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
    const rank = { value: 0, name };
    ranks.splice(lo, 0, rank);
    this.#byName.set(name, rank);
  }

  /** Merges sorted new names into the groups in one pass. */
  #merge(sorted: readonly string[]): void {
    const old = this.#ranks;
    const merged: Rank[] = [];
    let i = 0;
    for (const name of sorted) {
      while (i < old.length && collator.compare(old[i]!.name, name) < 0) merged.push(old[i++]!);
      const last = merged.at(-1);
      const equal = i < old.length && collator.compare(old[i]!.name, name) === 0 ? old[i]! : last && collator.compare(last.name, name) === 0 ? last : undefined;
      if (equal) {
        this.#byName.set(name, equal);
        continue;
      }
      const rank = { value: 0, name };
      merged.push(rank);
      this.#byName.set(name, rank);
    }
    while (i < old.length) merged.push(old[i++]!);
    this.#ranks = merged;
  }
}

/** The app's one order of names: learned names are shared by every view that sorts by them. */
export const textOrder = new TextOrder();
