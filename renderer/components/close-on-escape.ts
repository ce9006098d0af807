import type { KeyboardEvent } from 'react';

/** Escape anywhere inside a panel closes it (a field's own Escape, handled first, wins). */
export function closeOnEscape(event: KeyboardEvent, close: () => void): void {
  if (event.key !== 'Escape' || event.defaultPrevented) return;
  event.preventDefault();
  close();
}
