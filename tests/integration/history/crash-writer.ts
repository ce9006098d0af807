/**
 * A child process for the crash test: opens the history database the way the
 * app does and writes big transactions in a loop, printing `writing N` as each transaction
 * starts and `committed N` after its COMMIT returns, until it is killed.
 */
import { openHistoryDatabase } from '../../../main/history/history-db.js';
import { HistoryStore } from '../../../main/history/history-store.js';

const dataDir = process.argv[2]!;
const start = Number(process.argv[3] ?? 0);
const db = openHistoryDatabase(dataDir, (line) => process.stderr.write(`${line}\n`));
// A tiny page cache makes each transaction spill to the file (and its journal and lock) early,
// so a kill during the transaction always finds it half-written on disk, not only in memory.
db.exec('PRAGMA cache_size = 8');
const store = new HistoryStore(db);
// Big enough that a transaction takes far longer than the parent needs to see `writing N` and kill.
const ROWS = 1000;
for (let batch = start; ; batch += 1) {
  const machines = Array.from({ length: ROWS }, (_, i) => ({
    key: `b${batch}-m${i}`,
    firstSeenAtMs: 1_000 + batch,
    lastSeenAtMs: 2_000 + batch,
    status: 'active' as const,
    statusAtMs: 1_000 + batch,
    fieldsJson: JSON.stringify({ host: `host-${batch}-${i}`, pad: 'x'.repeat(200) }),
  }));
  // Said just before the transaction starts, so the test can kill inside it.
  process.stdout.write(`writing ${batch}\n`);
  store.apply('crash-gw', { machines, statusChanges: machines.map((m) => ({ key: m.key, atMs: m.statusAtMs, status: 'active' as const })), stats: [] });
  process.stdout.write(`committed ${batch}\n`);
}
