/**
 * The app's core, shared by the Electron main process and the browser shell:
 * settings, the gateway choice (configured, environment, local OpenClaw
 * config, or our built-in gateway), and the presence client's lifecycle.
 * Plain Node: the shells supply the data folder, the secret store and the
 * OS idle time.
 */
import { DEFAULT_STATUS_THRESHOLDS, type StatusThresholds } from '../../shared/presence/status.js';
import type { PublicSettings, SaveResult, SettingsUpdate, ViewSnapshot } from '../../shared/ipc/contract.js';
import { MachineKeySchema, SettingsUpdateSchema } from '../../shared/ipc/contract.js';
import type { MachineHistory } from '../../shared/view/machines.js';
import { describeIssues } from '../../shared/protocol/frames.js';
import { redactUrl } from '../../shared/format/redact-url.js';
import { Emitter, logListenerError } from '../../shared/events/emitter.js';
import { resolveGateway, validateGatewayUrl, type GatewayChoice } from '../client/gateway-config.js';
import { loadOrCreateIdentity, type ClientIdentity } from '../client/identity.js';
import { PresenceClient } from '../client/presence-client.js';
import { HubServer } from '../hub/hub-server.js';
import { localSelfInfo } from '../hub/self-info.js';
import { appVersion } from '../system/app-version.js';
import { readHostInfo, type HostInfo } from '../system/host-info.js';
import { BoundSecret, SettingsStore, type SecretStore, type StoredSettings } from './settings-store.js';
import { HistoryRecorder } from './history-recorder.js';

export interface InstancesServiceOptions {
  readonly dataDir: string;
  readonly secrets: SecretStore;
  readonly idleSeconds: () => number | undefined;
  readonly env?: NodeJS.ProcessEnv;
  /** Home folder for finding a local OpenClaw config (tests point it elsewhere). */
  readonly home?: string;
  /** Port for the built-in gateway (0: any free port). */
  readonly embeddedPort?: number;
  readonly statusThresholds?: StatusThresholds;
  readonly hostInfo?: () => HostInfo;
  readonly clientOverrides?: { beaconIntervalMs?: number; pollIntervalMs?: number; backoff?: { baseMs: number; maxMs: number } };
  readonly log?: (line: string) => void;
}

export class InstancesService {
  readonly #o: InstancesServiceOptions;
  readonly #settings: SettingsStore;
  readonly #secret: BoundSecret;
  readonly #identity: ClientIdentity;
  readonly #listeners: Emitter<[snapshot: ViewSnapshot]>;
  #client?: PresenceClient;
  #hub?: HubServer;
  #source: PublicSettings['gatewaySource'] = 'embedded';
  #unsubscribe?: () => void;
  /** Why the configured gateway can't be used (a URL with a password in it): shown instead of connecting. */
  #configError?: { url: string; reason: string };
  /**
   * Start, stop and every settings change run one after another (issue 12, V8):
   * each waits for the previous one to finish closing its client, so there is
   * never more than one client, and the old one is gone before the new one starts.
   */
  #queue: Promise<unknown> = Promise.resolve();

  readonly #history: HistoryRecorder;

  constructor(options: InstancesServiceOptions) {
    this.#o = options;
    this.#listeners = new Emitter(logListenerError(options.log ?? (() => {}), 'a window snapshot'));
    this.#history = new HistoryRecorder({ dataDir: options.dataDir, log: options.log, onChange: () => this.#emit() });
    this.#settings = new SettingsStore(options.dataDir, options.log);
    this.#secret = new BoundSecret(options.secrets);
    this.#identity = loadOrCreateIdentity(options.dataDir, options.log);
  }

  get identity(): ClientIdentity {
    return this.#identity;
  }

  /** The built-in gateway, when it is the one in use. */
  get hub(): HubServer | undefined {
    return this.#hub;
  }

