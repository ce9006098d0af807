/** Timers a test moves by hand (`PacedTimers` and the like): time stands still until `advance`. */
export function manualTimers(startMs = 1000) {
  let now = startMs;
  let jobs: Array<{ at: number; fn: () => void; id: number }> = [];
  let ids = 0;
  return {
    timers: {
      now: () => now,
      setTimer: (fn: () => void, ms: number): unknown => {
        ids += 1;
        jobs.push({ at: now + ms, fn, id: ids });
        return ids;
      },
      clearTimer: (id: unknown) => {
        jobs = jobs.filter((j) => j.id !== id);
      },
    },
    /** Moves time on and runs what fell due, in order. */
    advance(ms: number) {
      now += ms;
      const due = jobs.filter((j) => j.at <= now).sort((a, b) => a.at - b.at);
      jobs = jobs.filter((j) => j.at > now);
      due.forEach((j) => j.fn());
    },
  };
}
