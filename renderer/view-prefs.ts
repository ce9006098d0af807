/**
 * How the user left the view (grouping, sort, status filter, text filter, Show
 * gone, privacy blur), kept across restarts in the page's localStorage: the
 * same origin in both shells (`app://instances`, and the browser shell's
 * loopback address). What is read back is validated field by field, so one bad
 * or old field falls back to its default without losing the rest.
 */
import { z } from 'zod';
import { MACHINE_STATUS_ORDER } from '../shared/view/machines.js';
import type { MachineSort } from '../shared/view/machine-list.js';
import type { SortOrder } from '../shared/view/rows.js';

export const PREFS_STORAGE_KEY = 'claw-instances.view.v1';

const MACHINE_SORT_COLUMNS = ['default', 'name', 'status', 'connections', 'ip', 'version', 'load', 'updated'] as const;
const CONNECTION_SORT_COLUMNS = ['updated', 'host', 'status', 'ip', 'version', 'mode', 'lastInput'] as const;
const direction = z.enum(['asc', 'desc']);

export const DEFAULT_PREFS: ViewPrefs = {
  grouping: 'machines',
  machineSort: { column: 'default', direction: 'asc' },
  connectionSort: { column: 'updated', direction: 'asc' },
  query: '',
  showGone: true,
  privacy: false,
};

const PrefsSchema = z.object({
  grouping: z.enum(['machines', 'connections']).catch(DEFAULT_PREFS.grouping),
  machineSort: z.object({ column: z.enum(MACHINE_SORT_COLUMNS), direction }).catch({ ...DEFAULT_PREFS.machineSort }),
  connectionSort: z.object({ column: z.enum(CONNECTION_SORT_COLUMNS), direction }).catch({ ...DEFAULT_PREFS.connectionSort }),
  statusFilter: z.enum(MACHINE_STATUS_ORDER as [string, ...string[]]).optional().catch(undefined),
  query: z.string().max(200).catch(''),
  showGone: z.boolean().catch(true),
  privacy: z.boolean().catch(false),
});

export interface ViewPrefs {
  readonly grouping: 'machines' | 'connections';
  readonly machineSort: MachineSort;
  readonly connectionSort: SortOrder;
  /** Only machines with this status (the toolbar's count buttons). */
  readonly statusFilter?: (typeof MACHINE_STATUS_ORDER)[number];
  readonly query: string;
  readonly showGone: boolean;
  readonly privacy: boolean;
}

/** Storage that may be missing or refuse (private mode, a full disk): both just mean defaults. */
export type PrefsStorage = Pick<Storage, 'getItem' | 'setItem'>;

export function pageStorage(): PrefsStorage | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined;
  }
}

export function loadPrefs(storage: PrefsStorage | undefined = pageStorage()): ViewPrefs {
  let raw: unknown;
  try {
    const text = storage?.getItem(PREFS_STORAGE_KEY);
    raw = text ? JSON.parse(text) : undefined;
  } catch {
    raw = undefined;
  }
  const parsed = PrefsSchema.safeParse(raw ?? {});
  if (!parsed.success) return DEFAULT_PREFS;
  const { statusFilter, ...rest } = parsed.data;
  return { ...rest, ...(statusFilter ? { statusFilter: statusFilter as ViewPrefs['statusFilter'] & string } : {}) } as ViewPrefs;
}

export function savePrefs(prefs: ViewPrefs, storage: PrefsStorage | undefined = pageStorage()): void {
  try {
    storage?.setItem(PREFS_STORAGE_KEY, JSON.stringify(prefs));
  } catch {
    // A refusing storage only means the view starts from defaults next time.
  }
}
