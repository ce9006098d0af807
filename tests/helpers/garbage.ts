/**
 * Hostile frames for the reliability suite, from a seeded generator so a
 * failure can be replayed: bad JSON, wrong types, huge strings, deep nesting,
 * and well-formed envelopes around malformed presence lists.
 */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function hostileFrame(random: () => number, i: number): string {
  const pick = Math.floor(random() * 12);
  switch (pick) {
    case 0:
      return '{"type":"event","event":"presence","payload":{"presence":[{"host":"x"'; // truncated
    case 1:
      return String(random());
    case 2:
      return JSON.stringify({ type: 'event', event: 42, payload: null });
    case 3:
      return JSON.stringify({ type: 'event', event: 'presence', seq: -1, payload: { presence: 'not a list' } });
    case 4:
      return JSON.stringify({ type: 'event', event: 'presence', payload: { presence: [{ host: 'h'.repeat(300_000), ts: 1 }] } });
    case 5:
      return '['.repeat(5_000) + ']'.repeat(5_000);
    case 6:
      return JSON.stringify({ type: 'res', id: String(i), ok: 'yes' });
    case 7:
      return JSON.stringify({ type: 'event', event: 'presence', payload: { presence: [{ host: 'bad', ts: 'yesterday', lastInputSeconds: -5 }] } });
    case 8:
      return JSON.stringify({ type: 'event', event: 'tick', payload: { ts: 'soon' } });
    case 9:
      return JSON.stringify({ type: 'req', id: '1', method: 'evil', params: {} });
    case 10:
      return JSON.stringify({ type: 'event', event: 'presence', payload: { presence: new Array(30_000).fill({ ts: 1 }) } });
    default:
      return Buffer.from(Array.from({ length: 64 }, () => Math.floor(random() * 256))).toString('latin1');
  }
}
