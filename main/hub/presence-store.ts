/**
 * The built-in gateway's presence list: the pure rules from `shared/presence`
 * behind a small stateful shell with an injected clock and a version that
 * increases on every change.
 */
import {
  admitBeacon,
  connectKeyFor,
  listPresence,
  markDisconnected,
  mergeBeacon,
  pruneExpired,
  seedSelf,
  selfKeyFor,
  upsertConnect,
  type BeaconAdmission,
  type BeaconInfo,
  type BeaconWriter,
  type ConnectInfo,
  type SelfInfo,
} from '../../shared/presence/rules.js';
import { DEFAULT_PRESENCE_LIMITS, type PresenceEntry, type PresenceLimits, type PresenceMap } from '../../shared/presence/entry.js';
import { Emitter, logListenerError } from '../../shared/events/emitter.js';

export type Clock = () => number;

export class PresenceStore {
  #map: PresenceMap = new Map();
  #version = 0;
  readonly #changed: Emitter;

  constructor(
    private readonly self: SelfInfo,
    private readonly clock: Clock = Date.now,
    private readonly limits: PresenceLimits = DEFAULT_PRESENCE_LIMITS,
    log: (line: string) => void = () => {},
  ) {
    this.#changed = new Emitter(logListenerError(log, 'a presence change'));
    this.#map = seedSelf(this.#map, self, clock());
  }

  /** Increases on every change; sent as `stateVersion.presence`. */
  get version(): number {
    return this.#version;
  }

  get size(): number {
    return this.#map.size;
  }

  /** Called after every change to the list. */
  onChange(listener: () => void): () => void {
    return this.#changed.on(listener);
  }

  list(): PresenceEntry[] {
    const { map, list } = listPresence(this.#map, this.self, this.clock(), this.limits);
    this.#map = map;
    return list;
  }

  /** Upserts the connection's row; returns its key, or undefined for clients that get none (cli, probe). */
  connect(info: ConnectInfo): string | undefined {
    const selfKey = selfKeyFor(this.self);
    const key = connectKeyFor(this.#map, info, selfKey);
    this.#commit(upsertConnect(this.#map, info, this.clock(), this.limits, selfKey));
    return key;
  }

  /** The last connection behind `key` went away: its row says so until it ages out. */
  disconnect(key: string): void {
    this.#commit(markDisconnected(this.#map, key, this.clock()));
  }

  /** Merges a beacon if its writer may write the row it names; otherwise changes nothing and says why. */
  beacon(info: BeaconInfo, writer: BeaconWriter): BeaconAdmission {
    const admission = admitBeacon(this.#map, info, writer, selfKeyFor(this.self));
    if (!admission.ok) return admission;
    const { map } = mergeBeacon(this.#map, admission.beacon, this.clock(), writer.fallbackKey, this.limits);
    this.#commit(map);
    return admission;
  }

  /** Drops expired entries; announces a change only when one went. */
  sweep(): void {
    this.#commit(pruneExpired(this.#map, this.clock(), this.limits.ttlMs));
  }

  #commit(next: PresenceMap): void {
    if (next === this.#map) return;
    this.#map = next;
    this.#version += 1;
    this.#changed.emit();
  }
}
