/**
 * Which browser pages may open a WebSocket to our gateway (issue 12, V3).
 *
 * The same three ways in as the real gateway's `checkBrowserOrigin`
 * (openclaw 2026.9.6, `src/gateway/origin-check.ts`): an allowlisted origin,
 * the same origin as the request's Host when that host is a trusted one, or a
 * loopback origin from a loopback client. A request without `Origin` is not a
 * browser page (browsers always send it on a WebSocket handshake) and passes.
 * Pure: the caller hands in the headers and the socket's address.
 */
import { isIP } from 'node:net';
import { isLoopbackAddress } from '../../shared/presence/loopback.js';

export interface OriginRequest {
  /** The `Origin` header, if any. */
  readonly origin?: string;
  /** The `Host` header. */
  readonly host?: string;
  /** The TCP peer's address. */
  readonly remoteAddress?: string;
  /** True when the request carries `Forwarded`, `X-Forwarded-*` or `X-Real-IP`: a proxy sits between. */
  readonly forwarded?: boolean;
}

export type OriginDecision =
  | { readonly ok: true; readonly matchedBy: 'no-origin' | 'allowlist' | 'same-origin' | 'local-loopback' }
  | { readonly ok: false; readonly reason: string };

interface ParsedOrigin {
  readonly origin: string;
  readonly host: string;
  readonly hostname: string;
}

/** `scheme://host[:port]` only: no path, no credentials, not `null` (sandboxed or file pages). */
function parseOrigin(raw: string): ParsedOrigin | undefined {
  const trimmed = raw.trim();
  if (!trimmed || trimmed === 'null' || !/^[a-z][a-z0-9+.-]*:\/\/[^/?#\\]+\/?$/i.test(trimmed)) return undefined;
  try {
    const url = new URL(trimmed);
    if (url.username || url.password || !url.host) return undefined;
    const origin = url.origin === 'null' ? `${url.protocol}//${url.host}` : url.origin;
    return { origin: origin.toLowerCase(), host: url.host.toLowerCase(), hostname: unbracket(url.hostname.toLowerCase()) };
  } catch {
    return undefined;
  }
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** The host name of a Host header, keeping an unbracketed IPv6 address whole. */
function hostNameOf(hostHeader: string): string {
  const host = hostHeader.trim().toLowerCase();
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end === -1 ? host : host.slice(1, end);
  }
  if (isIP(host) === 6) return host;
  return host.split(':')[0] ?? '';
}

function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || isLoopbackAddress(hostname);
}

function isPrivateOrLoopbackIp(ip: string): boolean {
  if (isLoopbackAddress(ip)) return true;
  const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  if (isIP(v4) === 4) {
    const [a = 0, b = 0] = v4.split('.').map(Number);
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  return /^f[cd][0-9a-f]{2}:/.test(ip) || /^fe[89ab][0-9a-f]:/.test(ip);
}

/**
 * A same-origin page is trusted only on a host an outside site cannot take over
 * by DNS rebinding: loopback (from a loopback client), a private IP literal, or
 * a `.local` / `.ts.net` name, as the real gateway decides.
 */
function isTrustedSameOriginHost(hostname: string, isLocalClient: boolean): boolean {
  if (!hostname) return false;
  if (isLoopbackHost(hostname)) return isLocalClient;
  if (isIP(hostname) !== 0) return isPrivateOrLoopbackIp(hostname);
  return hostname.endsWith('.local') || hostname.endsWith('.ts.net');
}

/** Normalises allowlist entries (`--allow-origin`) the way origins are compared; refuses anything that is not an origin. */
export function normalizeAllowedOrigin(raw: string): string {
  if (raw.trim() === '*') return '*';
  const parsed = parseOrigin(raw);
  if (!parsed) throw new Error(`not an origin: "${raw}" (expected scheme://host[:port], e.g. http://127.0.0.1:5178)`);
  return parsed.origin;
}

export function checkBrowserOrigin(request: OriginRequest, allowedOrigins: readonly string[] = []): OriginDecision {
  if (request.origin === undefined) return { ok: true, matchedBy: 'no-origin' };
  const parsed = parseOrigin(request.origin);
  if (!parsed) return { ok: false, reason: 'origin missing or invalid' };
  const allow = new Set(allowedOrigins.map((o) => o.trim().toLowerCase()));
  if (allow.has('*') || allow.has(parsed.origin)) return { ok: true, matchedBy: 'allowlist' };
  const isLocalClient = !request.forwarded && isLoopbackAddress(request.remoteAddress);
  const requestHost = request.host?.trim().toLowerCase();
  if (requestHost && parsed.host === requestHost && isTrustedSameOriginHost(hostNameOf(requestHost), isLocalClient)) {
    return { ok: true, matchedBy: 'same-origin' };
  }
  if (isLocalClient && isLoopbackHost(parsed.hostname)) return { ok: true, matchedBy: 'local-loopback' };
  return { ok: false, reason: 'origin not allowed' };
}

/** Whether request headers show a proxy in between (then the socket's loopback address proves nothing). */
export function hasForwardingHeaders(headers: Readonly<Record<string, unknown>>): boolean {
  return Object.keys(headers).some((name) => {
    const n = name.toLowerCase();
    return n === 'forwarded' || n === 'x-real-ip' || n.startsWith('x-forwarded-');
  });
}
