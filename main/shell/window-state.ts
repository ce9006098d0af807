/**
 * Remembers the window's size and position, and puts it back only where a
 * display still is (a monitor unplugged since must not strand the window).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export interface Bounds {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

const BoundsSchema = z.object({ x: z.number().int(), y: z.number().int(), width: z.number().int().positive(), height: z.number().int().positive() });

export function loadBounds(dataDir: string): Bounds | undefined {
  try {
    return BoundsSchema.parse(JSON.parse(readFileSync(path.join(dataDir, 'window-state.json'), 'utf8')));
  } catch {
    return undefined;
  }
}

export function saveBounds(dataDir: string, bounds: Bounds): void {
  writeFileSync(path.join(dataDir, 'window-state.json'), JSON.stringify(bounds));
}

/** The saved bounds if their top-left area is on one of the displays' work areas, else size only. */
export function restoreBounds(saved: Bounds | undefined, workAreas: readonly Bounds[]): Partial<Bounds> | undefined {
  if (!saved) return undefined;
  const visible = workAreas.some((a) => saved.x + 40 >= a.x && saved.y + 20 >= a.y && saved.x + 40 <= a.x + a.width && saved.y + 20 <= a.y + a.height);
  return visible ? saved : { width: saved.width, height: saved.height };
}