  start(): Promise<void> {
    return this.#serial(async () => {
      this.#history.open();
      this.#secret.pinLegacy(this.#settings.read().gatewayUrl);
      await this.#startClient();
    });
  }

  stop(): Promise<void> {
    return this.#serial(async () => {
      await this.#stopClient();
      await this.#hub?.stop('app quitting');
      this.#hub = undefined;
      this.#history.close();
    });
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => {});
    return run;
  }

  snapshot(): ViewSnapshot {
    const base = this.#client?.snapshot() ?? {
      connection: this.#configError
        ? { kind: 'failed' as const, url: this.#configError.url, reason: this.#configError.reason, action: 'Fix the gateway URL in Settings or OPENCLAW_GATEWAY_URL.' }
        : { kind: 'idle' as const },
      entries: [],
      listVersion: 0,
      clockOffsetMs: 0,
      self: { instanceId: this.#identity.instanceId, deviceId: this.#identity.deviceId },
      gateway: this.#configError ? { kind: 'remote' as const, url: this.#configError.url } : { kind: 'embedded' as const, url: '' },
    };
    // The window shows and copies these URLs: never with a secret in them (issue 12, V9).
    const connection = 'url' in base.connection ? { ...base.connection, url: redactUrl(base.connection.url) } : base.connection;
    const gateway = { ...base.gateway, url: redactUrl(base.gateway.url) };
    const remembered = this.#history.remembered;
    return { ...base, connection, gateway, ...(remembered ? { remembered } : {}), gatewayNowMs: Date.now() + base.clockOffsetMs, statusThresholds: this.#o.statusThresholds ?? DEFAULT_STATUS_THRESHOLDS };
  }

  subscribe(listener: (s: ViewSnapshot) => void): () => void {
    return this.#listeners.on(listener);
  }

  async refresh(): Promise<void> {
    await this.#client?.refresh();
  }

  /** Wake from sleep: beacon at once instead of waiting for the next period. */
  async beaconNow(reason: string): Promise<void> {
    await this.#client?.beaconNow(reason);
  }

  /** A machine's last 24 hours from history (history-recorder.ts). */
  async getMachineHistory(raw: unknown): Promise<MachineHistory> {
    return this.#history.history(MachineKeySchema.parse(raw));
  }

  /** Drops a machine from history: its Gone row disappears. */
  async forgetMachine(raw: unknown): Promise<void> {
    this.#history.forget(MachineKeySchema.parse(raw));
  }

  getSettings(): PublicSettings {
    const s = this.#settings.read();
    return {
      gatewayUrl: s.gatewayUrl,
      authKind: s.authKind,
      hasSecret: this.#secret.loadFor(s.gatewayUrl, s.gatewayUrl) !== undefined,
      secretStorage: this.#secret.kind,
      beaconIntervalSeconds: s.beaconIntervalSeconds,
      shareActivity: s.shareActivity,
      gatewaySource: this.#source,
    };
  }

  /**
   * Validates what the renderer sent, saves it, and reconnects when the gateway
   * changed. Both shells (Electron IPC and the browser shell's socket) come here.
   * A saved secret stays with the URL it was saved for: a new URL without a new
   * secret forgets it (issue 12, V1).
   */
  saveSettings(raw: unknown): Promise<SaveResult> {
    const parsed = SettingsUpdateSchema.safeParse(raw);
    if (!parsed.success) return Promise.resolve({ ok: false, error: `invalid settings: ${describeIssues(parsed.error)}` });
    return this.#serial(() => this.#save(parsed.data));
  }

  async #save(update: SettingsUpdate): Promise<SaveResult> {
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
    const urlChanged = next.gatewayUrl !== current.gatewayUrl;
    const newSecret = update.secret !== undefined && update.secret !== null && update.secret !== '' ? update.secret : undefined;
    // Forget first, then point at the new URL: a crash in between leaves no secret, never a secret on the wrong URL.
    if (update.secret === null || (urlChanged && newSecret === undefined)) this.#secret.clear();
    this.#settings.write(next);
    if (newSecret !== undefined) this.#secret.save(next.gatewayUrl, newSecret);
    const reconnect = urlChanged || next.authKind !== current.authKind || update.secret !== undefined;
    if (reconnect) await this.#startClient();
    else this.#client?.updatePreferences({ shareActivity: next.shareActivity, beaconIntervalMs: next.beaconIntervalSeconds * 1000 });
    return { ok: true, settings: this.getSettings() };
  }

  #chooseGateway(s: StoredSettings): GatewayChoice | undefined {
    // Only ever the secret saved for this very URL; the environment and OpenClaw's config bring their own.
    const secret = this.#secret.loadFor(s.gatewayUrl, s.gatewayUrl);
    const auth = s.authKind === 'password' ? { password: secret } : { token: secret };
    return resolveGateway({ url: s.gatewayUrl || undefined, ...auth }, this.#o.env ?? process.env, this.#o.home);
  }

  /** Closes the current client and waits until its socket is gone. */
  async #stopClient(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    const old = this.#client;
    this.#client = undefined;
    await old?.stop();
  }

  async #startClient(): Promise<void> {
    await this.#stopClient();
    this.#configError = undefined;
    const settings = this.#settings.read();
    const choice = this.#chooseGateway(settings);
    let target: { url: string; token?: string; password?: string; kind: 'embedded' | 'remote' };
    if (choice?.invalid !== undefined) {
      // Refused before any socket opens: nothing is sent to a URL we won't use.
      await this.#hub?.stop('switched to another gateway');
      this.#hub = undefined;
      this.#source = choice.source;
      this.#configError = { url: choice.url, reason: `The gateway URL can't be used: ${choice.invalid}.` };
      this.#o.log?.(`not connecting: ${choice.invalid} (${choice.url})`);
      this.#emit();
      return;
    }
    if (choice) {
      await this.#hub?.stop('switched to another gateway');
      this.#hub = undefined;
      this.#source = choice.source;
      target = { url: choice.url, token: choice.token, password: choice.password, kind: 'remote' };
    } else {
      this.#source = 'embedded';
      if (!this.#hub) {
        // Loopback only, no token: nothing outside this machine can reach it.
        this.#hub = new HubServer({ self: localSelfInfo(), port: this.#o.embeddedPort ?? 0, dataDir: `${this.#o.dataDir}/gateway`, log: this.#o.log });
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
    this.#listeners.emit(snapshot);
    // After the windows have it: recording never holds up a push.
    this.#history.observe(snapshot);
  }
}
