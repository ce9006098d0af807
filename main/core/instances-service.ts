/**
 * The app's core, shared by the Electron main process and the browser shell:
 * settings, the list of gateways (saved ones, the environment's, a local
 * OpenClaw config's, and the hub, our built-in gateway), one GatewaySession per
 * gateway, and the machine history. Plain Node: the shells supply the data
 * folder, the secret store and the OS idle time.
 */
import { DEFAULT_STATUS_THRESHOLDS, type StatusThresholds } from '../../shared/presence/status.js';
import type { PublicGateway, PublicSettings, SaveResult, SettingsUpdate, ViewSnapshot } from '../../shared/ipc/contract.js';
import { MachineKeySchema, SettingsUpdateSchema } from '../../shared/ipc/contract.js';
import type { MachineHistory } from '../../shared/view/machines.js';
import { describeIssues } from '../../shared/protocol/frames.js';
import { redactUrl } from '../../shared/format/redact-url.js';
import { BUILTIN_GATEWAY_ID, nameForUrl, nextColour, type StoredGateway, type StoredSettings } from '../../shared/settings/schema.js';
import { discoverGateways, validateGatewayUrl } from '../client/gateway-config.js';
import { Emitter, logListenerError } from '../../shared/events/emitter.js';
import { loadOrCreateIdentity, type ClientIdentity } from '../client/identity.js';
import type { HubServer } from '../hub/hub-server.js';
import { appVersion } from '../system/app-version.js';
import { readHostInfo, type HostInfo } from '../system/host-info.js';
import { GatewaySecrets, SettingsStore, type SecretStore } from './settings-store.js';
import { HistoryDatabase } from './history-database.js';
import { planGateways, sameConnection, type GatewayPlan } from './gateway-plan.js';
import { GatewaySession, type SessionPreferences } from './gateway-session.js';
import { newGatewayId } from './gateway-ids.js';

export interface InstancesServiceOptions {
  readonly dataDir: string;
  readonly secrets: SecretStore;
  readonly idleSeconds: () => number | undefined;
  readonly env?: NodeJS.ProcessEnv;
  /** Home folder for finding a local OpenClaw config (tests point it elsewhere). */
  readonly home?: string;
  /** Port for the hub (0: any free port). */
  readonly embeddedPort?: number;
  readonly statusThresholds?: StatusThresholds;
  readonly hostInfo?: () => HostInfo;
  readonly clientOverrides?: { beaconIntervalMs?: number; pollIntervalMs?: number; backoff?: { baseMs: number; maxMs: number } };
  readonly log?: (line: string) => void;
}

/** A machine key as the bridge carries it: `<gatewayId>/<machine key>` (machines are kept per gateway). */
function splitMachineRef(raw: unknown): { gatewayId: string; key: string } {
  const ref = MachineKeySchema.parse(raw);
  const slash = ref.indexOf('/');
  if (slash <= 0) throw new Error('a machine reference is <gateway id>/<machine key>');
  return { gatewayId: ref.slice(0, slash), key: ref.slice(slash + 1) };
}

export class InstancesService {
  readonly #o: InstancesServiceOptions;
  readonly #settings: SettingsStore;
  readonly #secrets: GatewaySecrets;
  readonly #identity: ClientIdentity;
  readonly #history: HistoryDatabase;
  readonly #listeners: Emitter<[snapshot: ViewSnapshot]>;
  #sessions: GatewaySession[] = [];
  /**
   * Start, stop and every settings change run one after another (issue 12, V8):
   * each waits for the previous one to finish closing what it replaces, so there is
   * never more than one session per gateway, and an old one is gone before its
   * replacement starts.
   */
  #queue: Promise<unknown> = Promise.resolve();
  #running = false;

  constructor(options: InstancesServiceOptions) {
    this.#o = options;
    this.#listeners = new Emitter(logListenerError(options.log ?? (() => {}), 'a window snapshot'));
    this.#history = new HistoryDatabase({ dataDir: options.dataDir, log: options.log });
    this.#settings = new SettingsStore(options.dataDir, options.log);
    this.#secrets = new GatewaySecrets(options.secrets);
    this.#identity = loadOrCreateIdentity(options.dataDir, options.log);
  }

  get identity(): ClientIdentity {
    return this.#identity;
  }

  /** The hub (our built-in gateway), when it runs. */
  get hub(): HubServer | undefined {
    return this.#sessions.find((s) => s.hub)?.hub;
  }

  /** The gateways watched now, in order (ids). */
  get gatewayIds(): readonly string[] {
    return this.#sessions.map((s) => s.id);
  }

