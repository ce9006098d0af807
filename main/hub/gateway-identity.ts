/**
 * The built-in gateway's own stable id: a UUID made once and kept in its data
 * folder, so its row keeps one `instanceId` across restarts (the seed's
 * stable-id rule; the real gateway 2026.9.6 makes a new one at each start).
 * Without a data folder (tests, benchmarks) the id lives as long as the process.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { moveAside, readPrivateText, writePrivateJson } from '../system/data-files.js';

const IDENTITY_FILE = 'gateway-identity.json';

const IdentityFileSchema = z.object({ instanceId: z.string().uuid() });

/** Reads the gateway's instance id from `dataDir`, making (and saving) one when absent or damaged. */
export function loadGatewayInstanceId(dataDir: string | undefined, log: (line: string) => void = () => {}): string {
  if (dataDir === undefined) return randomUUID();
  const file = path.join(dataDir, IDENTITY_FILE);
  const text = readPrivateText(file);
  if (text !== undefined) {
    try {
      return IdentityFileSchema.parse(JSON.parse(text)).instanceId;
    } catch (err) {
      moveAside(file, (err as Error).message.slice(0, 200), log);
    }
  }
  const instanceId = randomUUID();
  writePrivateJson(file, { instanceId });
  return instanceId;
}
