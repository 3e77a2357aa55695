/** Markup helpers shared by the tables and the hand-drawn SVG (no vega, browser-safe). */

/** Escape text for XML character data and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/**
 * Approximate advance width of `text` in a Helvetica-like font, in px (average glyph widths per
 * class of character); used to lay out hand-drawn SVG where no text measurement is available.
 */
export function estimateTextWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const ch of text) {
    if ("il.,:;'|!".includes(ch)) em += 0.26;
    else if ("fjtrI()[]- ".includes(ch)) em += 0.34;
    else if ("mwMW%".includes(ch)) em += 0.86;
    else if (/[A-Z]/.test(ch)) em += 0.68;
    else if (/[0-9]/.test(ch)) em += 0.56;
    else em += 0.55;
  }
  return em * fontSize;
}

/** Round a coordinate for SVG output (2 decimals keeps files small and positions exact enough). */
export function px(v: number): string {
  const r = Math.round(v * 100) / 100;
  return Object.is(r, -0) ? "0" : String(r);
}
