/** Prints a fixed-width table: the first `alignLeft` columns left-aligned, the rest right-aligned. */
export function table(headers: string[], rows: string[][], alignLeft = 1) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    "  " + cells.map((c, i) => (i < alignLeft ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  console.log(line(headers));
  console.log("  " + widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(line(r));
}

export const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : "–");
export const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "–");
export const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : "–");
/** CPU milliseconds over a wall time, as the number of cores kept busy. */
export const cores = (ms: number, wallMs: number) => f2(ms / wallMs);
