/**
 * One gateway the core watches (issue 13, item 5): the presence client, the hub
 * when the gateway is the built-in one, and the machine history for it, behind
 * one object with one snapshot. Several gateways are a list of these
 * (issue 14); nothing in a session knows about the others, so one that is down,
 * refused or waiting for approval never holds up the rest.
 */
import type { ConnectionState, InstancesSnapshot } from '../../shared/client/view-state.js';
import type { GatewayView } from '../../shared/ipc/contract.js';
import type { MachineHistory } from '../../shared/view/machines.js';
import { redactUrl } from '../../shared/format/redact-url.js';
import { nameShowsAddress } from '../../shared/settings/schema.js';
import type { ClientIdentity } from '../client/identity.js';
import { PresenceClient } from '../client/presence-client.js';
import { HubServer } from '../hub/hub-server.js';
import { localSelfInfo } from '../hub/self-info.js';
import type { HostInfo } from '../system/host-info.js';
import type { BackoffPolicy } from '../client/backoff.js';
import type { HistoryDatabase } from './history-database.js';
import { HistoryRecorder } from './history-recorder.js';
import type { GatewayPlan } from './gateway-plan.js';

export interface SessionPreferences {
  readonly shareActivity: boolean;
  readonly beaconIntervalMs: number;
}

export interface GatewaySessionDeps {
  readonly identity: ClientIdentity;
  readonly version: string;
  readonly hostInfo: () => HostInfo;
  readonly idleSeconds: () => number | undefined;
  /** Where the hub keeps its files (built-in gateway only). */
  readonly hubDataDir: string;
  readonly hubPort?: number;
  readonly history: HistoryDatabase;
  /** The core's clock. */
  readonly clock: () => number;
  readonly clientOverrides?: { beaconIntervalMs?: number; pollIntervalMs?: number; backoff?: BackoffPolicy };
  readonly log?: (line: string) => void;
}

export class GatewaySession {
  #plan: GatewayPlan;
  readonly #deps: GatewaySessionDeps;
  readonly #notify: () => void;
  /** The last view made, until something in it changes: an unchanged gateway hands out the same object, and the stream skips it. */
  #view?: GatewayView;
  /** The last view handed to the history recorder. */
  #recorded?: GatewayView;
  readonly #history: HistoryRecorder;
  #client?: PresenceClient;
  #hub?: HubServer;
  #unsubscribe?: () => void;
  #prefs: SessionPreferences;
  #stopped = false;

  constructor(plan: GatewayPlan, prefs: SessionPreferences, deps: GatewaySessionDeps, onChange: () => void) {
    this.#plan = plan;
    this.#prefs = prefs;
    this.#deps = deps;
    this.#notify = onChange;
    this.#history = new HistoryRecorder({ database: deps.history, clock: deps.clock, onChange: () => this.#onChange() });
  }

  get id(): string {
    return this.#plan.id;
  }

  get plan(): GatewayPlan {
    return this.#plan;
  }

  /** The hub, when this session runs the built-in gateway. */
  get hub(): HubServer | undefined {
    return this.#hub;
  }

  /** Starts the hub if this is the built-in gateway, then the client. Nothing is sent to a URL that can't be used. */
  async start(): Promise<void> {
    if (this.#plan.invalid !== undefined) {
      this.#log(`not connecting: ${this.#plan.invalid} (${redactUrl(this.#plan.url)})`);
      this.#onChange();
      return;
    }
    let url = this.#plan.url;
    if (this.#plan.kind === 'builtin') {
      // Loopback only, no token: nothing outside this machine can reach it.
      this.#hub = new HubServer({ self: localSelfInfo(), port: this.#deps.hubPort ?? 0, dataDir: this.#deps.hubDataDir, log: this.#deps.log });
      await this.#hub.start();
      url = this.#hub.url;
    }
    if (this.#stopped) return;
    const { clientOverrides: o } = this.#deps;
    const client = new PresenceClient({
      gateway: { url, token: this.#plan.token, password: this.#plan.password, kind: this.#plan.kind === 'builtin' ? 'embedded' : 'remote' },
      identity: this.#deps.identity,
      version: this.#deps.version,
      hostInfo: this.#deps.hostInfo,
      idleSeconds: this.#deps.idleSeconds,
      shareActivity: this.#prefs.shareActivity,
      beacon: this.#plan.beacon,
      beaconIntervalMs: o?.beaconIntervalMs ?? this.#prefs.beaconIntervalMs,
      pollIntervalMs: o?.pollIntervalMs,
      backoff: o?.backoff,
      log: (line) => this.#log(line),
    });
    this.#client = client;
    this.#unsubscribe = client.subscribe(() => this.#onChange());
    client.start();
    this.#onChange();
  }

  /** Closes the client (its socket is gone when this resolves), writes the history held back, and stops the hub. */
  async stop(reason: string): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    const client = this.#client;
    this.#client = undefined;
    await client?.stop();
    this.#history.close();
    await this.#hub?.stop(reason);
    this.#hub = undefined;
  }

  /** Something in this gateway's view changed: make it afresh, and tell the core. */
  #onChange(): void {
    this.#view = undefined;
    this.#notify();
  }

