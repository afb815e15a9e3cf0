// CSV cells for downloads, in one place (the opt-in export and the audit-log export share it).

/**
 * Characters a spreadsheet skips before deciding whether a cell is a formula. Listed rather than
 * `\s`, so this and the SQL twin (FORMULA_SQL_PATTERN) agree character for character whatever the
 * database's locale; NFKC has already turned most Unicode spaces (U+00A0, U+3000…) into U+0020.
 */
const SKIPPED = "\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200b\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff";
const FORMULA = new RegExp(`^([\\t\\r]|[${SKIPPED}]*[=+\\-@])`);

/**
 * The same test as a Postgres regular expression (ARE: `\\uXXXX` escapes), for the opt-in export's
 * COPY path (lib/marketing/export.ts), applied to `normalize(value, NFKC)`.
 */
export const FORMULA_SQL_PATTERN = FORMULA.source;

/**
 * A value a spreadsheet would read as a formula (CSV injection) gets a leading apostrophe, which
 * spreadsheets show as text: one starting with tab or CR, or whose first character other than
 * white space is = + - @ once compatibility-normalised (NFKC) — spreadsheets fold the full-width
 * `＝` to `=` and skip leading spaces and line feeds, so `＝1+1`, ` =1+1` and `\n=1+1` are formulas
 * too. The value itself is kept as it was; only the test normalises.
 */
export function formulaSafe(value: string): string {
  return FORMULA.test(value.normalize("NFKC")) ? `'${value}` : value;
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
