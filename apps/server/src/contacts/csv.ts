// RFC 4180 CSV, both ways: what spreadsheets write (quoted fields, doubled quotes, CRLF or LF, a UTF-8
// byte-order mark) and what they read back.

/** The records of a CSV text, each with the line its record starts on (1 = the header). */
export function parseCsv(text: string): {
  records: Array<{ line: number; fields: string[] }>;
  error?: string;
} {
  const records: Array<{ line: number; fields: string[] }> = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRecord = () => {
    fields.push(field);
    // A blank line (one empty field) is no record: files often end with one.
    if (fields.length > 1 || fields[0] !== '') records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += c;
    }
  }
  if (quoted) return { records, error: `line ${recordLine}: a quoted field is never closed` };
  if (field !== '' || fields.length > 0) endRecord();
  return { records };
}

/** One CSV line (CRLF-terminated); fields with a comma, quote or line break are quoted. */
export function csvLine(fields: readonly string[]): string {
  return `${fields.map((f) => (/[",\r\n]/.test(f) || /^\s|\s$/.test(f) ? `"${f.replaceAll('"', '""')}"` : f)).join(',')}\r\n`;
}