  /** Name, colour and preferences can change without reconnecting. */
  update(plan: GatewayPlan, prefs: SessionPreferences): void {
    if (plan.name !== this.#plan.name || plan.colour !== this.#plan.colour) this.#view = undefined;
    this.#plan = plan;
    this.#prefs = prefs;
    const o = this.#deps.clientOverrides;
    this.#client?.updatePreferences({ shareActivity: prefs.shareActivity, beaconIntervalMs: o?.beaconIntervalMs ?? prefs.beaconIntervalMs });
  }

  /** This gateway's view; the same object until something in it changes. */
  snapshot(statusThresholds: GatewayView['statusThresholds']): GatewayView {
    if (this.#view && this.#view.statusThresholds === statusThresholds) return this.#view;
    this.#view = this.#makeView(statusThresholds);
    return this.#view;
  }

  #makeView(statusThresholds: GatewayView['statusThresholds']): GatewayView {
    const base: InstancesSnapshot = this.#client?.snapshot() ?? this.#placeholder();
    // The window shows and copies these URLs: never with a secret in them (issue 12, V9).
    const connection: ConnectionState = 'url' in base.connection ? { ...base.connection, url: redactUrl(base.connection.url) } : base.connection;
    const remembered = this.#history.remembered;
    return {
      ...base,
      connection,
      gateway: { ...base.gateway, url: redactUrl(base.gateway.url) },
      ...(remembered ? { remembered } : {}),
      id: this.#plan.id,
      name: this.#plan.name,
      nameShowsAddress: nameShowsAddress(this.#plan.name, this.#plan.url),
      colour: this.#plan.colour,
      source: this.#plan.source,
      gatewayNowMs: this.#deps.clock() + base.clockOffsetMs,
      statusThresholds,
    };
  }

  /** After the windows have it: recording never holds up a push. */
  record(view: GatewayView): void {
    // A quiet gateway hands out the same view on every push (another gateway changed): nothing new to record.
    if (view === this.#recorded) return;
    this.#recorded = view;
    this.#history.observe(view);
  }

  async refresh(): Promise<void> {
    await this.#client?.refresh();
  }

  async beaconNow(reason: string): Promise<void> {
    await this.#client?.beaconNow(reason);
  }

  machineHistory(key: string): MachineHistory {
    return this.#history.history(key);
  }

  forgetMachine(key: string): void {
    this.#history.forget(key);
  }

  #placeholder(): InstancesSnapshot {
    const { identity } = this.#deps;
    const invalid = this.#plan.invalid;
    return {
      connection: invalid
        ? { kind: 'failed', url: this.#plan.url, reason: `The gateway URL can't be used: ${invalid}.`, action: 'Fix the gateway URL in Settings or OPENCLAW_GATEWAY_URL.' }
        : { kind: 'idle' },
      entries: [],
      listVersion: 0,
      clockOffsetMs: 0,
      self: { instanceId: identity.instanceId, deviceId: identity.deviceId },
      gateway: this.#plan.kind === 'builtin' ? { kind: 'embedded', url: '' } : { kind: 'remote', url: this.#plan.url },
    };
  }

  #log(line: string): void {
    this.#deps.log?.(`[${this.#plan.name}] ${line}`);
  }
}