  start(): Promise<void> {
    return this.#serial(async () => {
      this.#history.open();
      this.#secrets.migrateLegacy(this.#settings.read().gateways.map((g) => ({ id: g.id, ...(g.kind === 'remote' ? { url: g.url } : {}) })));
      this.#running = true;
      await this.#reconcile();
    });
  }

  stop(): Promise<void> {
    return this.#serial(async () => {
      this.#running = false;
      const sessions = this.#sessions;
      this.#sessions = [];
      await Promise.all(sessions.map((s) => s.stop('app quitting')));
      this.#history.close();
    });
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => {});
    return run;
  }

  snapshot(): ViewSnapshot {
    const thresholds = this.#o.statusThresholds ?? DEFAULT_STATUS_THRESHOLDS;
    return {
      gateways: this.#sessions.map((s) => s.snapshot(thresholds)),
      self: { instanceId: this.#identity.instanceId, deviceId: this.#identity.deviceId },
      statusThresholds: thresholds,
    };
  }

  subscribe(listener: (s: ViewSnapshot) => void): () => void {
    return this.#listeners.on(listener);
  }

  async refresh(): Promise<void> {
    await Promise.all(this.#sessions.map((s) => s.refresh()));
  }

  /** Wake from sleep: beacon at once instead of waiting for the next period. */
  async beaconNow(reason: string): Promise<void> {
    await Promise.all(this.#sessions.map((s) => s.beaconNow(reason)));
  }

  /** A machine's last 24 hours on one gateway, from history. */
  async getMachineHistory(raw: unknown): Promise<MachineHistory> {
    const { gatewayId, key } = splitMachineRef(raw);
    const session = this.#sessions.find((s) => s.id === gatewayId);
    return session ? session.machineHistory(key) : { key, statusChanges: [], stats: [] };
  }

  /** Drops a machine from one gateway's history: its Gone row disappears. */
  async forgetMachine(raw: unknown): Promise<void> {
    const { gatewayId, key } = splitMachineRef(raw);
    this.#sessions.find((s) => s.id === gatewayId)?.forgetMachine(key);
  }

  getSettings(): PublicSettings {
    const s = this.#settings.read();
    const plans = this.#plan(s);
    const gateways: PublicGateway[] = s.gateways.map((g): PublicGateway =>
      g.kind === 'builtin'
        ? { id: g.id, kind: 'builtin', name: g.name, url: '', authKind: 'token', colour: g.colour, beacon: g.beacon, run: g.run, hasSecret: false, source: 'builtin', editable: true }
        : { id: g.id, kind: 'remote', name: g.name, url: g.url, authKind: g.authKind, colour: g.colour, beacon: g.beacon, hasSecret: this.#secrets.loadFor(g.id, g.url) !== undefined, source: 'settings', editable: true },
    );
    for (const p of plans) {
      if (p.source !== 'environment' && p.source !== 'openclaw-config') continue;
      gateways.push({ id: p.id, kind: 'remote', name: p.name, url: p.url, authKind: p.password !== undefined ? 'password' : 'token', colour: p.colour, beacon: p.beacon, hasSecret: p.token !== undefined || p.password !== undefined, source: p.source, editable: false });
    }
    return { gateways, secretStorage: this.#secrets.kind, beaconIntervalSeconds: s.beaconIntervalSeconds, shareActivity: s.shareActivity };
  }

  /**
   * Validates what the window sent, saves it, and reconnects only the gateways whose
   * connection changed. Both shells (Electron IPC and the browser shell's socket) come
   * here. A saved secret stays with the gateway and URL it was saved for: a new URL
   * without a new secret forgets it (issue 12, V1).
   */
  saveSettings(raw: unknown): Promise<SaveResult> {
    const parsed = SettingsUpdateSchema.safeParse(raw);
    if (!parsed.success) return Promise.resolve({ ok: false, error: `invalid settings: ${describeIssues(parsed.error)}` });
    return this.#serial(() => this.#save(parsed.data));
  }

  async #save(update: SettingsUpdate): Promise<SaveResult> {
    const current = this.#settings.read();
    let gateways: StoredGateway[] = current.gateways;
    const secretChanges: Array<{ id: string; url: string; secret: string | null }> = [];
    if (update.gateways !== undefined) {
      const next: StoredGateway[] = [];
      for (const g of update.gateways) {
        if (g.kind === 'builtin') {
          const was = current.gateways.find((c) => c.kind === 'builtin');
          if (next.some((n) => n.kind === 'builtin')) return { ok: false, error: 'the built-in gateway is listed twice' };
          next.push({ kind: 'builtin', id: BUILTIN_GATEWAY_ID, name: g.name ?? was?.name ?? 'Built-in', colour: g.colour ?? was?.colour ?? nextColour(next.map((n) => n.colour)), run: g.run ?? (was?.kind === 'builtin' ? was.run : 'auto'), beacon: g.beacon ?? was?.beacon ?? true });
          continue;
        }
        const checked = validateGatewayUrl(g.url);
        if (!checked.ok) return { ok: false, error: checked.error };
        // One gateway once: two entries for one URL would be two sessions beaconing the same machine twice.
        if (next.some((n) => n.kind === 'remote' && n.url === checked.url)) return { ok: false, error: `${redactUrl(checked.url)} is listed twice` };
        const was = g.id === undefined ? undefined : current.gateways.find((c) => c.id === g.id && c.kind === 'remote');
        if (g.id !== undefined && !was) return { ok: false, error: `no saved gateway has the id ${g.id}` };
        const id = was?.id ?? newGatewayId(new Set([...current.gateways, ...next].map((n) => n.id)));
        if (next.some((n) => n.id === id)) return { ok: false, error: `the gateway ${id} is listed twice` };
        const authKind = g.authKind ?? (was?.kind === 'remote' ? was.authKind : 'token');
        next.push({ kind: 'remote', id, name: g.name?.trim() || (was?.kind === 'remote' && was.url === checked.url ? was.name : nameForUrl(checked.url)), url: checked.url, authKind, colour: g.colour ?? was?.colour ?? nextColour([...current.gateways, ...next].map((n) => n.colour)), beacon: g.beacon ?? was?.beacon ?? true });
        const urlChanged = was?.kind === 'remote' && was.url !== checked.url;
        const authChanged = was?.kind === 'remote' && was.authKind !== authKind;
        if (g.secret !== undefined && g.secret !== '') secretChanges.push({ id, url: checked.url, secret: g.secret });
        else if (g.secret === null || urlChanged || authChanged) secretChanges.push({ id, url: checked.url, secret: null });
      }
      gateways = next;
    }
    const settings: StoredSettings = {
      version: 2,
      gateways: gateways.some((g) => g.kind === 'builtin') ? gateways : [...current.gateways.filter((g) => g.kind === 'builtin'), ...gateways],
      beaconIntervalSeconds: update.beaconIntervalSeconds ?? current.beaconIntervalSeconds,
      shareActivity: update.shareActivity ?? current.shareActivity,
    };
    // Forget first, then point at the new URL: a crash in between leaves no secret, never a secret on the wrong URL.
    for (const c of secretChanges) if (c.secret === null) this.#secrets.clear(c.id);
    this.#secrets.retain(new Set(settings.gateways.map((g) => g.id)));
    this.#settings.write(settings);
    for (const c of secretChanges) if (c.secret !== null) this.#secrets.save(c.id, c.url, c.secret);
    await this.#reconcile();
    return { ok: true, settings: this.getSettings() };
  }

  #plan(settings: StoredSettings): GatewayPlan[] {
    const discovered = discoverGateways(this.#o.env ?? process.env, this.#o.home);
    return planGateways(settings, discovered, (id, url) => this.#secrets.loadFor(id, url));
  }

  #preferences(s: StoredSettings): SessionPreferences {
    return { shareActivity: s.shareActivity, beaconIntervalMs: s.beaconIntervalSeconds * 1000 };
  }

  /**
   * Brings the sessions in line with the settings: a gateway whose connection is the
   * same keeps its session (and socket); one that changed or went is stopped, and
   * its socket closed, before the new ones start.
   */
  async #reconcile(): Promise<void> {
    if (!this.#running) return;
    const settings = this.#settings.read();
    const plans = this.#plan(settings);
    const prefs = this.#preferences(settings);
    const keep = new Map<string, GatewaySession>();
    const stopping: Promise<void>[] = [];
    for (const session of this.#sessions) {
      const plan = plans.find((p) => p.id === session.id);
      if (plan && sameConnection(plan, session.plan)) {
        session.update(plan, prefs);
        keep.set(plan.id, session);
      } else stopping.push(session.stop(plan ? 'reconnecting with new settings' : 'removed from settings'));
    }
    this.#sessions = this.#sessions.filter((s) => keep.has(s.id));
    await Promise.all(stopping);
    const starting: Promise<void>[] = [];
    this.#sessions = plans.map((plan) => {
      const kept = keep.get(plan.id);
      if (kept) return kept;
      const session = new GatewaySession(plan, prefs, this.#sessionDeps(), () => this.#emit());
      starting.push(session.start());
      return session;
    });
    this.#emit();
    await Promise.all(starting);
  }

  #sessionDeps(): ConstructorParameters<typeof GatewaySession>[2] {
    return {
      identity: this.#identity,
      version: appVersion(),
      hostInfo: this.#o.hostInfo ?? readHostInfo,
      idleSeconds: this.#o.idleSeconds,
      hubDataDir: `${this.#o.dataDir}/gateway`,
      ...(this.#o.embeddedPort !== undefined ? { hubPort: this.#o.embeddedPort } : {}),
      history: this.#history,
      clock: Date.now,
      ...(this.#o.clientOverrides ? { clientOverrides: this.#o.clientOverrides } : {}),
      ...(this.#o.log ? { log: this.#o.log } : {}),
    };
  }

  #emit(): void {
    const snapshot = this.snapshot();
    this.#listeners.emit(snapshot);
    // After the windows have it: recording never holds up a push.
    snapshot.gateways.forEach((view, i) => this.#sessions[i]?.record(view));
  }
}
