/** Row height used before a row is measured. */
export const ESTIMATED_ROW_PX = 50;

/**
 * Rows drawn beyond the visible ones, above and below, so a scroll finds them
 * ready. Every row in the DOM is laid out again when the table changes (a beacon,
 * an age's 10 s step), so this is kept to about a third of a screen: with twelve,
 * a 1200×800 window held 27–29 rows; with six it holds 21–23.
 */
export const OVERSCAN_ROWS = 6;
