/**
 * Runs a small OS tool without blocking the event loop: async, with a timeout
 * and a small output cap, and tells "not installed" apart from "failed" so a
 * missing tool is asked once, not every few seconds.
 */
import { execFile } from 'node:child_process';

export type ToolResult = { readonly ok: true; readonly stdout: string } | { readonly ok: false; readonly missing: boolean };

export type RunTool = (command: string, args: readonly string[], env: NodeJS.ProcessEnv) => Promise<ToolResult>;

export const TOOL_TIMEOUT_MS = 2_000;

export const runTool: RunTool = (command, args, env) =>
  new Promise((resolve) => {
    execFile(command, args, { env, timeout: TOOL_TIMEOUT_MS, maxBuffer: 64 * 1024, windowsHide: true, encoding: 'utf8' }, (err, stdout) => {
      if (err) resolve({ ok: false, missing: (err as NodeJS.ErrnoException).code === 'ENOENT' });
      else resolve({ ok: true, stdout });
    });
  });
