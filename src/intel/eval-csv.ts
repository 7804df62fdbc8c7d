/** A CSV file that cannot be read as a table: the message says where and why. */
export class CsvFormatError extends Error {}

export type CsvTable = { header: string[]; rows: string[][] };

/**
 * RFC 4180 CSV (quoted fields, doubled quotes, newlines inside quotes, CRLF or LF). Every row must
 * have as many fields as the header; a blank final line is allowed.
 */
export function parseCsv(text: string, delimiter = ','): CsvTable {
  const records: { fields: string[]; line: number }[] = [];
  let field = '';
  let fields: string[] = [];
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let quoteLine = 0;
  // Set once a quoted field closes: only a delimiter or a line end may follow.
  let closed = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) records.push({ fields, line: recordLine });
    fields = [];
    field = '';
  };
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
          closed = true;
        }
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"') {
      if (field !== '' || closed) throw new CsvFormatError(`line ${line}: a quote inside an unquoted field`);
      quoted = true;
      quoteLine = line;
    } else if (ch === delimiter) {
      closed = false;
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      closed = false;
      endRecord();
      line++;
      recordLine = line;
    } else {
      if (closed) throw new CsvFormatError(`line ${line}: text after a closing quote`);
      field += ch;
    }
  }
  if (quoted) throw new CsvFormatError(`line ${quoteLine}: a quoted field is never closed`);
  if (field !== '' || fields.length > 0) endRecord();
  const [first, ...rest] = records;
  if (!first) throw new CsvFormatError('the file is empty: expected a header row');
  const header = first.fields.map((name) => name.trim());
  for (const record of rest) {
    if (record.fields.length !== header.length) {
      throw new CsvFormatError(
        `line ${record.line}: ${record.fields.length} fields where the header has ${header.length}`,
      );
    }
  }
  return { header, rows: rest.map((record) => record.fields) };
}

/** Picks text and label columns by name (or the first two columns) and drops rows with an empty text. */
export function labelledRows(
  table: CsvTable,
  columns: { text?: string; label?: string } = {},
): { text: string; label: string }[] {
  const at = (name: string | undefined, fallback: number) => {
    if (name === undefined) {
      if (table.header.length <= fallback)
        throw new CsvFormatError(`expected at least two columns (text, label), found ${table.header.length}`);
      return fallback;
    }
    const index = table.header.indexOf(name);
    if (index < 0)
      throw new CsvFormatError(`no column "${name}" (the header has: ${table.header.join(', ')})`);
    return index;
  };
  const textAt = at(columns.text, 0);
  const labelAt = at(columns.label, 1);
  const rows = table.rows
    .map((row) => ({ text: row[textAt]!.trim(), label: row[labelAt]!.trim() }))
    .filter((row) => row.text !== '' && row.label !== '');
  if (rows.length === 0) throw new CsvFormatError('no rows with both a text and a label');
  return rows;
}
