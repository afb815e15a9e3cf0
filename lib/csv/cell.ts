// CSV cells for downloads, in one place (the opt-in export and the audit-log export share it).

/**
 * A value a spreadsheet would read as a formula (CSV injection) — one starting with = + - @ tab or
 * CR — gets a leading apostrophe, which spreadsheets show as text. The opt-in export's Postgres
 * COPY path applies the same rule in SQL (lib/marketing/export.ts `neutralize`).
 */
export function formulaSafe(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** One RFC 4180 cell: quoted (quotes doubled) when it holds a comma, a quote or a line break. */
export function csvField(value: unknown): string {
  const s = value === null || value === undefined ? "" : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One line of cells from people's data: every cell formula-safe, then quoted as needed. */
export function safeCsvRow(values: readonly unknown[]): string {
  return `${values.map((v) => csvField(formulaSafe(v === null || v === undefined ? "" : String(v)))).join(",")}\n`;
}
