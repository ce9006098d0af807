/**
 * The app's core, shared by the Electron main process and the browser host:
 * settings, the gateway choice (configured, environment, local OpenClaw
 * config, or our embedded gateway), and the presence client's lifecycle.
 * Plain Node: the shells supply the data folder, the secret store and the
 * OS idle time.
 */
import { DEFAULT_STATUS_THRESHOLDS, type StatusThresholds } from '../../shared/presence/status.js';
import type { PublicSettings, SaveResult, SettingsUpdate, ViewSnapshot } from '../../shared/ipc/contract.js';
import { SettingsUpdateSchema } from '../../shared/ipc/contract.js';
import { describeIssues } from '../../shared/protocol/frames.js';
import { resolveGateway, validateGatewayUrl, type GatewayChoice } from '../gateway/gateway-config.js';
import { loadOrCreateIdentity, type ClientIdentity } from '../gateway/identity.js';
import { PresenceClient } from '../gateway/presence-client.js';
import { GatewayServer } from '../hub/gateway-server.js';
import { localSelfInfo } from '../hub/self-info.js';
import { appVersion } from '../system/app-version.js';
import { readHostInfo, type HostInfo } from '../system/host-info.js';
import { SettingsStore, type SecretStore, type StoredSettings } from './settings-store.js';

export interface InstancesServiceOptions {
  readonly dataDir: string;
  readonly secrets: SecretStore;
  readonly idleSeconds: () => number | undefined;
  readonly env?: NodeJS.ProcessEnv;
  /** Home folder for finding a local OpenClaw config (tests point it elsewhere). */
  readonly home?: string;
  /** Port for the embedded gateway (0: any free port). */
  readonly embeddedPort?: number;
  readonly statusThresholds?: StatusThresholds;
  readonly hostInfo?: () => HostInfo;
  readonly clientOverrides?: { beaconIntervalMs?: number; pollIntervalMs?: number; backoff?: { baseMs: number; maxMs: number } };
  readonly log?: (line: string) => void;
}

export class InstancesService {
  readonly #o: InstancesServiceOptions;
  readonly #settings: SettingsStore;
  readonly #identity: ClientIdentity;
  readonly #listeners = new Set<(s: ViewSnapshot) => void>();
  #client?: PresenceClient;
  #hub?: GatewayServer;
  #source: PublicSettings['gatewaySource'] = 'embedded';
  #unsubscribe?: () => void;

  constructor(options: InstancesServiceOptions) {
    this.#o = options;
    this.#settings = new SettingsStore(options.dataDir);
    this.#identity = loadOrCreateIdentity(options.dataDir, options.log);
  }

  get identity(): ClientIdentity {
    return this.#identity;
  }

  /** The embedded gateway, when it is the one in use. */
  get embeddedGateway(): GatewayServer | undefined {
    return this.#hub;
  }

  async start(): Promise<void> {
    await this.#startClient();
  }

  async stop(): Promise<void> {
    this.#unsubscribe?.();
    await this.#client?.stop();
    this.#client = undefined;
    await this.#hub?.stop('app quitting');
    this.#hub = undefined;
  }

