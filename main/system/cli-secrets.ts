/**
 * Where the CLIs get the gateway token or password without showing it to other
 * users of the machine.
 *
 * A command-line argument is in the process list: any local user reads it with
 * `ps` (or /proc/PID/cmdline). The environment (/proc/PID/environ) and a 0600
 * file are readable only by the same user and root. So the order is: `--token-file`
 * / `--password-file`, then `--token` / `--password` (still accepted, with a
 * warning), then `OPENCLAW_GATEWAY_TOKEN` / `OPENCLAW_GATEWAY_PASSWORD`.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

export interface CliSecretArgs {
  readonly token?: string;
  readonly 'token-file'?: string;
  readonly password?: string;
  readonly 'password-file'?: string;
}

export interface CliSecrets {
  readonly token?: string;
  readonly password?: string;
}

export type CliSecretsResult = ({ readonly ok: true } & CliSecrets) | { readonly ok: false; readonly error: string };

/** The `parseArgs` options for {@link resolveCliSecrets}, shared by the CLIs. */
export const CLI_SECRET_OPTIONS = {
  token: { type: 'string' },
  'token-file': { type: 'string' },
  password: { type: 'string' },
  'password-file': { type: 'string' },
} as const;

/** Usage lines for those options. */
export const CLI_SECRET_USAGE = `  --token-file F    read the gateway token from file F (or set OPENCLAW_GATEWAY_TOKEN)
  --password-file F read the gateway password from file F (or OPENCLAW_GATEWAY_PASSWORD)
  --token T, --password P  also work, but other users can read them with ps`;

type Kind = 'token' | 'password';

const ENV: Record<Kind, string> = { token: 'OPENCLAW_GATEWAY_TOKEN', password: 'OPENCLAW_GATEWAY_PASSWORD' };

/** A secret is a line; anything bigger is the wrong file (the real OpenClaw CLI caps at 16 KiB too). */
const MAX_SECRET_FILE_BYTES = 16 * 1024;

/**
 * Opens without following a symlink (as the real OpenClaw CLI's secret files do:
 * a link someone else can repoint is not "the file I named") and reads at most
 * the cap from a regular file, so a FIFO or a device cannot hang or flood us.
 */
function readBounded(file: string, kind: Kind): { text: string; mode: number } {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new Error(`refusing the ${kind} file ${file}: it is a symbolic link`);
    throw new Error(`could not read the ${kind} file ${file}: ${code ?? (err as Error).message}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error(`refusing the ${kind} file ${file}: not a regular file`);
    if (st.size > MAX_SECRET_FILE_BYTES) throw new Error(`the ${kind} file ${file} is too big (${st.size} bytes) to hold a ${kind}`);
    const buf = Buffer.alloc(MAX_SECRET_FILE_BYTES);
    let length = 0;
    for (let n; length < buf.length && (n = readSync(fd, buf, length, buf.length - length, null)) > 0; ) length += n;
    return { text: buf.subarray(0, length).toString('utf8'), mode: st.mode & 0o777 };
  } finally {
    closeSync(fd);
  }
}

function readSecretFile(file: string, kind: Kind, warn: (line: string) => void): string {
  const { text, mode } = readBounded(file, kind);
  // `echo T > file` leaves a newline; a secret never ends in whitespace.
  const secret = text.replace(/[\r\n\s]+$/, '');
  if (!secret) throw new Error(`the ${kind} file ${file} is empty`);
  if (secret.includes('\n')) throw new Error(`the ${kind} file ${file} has more than one line; it should hold the ${kind} alone`);
  if (process.platform !== 'win32') {
    if ((mode & 0o077) !== 0) warn(`warning: ${file} can be read by other users (mode ${mode.toString(8)}); run chmod 600 ${file}`);
  }
  return secret;
}

function resolveOne(kind: Kind, fromArg: string | undefined, file: string | undefined, env: NodeJS.ProcessEnv, warn: (line: string) => void): string | undefined {
  if (file !== undefined) {
    if (fromArg !== undefined) throw new Error(`give --${kind} or --${kind}-file, not both`);
    return readSecretFile(file, kind, warn);
  }
  if (fromArg !== undefined) {
    warn(`warning: --${kind} is visible to every user of this machine (ps, /proc); use --${kind}-file or ${ENV[kind]} instead`);
    return fromArg;
  }
  return env[ENV[kind]] || undefined;
}

/**
 * The token and password from the CLI's arguments, files and environment, with
 * a warning through `warn` for each one given on the command line.
 */
export function resolveCliSecrets(args: CliSecretArgs, env: NodeJS.ProcessEnv, warn: (line: string) => void): CliSecretsResult {
  try {
    const token = resolveOne('token', args.token, args['token-file'], env, warn);
    const password = resolveOne('password', args.password, args['password-file'], env, warn);
    return { ok: true, token, password };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}
