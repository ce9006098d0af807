/**
 * Beacon tags the presence rules act on. A protocol word, re-exported with the
 * others from `shared/protocol/constants.ts`; it lives here because the rule that
 * reads it (`rules.ts`) is here, and `presence/` sits below `protocol/` in the
 * folder order (tests/unit/shared/folder-graph.test.ts keeps that order a DAG).
 */

/** Beacon tag that asks the gateway to forget a previously shared idle time. */
export const CLEAR_LAST_INPUT_TAG = 'system-presence-clear-last-input';
