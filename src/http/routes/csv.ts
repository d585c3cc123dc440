// A CSV writer for exports (RFC 4180): fields with a comma, quote, CR or LF are quoted and inner quotes
// doubled; lines end in CRLF; the file starts with a UTF-8 BOM so spreadsheet programs read Cyrillic
// names right. Text cells that a spreadsheet would run as a formula (starting with = + - @ TAB CR, the
// OWASP list) get a leading apostrophe. Numbers are written as numbers (a negative LUFS is data, not a
// formula), so only text that came from somewhere else — a file name, an error code — is guarded.

export type CsvCell = string | number | null;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(v: CsvCell): string {
  if (v === null) return "";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  const safe = FORMULA_START.test(v) ? `'${v}` : v;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export const csvLine = (cells: readonly CsvCell[]): string => `${cells.map(csvCell).join(",")}\r\n`;

export const CSV_BOM = "\uFEFF";
