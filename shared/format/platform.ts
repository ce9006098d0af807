/**
 * Platform lines as people say them: `macos 15.1` → "macOS 15.1",
 * `linux 6.1.0-18-amd64` → "Linux 6.1", `windows 10.0.22631` → "Windows 10.0".
 */
const NAMES: Record<string, string> = {
  macos: 'macOS',
  darwin: 'macOS',
  linux: 'Linux',
  windows: 'Windows',
  win32: 'Windows',
  ios: 'iOS',
  ipados: 'iPadOS',
  android: 'Android',
  watchos: 'watchOS',
};

export function prettyPlatform(platform: string | undefined): string | undefined {
  const trimmed = platform?.trim();
  if (!trimmed) return undefined;
  const [first = '', ...rest] = trimmed.split(/\s+/);
  const name = NAMES[first.toLowerCase()] ?? first;
  const version = rest.join(' ');
  if (!version) return name;
  // Kernel builds like 6.1.0-18-amd64 read as major.minor.
  const short = /^(\d+)\.(\d+)/.exec(version);
  const shown = name === 'Linux' && short ? `${short[1]}.${short[2]}` : name === 'Windows' && short ? `${short[1]}.${short[2]}` : version;
  return `${name} ${shown}`;
}
