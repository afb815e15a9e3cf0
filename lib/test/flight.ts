// Reading a server action's answer (React's "flight" format) in tests and the bench.

/**
 * One row of a flight answer, parsed. Rows are "<hex id>:<json>\n", except text rows ("<id>:T<hex
 * byte length>,<text>", no line break after) that carry long strings, so the answer is walked
 * row by row rather than split on line breaks.
 */
export function flightRow(input: Buffer | string, id: string): unknown {
  const body = typeof input === "string" ? Buffer.from(input, "utf8") : input;
  let at = 0;
  while (at < body.length) {
    const colon = body.indexOf(":", at);
    if (colon < 0) break;
    const rowId = body.toString("utf8", at, colon);
    if (body[colon + 1] === 0x54 /* T */) {
      const comma = body.indexOf(",", colon);
      const length = parseInt(body.toString("utf8", colon + 2, comma), 16);
      at = comma + 1 + length;
      continue;
    }
    let end = body.indexOf("\n", colon);
    if (end < 0) end = body.length;
    if (rowId === id) {
      try {
        return JSON.parse(body.toString("utf8", colon + 1, end));
      } catch {
        return null;
      }
    }
    at = end + 1;
  }
  return null;
}
