/**
 * Request/answer over a child process's IPC channel, for benchmarks that keep
 * work out of the process they measure (the fleet bench's hubs and core each run
 * in their own process, so one's CPU and memory never count as the other's).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

type Message = { readonly id: number; readonly error?: string } & Record<string, unknown>;

export class ChildRpc {
  readonly child: ChildProcess;
  readonly #pending = new Map<number, { resolve: (m: Message) => void; reject: (e: Error) => void }>();
  #nextId = 1;
  #exited?: string;

  private constructor(child: ChildProcess) {
    this.child = child;
    child.on('message', (raw) => {
      const m = raw as Message;
      const waiter = this.#pending.get(m.id);
      if (!waiter) return;
      this.#pending.delete(m.id);
      if (m.error) waiter.reject(new Error(m.error));
      else waiter.resolve(m);
    });
    child.on('exit', (code, signal) => {
      this.#exited = `child exited (${code ?? signal})`;
      for (const w of this.#pending.values()) w.reject(new Error(this.#exited));
      this.#pending.clear();
    });
  }

  /** Starts `script` (a bench/*.ts module) under tsx in its own Node process. */
  static start(script: URL, args: readonly string[] = [], nodeFlags: readonly string[] = []): ChildRpc {
    const child = fork(fileURLToPath(script), [...args], { execArgv: ['--import', 'tsx', ...nodeFlags], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new ChildRpc(child);
  }

  call<T = Record<string, unknown>>(op: string, params: Record<string, unknown> = {}): Promise<T & Message> {
    if (this.#exited) return Promise.reject(new Error(this.#exited));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (m: Message) => void, reject });
      this.child.send({ id, op, ...params });
    });
  }

  /** Asks the child to stop, and waits for it to exit (killing it after `graceMs`). */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.#exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.call('stop').catch(() => undefined);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * The child's side: answers each request with its handler's result (or its error),
 * once `ready` has settled (call it before any await, so no early request is lost).
 */
export function serveRpc(handlers: Record<string, (params: Record<string, unknown>) => Promise<Record<string, unknown>> | Record<string, unknown>>, ready: Promise<unknown> = Promise.resolve()): void {
  process.on('message', (raw) => {
    const { id, op, ...params } = raw as { id: number; op: string } & Record<string, unknown>;
    const handler = handlers[op];
    const reply = (m: Record<string, unknown>) => process.send?.({ id, ...m });
    if (!handler) return void reply({ error: `unknown op ${op}` });
    ready
      .then(() => handler(params))
      .then(reply, (e: unknown) => reply({ error: e instanceof Error ? e.stack ?? e.message : String(e) }));
  });
}
