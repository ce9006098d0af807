import { describe, expect, it } from 'vitest';
import { IdleTime } from '../../../../main/system/idle/idle-time.js';
import { LineProcess } from '../../../../main/system/idle/line-process.js';
import { osIdleProbe } from '../../../../main/system/idle/idle-probes.js';

describe('IdleTime', () => {
  it('reports the latest reading, and nothing once readings stop coming', async () => {
    let now = 1_000;
    const readings: Array<number | undefined> = [12, undefined];
    const idle = new IdleTime(async () => readings.shift(), { refreshMs: 5_000, clock: () => now });
    expect(idle.latest()).toBeUndefined();
    await idle.refresh();
    expect(idle.latest()).toBe(12);
    // The probe fails now; the last value stands while it is fresh, then is withdrawn.
    now += 5_000;
    await idle.refresh();
    expect(idle.latest()).toBe(12);
    now += 11_000;
    expect(idle.latest()).toBeUndefined();
  });

  it('shares one reading between concurrent callers and survives a throwing probe', async () => {
    let calls = 0;
    const idle = new IdleTime(async () => {
      calls += 1;
      if (calls === 2) throw new Error('tool crashed');
      return calls;
    });
    await Promise.all([idle.refresh(), idle.refresh(), idle.refresh()]);
    expect(calls).toBe(1);
    await idle.refresh();
    expect(idle.latest()).toBe(1);
  });

  it('says "unknown" on an OS it has no probe for', async () => {
    expect(await osIdleProbe('aix')()).toBeUndefined();
  });
});

// A real helper process standing in for Windows' PowerShell loop: one line per question.
const COUNTER = `let n = 0; process.stdin.on('data', (d) => { for (const c of d.toString()) if (c === '\\n') process.stdout.write(String(++n) + '\\r\\n'); });`;
// Answers its first question, then hangs.
const ONCE = `process.stdin.once('data', () => process.stdout.write('ok\\n')); process.stdin.resume();`;

describe('LineProcess', () => {
  it('asks a long-lived helper one line at a time', async () => {
    const helper = new LineProcess({ command: process.execPath, args: ['-e', COUNTER], restartMs: 0 });
    try {
      expect(await helper.ask()).toBe('1');
      expect(await helper.ask()).toBe('2');
    } finally {
      helper.stop();
    }
  });

  it('starts a fresh helper after the old one is gone', async () => {
    const helper = new LineProcess({ command: process.execPath, args: ['-e', COUNTER], restartMs: 0 });
    try {
      expect(await helper.ask()).toBe('1');
      helper.stop();
      expect(await helper.ask()).toBe('1');
    } finally {
      helper.stop();
    }
  });

  it('gives up on a helper that does not answer in time, and does not restart it at once', async () => {
    let now = 0;
    const helper = new LineProcess({ command: process.execPath, args: ['-e', ONCE], timeoutMs: 3_000, restartMs: 60_000, clock: () => now });
    try {
      expect(await helper.ask()).toBe('ok');
      expect(await helper.ask()).toBeUndefined();
      // Killed for hanging; not started again within restartMs.
      now += 59_000;
      expect(await helper.ask()).toBeUndefined();
      now += 1_000;
      expect(await helper.ask()).toBe('ok');
    } finally {
      helper.stop();
    }
  });

  it('answers undefined, never throws, when the helper is not installed', async () => {
    const helper = new LineProcess({ command: 'claw-instances-no-such-helper', args: [], restartMs: 0 });
    expect(await helper.ask()).toBeUndefined();
    expect(await helper.ask()).toBeUndefined();
  });
});
