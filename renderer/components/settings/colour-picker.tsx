import { useId } from 'react';
import { GATEWAY_COLOURS } from '../../../shared/settings/schema.js';

/** Names for the palette's colours, so a choice is never colour alone (a screen reader, a tooltip). */
const COLOUR_NAMES: Readonly<Record<string, string>> = {
  '#0072b2': 'Blue',
  '#d55e00': 'Vermilion',
  '#009e73': 'Green',
  '#cc79a7': 'Pink',
  '#b8860b': 'Ochre',
  '#56b4e9': 'Sky blue',
  '#7a5195': 'Purple',
  '#4d4d4d': 'Grey',
};

/** A palette colour's name; a colour outside the palette (an older file) is named by its value. */
export function colourName(colour: string): string {
  return COLOUR_NAMES[colour.toLowerCase()] ?? colour;
}

export interface ColourPickerProps {
  readonly value: string;
  readonly onChange: (colour: string) => void;
}

/** The palette as radio buttons (arrow keys move between them, as in any radio group). */
export function ColourPicker({ value, onChange }: ColourPickerProps) {
  const name = useId();
  // A saved colour outside the palette stays choosable, so opening the editor never changes it.
  const colours: readonly string[] = GATEWAY_COLOURS.some((c) => c === value.toLowerCase()) ? GATEWAY_COLOURS : [...GATEWAY_COLOURS, value];
  return (
    <fieldset className="colour-picker">
      <legend>Colour</legend>
      {colours.map((c) => (
        <label key={c} className="swatch" title={colourName(c)}>
          <input type="radio" name={name} value={c} checked={c.toLowerCase() === value.toLowerCase()} onChange={() => onChange(c)} aria-label={colourName(c)} />
          <span className="chip" style={{ backgroundColor: c }} aria-hidden="true" />
        </label>
      ))}
    </fieldset>
  );
}
