/** Ids for gateways added in Settings: short, stable, never reused while the list holds them. */
import { randomBytes } from 'node:crypto';

export function newGatewayId(taken: ReadonlySet<string>): string {
  for (;;) {
    const id = `gw-${randomBytes(4).toString('hex')}`;
    if (!taken.has(id)) return id;
  }
}
