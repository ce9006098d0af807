// Pre-installs the real OpenClaw gateway for the test run (cached between runs).
import { cacheDir, ensureOpenClawInstalled } from './harness.js';

const started = Date.now();
ensureOpenClawInstalled((line) => console.log(line));
console.log(`openclaw ready in ${cacheDir()} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
