/**
 * A URL as it may be shown, logged or copied: no credentials in it.
 *
 * Drops userinfo (`ws://user:secret@host` → `ws://***@host`) and hides every
 * query value (`?token=abc` → `?token=***`), since proxies and gateways take
 * secrets there too. The fragment goes. String-based on purpose: `shared/` has
 * no `URL` global, and a value that doesn't parse as a URL must still come out
 * without what looks like a secret.
 */
const SCHEME_AND_REST = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/is;

export function redactUrl(raw: string): string {
  const match = SCHEME_AND_REST.exec(raw.trim());
  if (!match) return raw.includes('@') ? '***' : raw;
  const [, scheme, authority = '', rest = ''] = match;
  const at = authority.lastIndexOf('@');
  const host = at >= 0 ? `***@${authority.slice(at + 1)}` : authority;
  const hashAt = rest.indexOf('#');
  const noFragment = hashAt >= 0 ? rest.slice(0, hashAt) : rest;
  const queryAt = noFragment.indexOf('?');
  if (queryAt < 0) return `${scheme}${host}${noFragment}`;
  const query = noFragment
    .slice(queryAt + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq >= 0 ? `${pair.slice(0, eq)}=***` : '***';
    })
    .join('&');
  return `${scheme}${host}${noFragment.slice(0, queryAt)}?${query}`;
}
