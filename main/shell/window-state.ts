/**
 * Remembers the window's size and position, and puts it back only where a
 * display still is (a monitor unplugged since must not strand the window).
 * The file lives in the data folder, so it goes through `data-files` like the rest.
 */
import path from 'node:path';
import { z } from 'zod';
import { readPrivateText, writePrivateJson } from '../system/data-files.js';

export interface Bounds {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

const BoundsSchema = z.object({ x: z.number().int(), y: z.number().int(), width: z.number().int().positive(), height: z.number().int().positive() });

const WINDOW_STATE_FILE = 'window-state.json';

/** The saved bounds; none when absent, damaged, or not a private regular file (a symlink). */
export function loadBounds(dataDir: string): Bounds | undefined {
  try {
    const text = readPrivateText(path.join(dataDir, WINDOW_STATE_FILE));
    return text === undefined ? undefined : BoundsSchema.parse(JSON.parse(text));
  } catch {
    // Where the window was is not worth failing a start for.
    return undefined;
  }
}

/**
 * Saves the bounds; false when the data folder refuses (a symlink, another
 * user's folder, a full disk). It runs as the window closes, where a throw
 * would become an error dialog, and losing the position is harmless.
 */
export function saveBounds(dataDir: string, bounds: Bounds): boolean {
  const { x, y, width, height } = bounds;
  try {
    writePrivateJson(path.join(dataDir, WINDOW_STATE_FILE), { x, y, width, height });
    return true;
  } catch {
    return false;
  }
}

/** The saved bounds if their top-left area is on one of the displays' work areas, else size only. */
export function restoreBounds(saved: Bounds | undefined, workAreas: readonly Bounds[]): Partial<Bounds> | undefined {
  if (!saved) return undefined;
  const visible = workAreas.some((a) => saved.x + 40 >= a.x && saved.y + 20 >= a.y && saved.x + 40 <= a.x + a.width && saved.y + 20 <= a.y + a.height);
  return visible ? saved : { width: saved.width, height: saved.height };
}
