// Reads an import file before anything is sent: the export's own format, or a plain JSON object of
// string values. A bad file is refused whole, with every problem it has and where (the first ones
// named, the rest counted), so that one round of fixing is enough.
import { IMPORT_MAX_BYTES } from '../../../shared/ipc-contract';
import { EXPORT_FORMAT } from './export-dataset';

export interface ImportPreview {
  records: { key: string; value: string }[];
  bytes: number;
  /** The dataset the file was exported from, when it says. */
  from?: string;
}

/** One thing wrong with the file: `record` is its 1-based position in the file, when it is about one. */
export interface ImportProblem {
  record?: number;
  key?: string;
  text: string;
}

export type ImportCheck =
  | { ok: true; preview: ImportPreview }
  | {
      ok: false;
      message: string;
      /** The first problems (at most IMPORT_PROBLEMS_NAMED), in file order; `problemCount` counts them all. */
      problems: ImportProblem[];
      problemCount: number;
    };

/** The store's limits of a record (main/datasets/limits.ts; a test keeps the two equal). */
export const IMPORT_KEY_MAX_BYTES = 128;
export const IMPORT_VALUE_MAX_BYTES = 192 * 1024;
export const IMPORT_PROBLEMS_NAMED = 20;

const MAX_FILE_BYTES = 512 * 1024 * 1024;
const LONE_SURROGATE = /\p{Surrogate}/u;

const refused = (message: string): ImportCheck => ({ ok: false, message, problems: [], problemCount: 0 });

export function checkImportText(text: string): ImportCheck {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return refused(`The file is not JSON (${(error as Error).message}). Choose a file made by Export, or a JSON object of keys to string values.`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return refused('The file holds no JSON object. Choose a file made by Export, or a JSON object of keys to string values.');
  }
  let source = json as Record<string, unknown>;
  let from: string | undefined;
  let recordsAt = skipSpace(text, 0);
  if ('format' in source) {
    if (source.format !== EXPORT_FORMAT) return refused(`The file's format "${String(source.format)}" is not one this app reads (${EXPORT_FORMAT}).`);
    if (typeof source.records !== 'object' || source.records === null || Array.isArray(source.records)) {
      return refused('The file has no "records" object. Export the dataset again.');
    }
    from = typeof source.dataset === 'string' ? source.dataset : undefined;
    source = source.records as Record<string, unknown>;
    // JSON.parse keeps the last of repeated names, so the records are the last "records" member.
    recordsAt = members(text, recordsAt).findLast((member) => member.key === 'records')!.at;
  }

  const values = new Map(Object.entries(source));
  // The keys as the file writes them, repeats included: JSON.parse would keep one of each silently.
  // Should the reader below ever disagree with JSON.parse on which keys there are, JSON.parse wins.
  const written = members(text, recordsAt).map((member) => member.key);
  const keys = new Set(written).size === values.size && written.every((key) => values.has(key)) ? written : [...values.keys()];
  const problems: ImportProblem[] = [];
  let problemCount = 0;
  const problem = (found: ImportProblem) => {
    problemCount += 1;
    if (problems.length < IMPORT_PROBLEMS_NAMED) problems.push(found);
  };
  const firstSeen = new Map<string, number>();
  const records: { key: string; value: string }[] = [];
  let bytes = 0;
  const encoder = new TextEncoder();
  keys.forEach((key, index) => {
    const record = index + 1;
    const named = (text: string) => problem({ record, ...(key === '' ? {} : { key }), text });
    const seen = firstSeen.get(key);
    if (seen !== undefined) return named(`the same key as record ${seen}; a key may appear once.`);
    firstSeen.set(key, record);
    const value = values.get(key);
    const keyBytes = encoder.encode(key).length;
    if (key === '') named('the key is empty; a key needs at least one character.');
    else if (keyBytes > IMPORT_KEY_MAX_BYTES) named(`the key is ${keyBytes} bytes of UTF-8; a key takes at most ${IMPORT_KEY_MAX_BYTES}.`);
    else if (LONE_SURROGATE.test(key)) named('the key holds a lone surrogate, which is not text that can be stored.');
    if (typeof value !== 'string') return named(`the value is ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}, not text (a JSON string).`);
    const valueBytes = encoder.encode(value).length;
    if (valueBytes > IMPORT_VALUE_MAX_BYTES) named(`the value is ${kib(valueBytes)} of UTF-8; a value takes at most ${kib(IMPORT_VALUE_MAX_BYTES)}.`);
    else if (LONE_SURROGATE.test(value)) named('the value holds a lone surrogate, which is not text that can be stored.');
    records.push({ key, value });
    bytes += keyBytes + valueBytes;
  });
  if (keys.length === 0) return refused('The file has no records to import.');
  // The app stages an import whole before writing it, up to a bound: say so now, not halfway through.
  if (bytes > IMPORT_MAX_BYTES) {
    problem({
      text: `The file holds ${mib(bytes)} of keys and values; one import takes at most ${mib(IMPORT_MAX_BYTES)}. Split it into smaller files and import them one by one.`,
    });
  }
  if (problemCount === 1 && problems[0]!.record === undefined) return refused(problems[0]!.text);
  if (problemCount > 0) {
    const them = problemCount === 1 ? 'it' : 'them';
    return { ok: false, message: `The file has ${problemCount === 1 ? 'a problem' : `${problemCount} problems`}; fix ${them} and choose the file again.`, problems, problemCount };
  }
  return { ok: true, preview: { records, bytes, from } };
}

