/** Which icon a row gets, from deviceFamily, then platform, then mode. */
export type DeviceKind = 'gateway' | 'mac' | 'windows' | 'linux' | 'phone' | 'browser' | 'server' | 'unknown';

export function deviceKind(e: { deviceFamily?: string; platform?: string; mode?: string }): DeviceKind {
  if (e.mode === 'gateway') return 'gateway';
  const text = `${e.deviceFamily ?? ''} ${e.platform ?? ''}`.toLowerCase();
  if (/\b(mac|macos|darwin)\b/.test(text)) return 'mac';
  if (/\b(windows|win32)\b/.test(text)) return 'windows';
  if (/\b(iphone|ipad|ios|android|watch)/.test(text)) return 'phone';
  if (/\blinux\b/.test(text)) return e.mode === 'node' || e.mode === 'backend' ? 'server' : 'linux';
  if (e.mode === 'webchat') return 'browser';
  if (e.mode === 'node' || e.mode === 'backend') return 'server';
  return 'unknown';
}
