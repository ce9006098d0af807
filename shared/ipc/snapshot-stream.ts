/**
 * Pushing snapshots to a window without resending the whole list each time.
 *
 * The gateway sends its whole list on every change; with a fleet-sized list,
 * copying all of it to the window again (JSON or structured clone, then parsing)
 * costs more than a frame. The encoder sends the list once, then only the order
 * of keys and the entries that changed; a push that didn't change the list (a
 * connection state, a beacon report) carries no list at all. The decoder, on
 * the window's side, rebuilds the full snapshot, so the rest of the renderer
 * sees plain snapshots.
 */
import type { ReceivedEntry } from '../client/view-state.js';
import { presenceKeyFor, uniqueKeys } from '../presence/keys.js';
import type { ViewSnapshot } from './contract.js';

type WithoutEntries = Omit<ViewSnapshot, 'entries'>;

export type SnapshotMessage =
  | { readonly kind: 'full'; readonly snapshot: ViewSnapshot }
  | { readonly kind: 'state'; readonly snapshot: WithoutEntries }
  | { readonly kind: 'list'; readonly snapshot: WithoutEntries; readonly order: readonly string[]; readonly changed: Readonly<Record<string, ReceivedEntry>> };

/** Keys unique within one list: the presence key, numbered when it repeats. */
function keysOf(entries: readonly ReceivedEntry[]): string[] {
  return uniqueKeys(entries, (e, i) => presenceKeyFor(e) ?? `#${i}`);
}

function withoutEntries(s: ViewSnapshot): WithoutEntries {
  const { entries: _entries, ...rest } = s;
  return rest;
}

export class SnapshotEncoder {
  #listVersion?: number;
  #url?: string;
  /** What the window has, as JSON per key. */
  #sent = new Map<string, string>();

  encode(snapshot: ViewSnapshot): SnapshotMessage {
    if (this.#listVersion === undefined || this.#url !== snapshot.gateway.url) {
      this.#remember(snapshot);
      return { kind: 'full', snapshot };
    }
    if (snapshot.listVersion === this.#listVersion) return { kind: 'state', snapshot: withoutEntries(snapshot) };
    const order = keysOf(snapshot.entries);
    const changed: Record<string, ReceivedEntry> = {};
    const next = new Map<string, string>();
    snapshot.entries.forEach((entry, i) => {
      const key = order[i]!;
      const json = JSON.stringify(entry);
      next.set(key, json);
      if (this.#sent.get(key) !== json) changed[key] = entry;
    });
    this.#sent = next;
    this.#listVersion = snapshot.listVersion;
    return { kind: 'list', snapshot: withoutEntries(snapshot), order, changed };
  }

  /** The window re-read the whole snapshot: the next push starts from a full list again. */
  reset(): void {
    this.#listVersion = undefined;
    this.#sent = new Map();
  }

  #remember(snapshot: ViewSnapshot): void {
    const order = keysOf(snapshot.entries);
    this.#sent = new Map(snapshot.entries.map((e, i) => [order[i]!, JSON.stringify(e)]));
    this.#listVersion = snapshot.listVersion;
    this.#url = snapshot.gateway.url;
  }
}

export class SnapshotDecoder {
  #entries?: Map<string, ReceivedEntry>;
  #list: readonly ReceivedEntry[] = [];

  /** The full snapshot, or undefined when a message refers to a list this side doesn't have. */
  decode(message: SnapshotMessage): ViewSnapshot | undefined {
    switch (message.kind) {
      case 'full': {
        const order = keysOf(message.snapshot.entries);
        this.#entries = new Map(message.snapshot.entries.map((e, i) => [order[i]!, e]));
        this.#list = message.snapshot.entries;
        return message.snapshot;
      }
      case 'state':
        return this.#entries ? { ...message.snapshot, entries: this.#list } : undefined;
      case 'list': {
        const previous = this.#entries;
        if (!previous) return undefined;
        const list: ReceivedEntry[] = new Array<ReceivedEntry>(message.order.length);
        for (let i = 0; i < message.order.length; i += 1) {
          const key = message.order[i]!;
          const entry = message.changed[key] ?? previous.get(key);
          if (!entry) return undefined;
          list[i] = entry;
        }
        // Unchanged entries stay the same objects, so views can reuse what they derived from them.
        for (const [key, entry] of Object.entries(message.changed)) previous.set(key, entry);
        if (previous.size !== message.order.length) {
          const keep = new Set(message.order);
          for (const key of previous.keys()) if (!keep.has(key)) previous.delete(key);
        }
        this.#list = list;
        return { ...message.snapshot, entries: list };
      }
    }
  }
}
