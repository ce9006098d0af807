/**
 * Facts about this machine that presence entries carry: host name, primary
 * IPv4, platform line, device family and model.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface HostInfo {
  readonly host: string;
  readonly ip?: string;
  /** e.g. `linux 6.1.0-18-amd64`, `macos 15.1`, `windows 10.0.22631`. */
  readonly platform: string;
  readonly deviceFamily: string;
  readonly modelIdentifier?: string;
}

type Interfaces = ReturnType<typeof os.networkInterfaces>;

/**
 * The primary non-internal IPv4: `en0` or `eth0` when they have one (the
 * interfaces a person means by "my IP"), else the first other one.
 */
export function primaryIPv4(interfaces: Interfaces = os.networkInterfaces()): string | undefined {
  const firstV4 = (name: string) => interfaces[name]?.find((n) => n.family === 'IPv4' && !n.internal)?.address;
  for (const preferred of ['en0', 'eth0']) {
    const address = firstV4(preferred);
    if (address) return address;
  }
  for (const name of Object.keys(interfaces)) {
    const address = firstV4(name);
    if (address) return address;
  }
  return undefined;
}

export function deviceFamilyFor(platform: NodeJS.Platform): string {
  switch (platform) {
    case 'darwin':
      return 'Mac';
    case 'win32':
      return 'Windows';
    case 'linux':
      return 'Linux';
    default:
      return platform;
  }
}

function quiet(command: string, args: string[]): string | undefined {
  try {
    const out = execFileSync(command, args, { encoding: 'utf8', timeout: 2000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return out || undefined;
  } catch {
    return undefined;
  }
}

function readQuietly(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function platformLine(): string {
  const release = os.release();
  switch (process.platform) {
    case 'darwin':
      return `macos ${quiet('sw_vers', ['-productVersion']) ?? release}`;
    case 'win32':
      return `windows ${release}`;
    default:
      return `${process.platform} ${release}`;
  }
}

function modelIdentifier(): string | undefined {
  if (process.platform === 'darwin') return quiet('sysctl', ['-n', 'hw.model']);
  // Linux exposes the machine model to unprivileged users here; fall back to the CPU arch.
  if (process.platform === 'linux') {
    const product = readQuietly('/sys/devices/virtual/dmi/id/product_name');
    if (product && !/^(to be filled|system product name|default string)/i.test(product)) return product;
  }
  return os.arch();
}

let cached: Omit<HostInfo, 'ip'> | undefined;

/** Reads host facts; the slow parts (model, OS version) once, the IP every call. */
export function readHostInfo(): HostInfo {
  cached ??= {
    host: os.hostname(),
    platform: platformLine(),
    deviceFamily: deviceFamilyFor(process.platform),
    modelIdentifier: modelIdentifier(),
  };
  const ip = primaryIPv4();
  return ip ? { ...cached, host: os.hostname(), ip } : { ...cached, host: os.hostname() };
}