  snapshot(): ViewSnapshot {
    const base = this.#client?.snapshot() ?? {
      connection: { kind: 'idle' as const },
      entries: [],
      listVersion: 0,
      clockOffsetMs: 0,
      self: { instanceId: this.#identity.instanceId, deviceId: this.#identity.deviceId },
      gateway: { kind: 'embedded' as const, url: '' },
    };
    return { ...base, gatewayNowMs: Date.now() + base.clockOffsetMs, statusThresholds: this.#o.statusThresholds ?? DEFAULT_STATUS_THRESHOLDS };
  }

  subscribe(listener: (s: ViewSnapshot) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async refresh(): Promise<void> {
    await this.#client?.refresh();
  }

  /** Wake from sleep: beacon at once instead of waiting for the next period. */
  async beaconNow(reason: string): Promise<void> {
    await this.#client?.beaconNow(reason);
  }

  getSettings(): PublicSettings {
    const s = this.#settings.read();
    return {
      gatewayUrl: s.gatewayUrl,
      authKind: s.authKind,
      hasSecret: this.#o.secrets.load() !== undefined,
      secretStorage: this.#o.secrets.kind,
      beaconIntervalSeconds: s.beaconIntervalSeconds,
      shareActivity: s.shareActivity,
      gatewaySource: this.#source,
    };
  }

  /** Validates what the renderer sent, saves it, and reconnects when the gateway changed. */
  async saveSettings(raw: unknown): Promise<SaveResult> {
    const parsed = SettingsUpdateSchema.safeParse(raw);
    if (!parsed.success) return { ok: false, error: `invalid settings: ${describeIssues(parsed.error)}` };
    const update: SettingsUpdate = parsed.data;
    const current = this.#settings.read();
    let gatewayUrl = current.gatewayUrl;
    if (update.gatewayUrl !== undefined) {
      if (update.gatewayUrl.trim() === '') gatewayUrl = '';
      else {
        const checked = validateGatewayUrl(update.gatewayUrl);
        if (!checked.ok) return { ok: false, error: checked.error };
        gatewayUrl = checked.url;
      }
    }
    const next: StoredSettings = {
      gatewayUrl,
      authKind: update.authKind ?? current.authKind,
      beaconIntervalSeconds: update.beaconIntervalSeconds ?? current.beaconIntervalSeconds,
      shareActivity: update.shareActivity ?? current.shareActivity,
    };
    this.#settings.write(next);
    if (update.secret === null) this.#o.secrets.clear();
    else if (update.secret !== undefined && update.secret !== '') this.#o.secrets.save(update.secret);
    const reconnect = next.gatewayUrl !== current.gatewayUrl || next.authKind !== current.authKind || update.secret !== undefined;
    if (reconnect) await this.#startClient();
    else this.#client?.updatePreferences({ shareActivity: next.shareActivity, beaconIntervalMs: next.beaconIntervalSeconds * 1000 });
    return { ok: true, settings: this.getSettings() };
  }

  #chooseGateway(s: StoredSettings): GatewayChoice | undefined {
    const secret = this.#o.secrets.load();
    const auth = s.authKind === 'password' ? { password: secret } : { token: secret };
    return resolveGateway({ url: s.gatewayUrl || undefined, ...auth }, this.#o.env ?? process.env, this.#o.home);
  }

  async #startClient(): Promise<void> {
    this.#unsubscribe?.();
    await this.#client?.stop();
    const settings = this.#settings.read();
    const choice = this.#chooseGateway(settings);
    let target: { url: string; token?: string; password?: string; kind: 'embedded' | 'remote' };
    if (choice) {
      await this.#hub?.stop('switched to another gateway');
      this.#hub = undefined;
      this.#source = choice.source;
      target = { url: choice.url, token: choice.token, password: choice.password, kind: 'remote' };
    } else {
      this.#source = 'embedded';
      if (!this.#hub) {
        // Loopback only, no token: nothing outside this machine can reach it.
        this.#hub = new GatewayServer({ self: localSelfInfo(), port: this.#o.embeddedPort ?? 0, dataDir: `${this.#o.dataDir}/gateway`, log: this.#o.log });
        await this.#hub.start();
      }
      target = { url: this.#hub.url, kind: 'embedded' };
    }
    const client = new PresenceClient({
      gateway: target,
      identity: this.#identity,
      version: appVersion(),
      hostInfo: this.#o.hostInfo ?? readHostInfo,
      idleSeconds: this.#o.idleSeconds,
      shareActivity: settings.shareActivity,
      beaconIntervalMs: this.#o.clientOverrides?.beaconIntervalMs ?? settings.beaconIntervalSeconds * 1000,
      pollIntervalMs: this.#o.clientOverrides?.pollIntervalMs,
      backoff: this.#o.clientOverrides?.backoff,
      log: this.#o.log,
    });
    this.#client = client;
    this.#unsubscribe = client.subscribe(() => this.#emit());
    client.start();
    this.#emit();
  }

  #emit(): void {
    const snapshot = this.snapshot();
    for (const listener of this.#listeners) listener(snapshot);
  }
}
