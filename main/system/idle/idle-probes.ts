/**
 * One idle-time probe per OS, each async and bounded in time: seconds since the
 * last user input, or undefined when this machine offers no way to know.
 *
 * - macOS: `ioreg` (part of the OS) reports the HID system's `HIDIdleTime`.
 * - Windows: GetLastInputInfo through one long-lived PowerShell (part of the OS
 *   since Windows 7), which compiles four lines of C# once; no native addon to
 *   build and sign per Electron version.
 * - Linux with an X11 display: the MIT-SCREEN-SAVER extension's idle counter,
 *   through `xprintidle` (apt: xprintidle) or `xssstate -i` (apt: suckless-tools).
 *   Not on a Wayland session: XWayland only sees input to X11 windows, so its
 *   counter would grow while the person types into native Wayland apps.
 * - Linux otherwise (Wayland, console, SSH): logind's IdleHint/IdleSinceHint for
 *   this session, through `loginctl`.
 */
import { parseIoregIdleSeconds, parseLogindIdleSeconds, parseMillisecondsLine } from './idle-parsers.js';
import { LineProcess } from './line-process.js';
import { runTool, type RunTool } from './run-tool.js';

export type IdleProbe = () => Promise<number | undefined>;

export interface ProbeDeps {
  readonly env?: NodeJS.ProcessEnv;
  readonly run?: RunTool;
  readonly clock?: () => number;
}

/** Runs `command` unless it was found missing before; a missing tool is asked once. */
function toolRunner(run: RunTool, env: NodeJS.ProcessEnv): (command: string, args: readonly string[]) => Promise<string | undefined> {
  const missing = new Set<string>();
  return async (command, args) => {
    if (missing.has(command)) return undefined;
    const result = await run(command, args, env);
    if (result.ok) return result.stdout;
    if (result.missing) missing.add(command);
    return undefined;
  };
}

export function macosIdleProbe(deps: ProbeDeps = {}): IdleProbe {
  const tool = toolRunner(deps.run ?? runTool, deps.env ?? process.env);
  return async () => {
    const out = await tool('/usr/sbin/ioreg', ['-c', 'IOHIDSystem', '-r', '-d', '1', '-k', 'HIDIdleTime']);
    return out === undefined ? undefined : parseIoregIdleSeconds(out);
  };
}

export function linuxIdleProbe(deps: ProbeDeps = {}): IdleProbe {
  const env = deps.env ?? process.env;
  const clock = deps.clock ?? Date.now;
  const tool = toolRunner(deps.run ?? runTool, env);
  const hasX11 = Boolean(env.DISPLAY) && env.XDG_SESSION_TYPE !== 'wayland';
  return async () => {
    if (hasX11) {
      for (const [command, args] of [['xprintidle', []], ['xssstate', ['-i']]] as const) {
        const out = await tool(command, args);
        const seconds = out === undefined ? undefined : parseMillisecondsLine(out);
        if (seconds !== undefined) return seconds;
      }
    }
    // "auto": this process's session, or else the user's display session (systemd ≥ 243).
    const session = env.XDG_SESSION_ID || 'auto';
    const out = await tool('loginctl', ['show-session', session, '-p', 'IdleHint', '-p', 'IdleSinceHint', '-p', 'Type']);
    return out === undefined ? undefined : parseLogindIdleSeconds(out, clock());
  };
}

/**
 * GetLastInputInfo's `dwTime` and `Environment.TickCount` are both milliseconds
 * since boot in 32 bits, so the difference is taken unsigned: right across the
 * 49.7-day wrap. Prints -1 when the call fails (no interactive desktop).
 */
export const WINDOWS_IDLE_SCRIPT = `
Add-Type -TypeDefinition @'
using System;
using System.Runtime.InteropServices;
public static class ClawIdle {
  [StructLayout(LayoutKind.Sequential)] struct LASTINPUTINFO { public uint cbSize; public uint dwTime; }
  [DllImport("user32.dll")] static extern bool GetLastInputInfo(ref LASTINPUTINFO info);
  public static long Milliseconds() {
    var info = new LASTINPUTINFO();
    info.cbSize = (uint)Marshal.SizeOf(info);
    if (!GetLastInputInfo(ref info)) return -1;
    return unchecked((uint)Environment.TickCount - info.dwTime);
  }
}
'@
while ($null -ne [Console]::In.ReadLine()) { [Console]::Out.WriteLine([ClawIdle]::Milliseconds()); [Console]::Out.Flush() }
`;

export function windowsIdleProbe(): IdleProbe {
  const helper = new LineProcess({
    command: 'powershell.exe',
    // -EncodedCommand (UTF-16LE base64) carries the script without any quoting to get wrong.
    args: ['-NoLogo', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', Buffer.from(WINDOWS_IDLE_SCRIPT, 'utf16le').toString('base64')],
    // The first answer waits for the C# compile.
    timeoutMs: 15_000,
  });
  return async () => {
    const line = await helper.ask();
    return line === undefined ? undefined : parseMillisecondsLine(line);
  };
}

/** The probe for this OS, or one that always says "unknown". */
export function osIdleProbe(platform: NodeJS.Platform = process.platform, deps: ProbeDeps = {}): IdleProbe {
  switch (platform) {
    case 'darwin':
      return macosIdleProbe(deps);
    case 'win32':
      return windowsIdleProbe();
    case 'linux':
    case 'freebsd':
    case 'openbsd':
      return linuxIdleProbe(deps);
    default:
      return async () => undefined;
  }
}
