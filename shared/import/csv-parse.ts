/**
 * CSV as spreadsheets write it (RFC 4180): commas, double-quoted cells with "" for a quote, CRLF or
 * LF line ends, a byte-order mark at the start. The first row names the columns. Shared so the UI
 * can preview exactly what the core will import.
 */
export interface ParsedCsv {
  columns: string[];
  /** Data rows, each as long as it was written (short rows are padded by the reader). */
  rows: string[][];
}

export class CsvError extends Error {}

export function parseCsv(text: string): ParsedCsv {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        cell += c;
      }
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      row.push(cell);
      records.push(row);
      row = [];
      cell = '';
      line++;
    } else cell += c;
  }
  if (quoted) throw new CsvError(`a quoted cell that starts on or before line ${line} never ends: check for a missing closing quote (")`);
  if (cell !== '' || row.length) {
    row.push(cell);
    records.push(row);
  }
  const nonEmpty = records.filter((r) => r.some((c) => c.trim() !== ''));
  if (!nonEmpty.length) throw new CsvError('the file is empty: the first row must name the columns');
  const [header, ...rows] = nonEmpty;
  return { columns: header!.map((h) => h.trim()), rows };
}
