/**
 * The schemas a bridge call's argument must pass, by the name a row of the
 * bridge table gives (`bridge.ts`), and the one check both shells run where a
 * call arrives (the Electron IPC handler, the browser shell's socket). Kept
 * apart from the table so the preload, which only forwards calls, doesn't
 * bundle zod.
 */
import { z } from 'zod';
import { describeIssues } from '../protocol/frames.js';
import { BRIDGE, type BridgeName, type CheckedArg } from './bridge.js';
import { MachineKeySchema, SettingsUpdateSchema } from './contract.js';

export const BRIDGE_ARG_SCHEMAS = {
  /** The call takes no argument: anything passed is refused rather than ignored. */
  none: z.undefined(),
  machineKey: MachineKeySchema,
  settingsUpdate: SettingsUpdateSchema,
} as const;
export type BridgeArgSchemas = typeof BRIDGE_ARG_SCHEMAS;
export type ArgSchemaName = keyof BridgeArgSchemas;

export type ArgCheck<N extends BridgeName> = { readonly ok: true; readonly arg: CheckedArg<N> } | { readonly ok: false; readonly reason: string };

/** Checks a call's argument against its row's schema; the reason says what is wrong, for the caller to read. */
export function checkBridgeArg<N extends BridgeName>(name: N, raw: unknown): ArgCheck<N> {
  const schemaName: ArgSchemaName = BRIDGE[name].arg;
  const parsed = BRIDGE_ARG_SCHEMAS[schemaName].safeParse(raw);
  if (parsed.success) return { ok: true, arg: parsed.data as CheckedArg<N> };
  return { ok: false, reason: schemaName === 'none' ? 'it takes no argument' : describeIssues(parsed.error) };
}
