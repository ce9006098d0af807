/**
 * Which `Host` and `Origin` the browser shell answers (issue 12, V4): exactly
 * the loopback names for its own port. Anything else, including a name that
 * merely resolves to 127.0.0.1 (DNS rebinding, a search domain, LLMNR), is a
 * different site as far as the browser is concerned and must not get the page
 * or the socket.
 */

/** The exact `Host` values for a server on loopback port `port`. */
export function allowedHosts(port: number): readonly string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
}

export function isAllowedHost(host: string | undefined, port: number): boolean {
  return host !== undefined && port > 0 && allowedHosts(port).includes(host.toLowerCase());
}

/** An `Origin` header naming one of those hosts over plain http. */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  if (!origin || !origin.startsWith('http://')) return false;
  return isAllowedHost(origin.slice('http://'.length), port);
}
