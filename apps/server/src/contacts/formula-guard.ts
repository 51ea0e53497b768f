// CSV formula injection (OWASP "CSV Injection"): Excel, LibreOffice and Google Sheets run a cell that
// starts with `=`, `+`, `-` or `@` (and, in some, tab or carriage return) as a formula, so a contact
// named `=HYPERLINK(...)` would become a live formula in whoever opens the export. The export prefixes
// such a cell with a single quote, which spreadsheets show as text; the import takes that quote off
// again, so an exported file imports back into the same values.

// A cell that is already quote(s) then a trigger gets one more quote too; the import takes exactly one
// off. Without it `'=x` (a name someone typed with the quote) would import back as `=x`.
const GUARDED_OR_TRIGGER = /^'*[=+\-@\t\r]/;
const GUARDED = /^'+[=+\-@\t\r]/;

/** The cell as written to the export: with a leading `'` when a spreadsheet would run it. */
export function guardCell(value: string): string {
  return GUARDED_OR_TRIGGER.test(value) ? `'${value}` : value;
}

/** The cell as imported: one leading `'` taken off when a formula character follows it. */
export function unguardCell(value: string): string {
  return GUARDED.test(value) ? value.slice(1) : value;
}