export async function checkImportFile(file: File): Promise<ImportCheck> {
  if (file.size > MAX_FILE_BYTES) return refused(`The file is ${Math.round(file.size / 1024 / 1024)} MiB; imports of up to 512 MiB are read.`);
  return checkImportText(await file.text());
}

const kib = (n: number) => `${Math.ceil(n / 1024)} KiB`;
const mib = (n: number) => `${Math.ceil(n / 1024 / 1024)} MiB`;

// A reader of the members of one JSON object, for text JSON.parse has already accepted: their names
// in file order, where each value starts; values are skipped, never parsed.

function skipSpace(text: string, at: number): number {
  let i = at;
  while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i += 1;
  return i;
}

/** The index after the string that opens at `at`: its closing quote is the first one after an even run of backslashes. */
function stringEnd(text: string, at: number): number {
  let quote = text.indexOf('"', at + 1);
  for (;;) {
    let backslashes = 0;
    while (text[quote - 1 - backslashes] === '\\') backslashes += 1;
    if (backslashes % 2 === 0) return quote + 1;
    quote = text.indexOf('"', quote + 1);
  }
}

function valueEnd(text: string, at: number): number {
  const first = text[at];
  if (first === '"') return stringEnd(text, at);
  if (first === '{' || first === '[') {
    let depth = 0;
    for (let i = at; ; ) {
      const char = text[i];
      if (char === '"') {
        i = stringEnd(text, i);
        continue;
      }
      if (char === '{' || char === '[') depth += 1;
      else if ((char === '}' || char === ']') && --depth === 0) return i + 1;
      i += 1;
    }
  }
  let i = at;
  while (i < text.length && !',}] \n\r\t'.includes(text[i]!)) i += 1;
  return i;
}

/** The members of the object whose `{` is at `at`, in file order, repeated names included. */
function members(text: string, at: number): { key: string; at: number }[] {
  const found: { key: string; at: number }[] = [];
  let i = skipSpace(text, at + 1);
  while (text[i] === '"') {
    const end = stringEnd(text, i);
    const key = JSON.parse(text.slice(i, end)) as string;
    const valueAt = skipSpace(text, skipSpace(text, end) + 1);
    found.push({ key, at: valueAt });
    i = skipSpace(text, valueEnd(text, valueAt));
    if (text[i] === ',') i = skipSpace(text, i + 1);
  }
  return found;
}
