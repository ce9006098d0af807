/**
 * Whether an address is loopback. A client behind an SSH tunnel arrives from
 * 127.0.0.1, which says nothing about where it really is, so such an address
 * never overwrites an IP the client reported itself.
 */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.trim().toLowerCase();
  if (a === '::1' || a === '0:0:0:0:0:0:0:1' || a === 'localhost') return true;
  const v4 = a.startsWith('::ffff:') ? a.slice('::ffff:'.length) : a;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}
