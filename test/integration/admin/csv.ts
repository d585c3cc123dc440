// A strict RFC 4180 reader for the tests (quoted fields, doubled quotes, CRLF), so an export is checked by
// parsing it, not by looking for substrings. A malformed file throws.
export function parseCsv(text: string): string[][] {
  const src = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let i = 0;
  let quoted = false;
  while (i < src.length) {
    const ch = src[i] as string;
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        cell += '"';
        i += 2;
      } else if (ch === '"') {
        quoted = false;
        i++;
        if (i < src.length && src[i] !== "," && src[i] !== "\r")
          throw new Error(`csv: text after a quote at ${i}`);
      } else {
        cell += ch;
        i++;
      }
    } else if (ch === '"' && cell === "") {
      quoted = true;
      i++;
    } else if (ch === ",") {
      row.push(cell);
      cell = "";
      i++;
    } else if (ch === "\r" && src[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i += 2;
    } else if (ch === "\n" || ch === "\r" || ch === '"')
      throw new Error(`csv: bare ${JSON.stringify(ch)} at ${i}`);
    else {
      cell += ch;
      i++;
    }
  }
  if (quoted) throw new Error("csv: unterminated quote");
  if (cell !== "" || row.length) throw new Error("csv: last line without CRLF");
  return rows;
}
