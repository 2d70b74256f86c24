// Reads an import file before anything is sent: the export's own format, or a plain JSON object of
// string values. A bad file is refused whole, with what is wrong and where.
import { IMPORT_MAX_BYTES } from '../../../shared/ipc-contract';
import { EXPORT_FORMAT } from './export-dataset';

export interface ImportPreview {
  records: { key: string; value: string }[];
  bytes: number;
  /** The dataset the file was exported from, when it says. */
  from?: string;
}

export type ImportCheck = { ok: true; preview: ImportPreview } | { ok: false; message: string };

const MAX_FILE_BYTES = 512 * 1024 * 1024;

export function checkImportText(text: string): ImportCheck {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `The file is not JSON (${(error as Error).message}). Choose a file made by Export, or a JSON object of keys to string values.` };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, message: 'The file holds no JSON object. Choose a file made by Export, or a JSON object of keys to string values.' };
  }
  let source = json as Record<string, unknown>;
  let from: string | undefined;
  if ('format' in source) {
    if (source.format !== EXPORT_FORMAT) return { ok: false, message: `The file's format "${String(source.format)}" is not one this app reads (${EXPORT_FORMAT}).` };
    if (typeof source.records !== 'object' || source.records === null || Array.isArray(source.records)) {
      return { ok: false, message: 'The file has no "records" object. Export the dataset again.' };
    }
    from = typeof source.dataset === 'string' ? source.dataset : undefined;
    source = source.records as Record<string, unknown>;
  }
  const records: { key: string; value: string }[] = [];
  let bytes = 0;
  const encoder = new TextEncoder();
  for (const [key, value] of Object.entries(source)) {
    if (key === '') return { ok: false, message: 'A record has an empty key. Every key needs at least one character.' };
    if (typeof value !== 'string') {
      return { ok: false, message: `The value of "${key.slice(0, 60)}" is ${value === null ? 'null' : typeof value}, not text. Every value must be a JSON string.` };
    }
    records.push({ key, value });
    bytes += encoder.encode(key).length + encoder.encode(value).length;
  }
  if (records.length === 0) return { ok: false, message: 'The file has no records to import.' };
  // The app stages an import whole before writing it, up to a bound: say so now, not halfway through.
  if (bytes > IMPORT_MAX_BYTES) {
    const mib = (n: number) => `${Math.ceil(n / 1024 / 1024)} MiB`;
    return {
      ok: false,
      message: `The file holds ${mib(bytes)} of keys and values; one import takes at most ${mib(IMPORT_MAX_BYTES)}. Split it into smaller files and import them one by one.`,
    };
  }
  return { ok: true, preview: { records, bytes, from } };
}

export async function checkImportFile(file: File): Promise<ImportCheck> {
  if (file.size > MAX_FILE_BYTES) return { ok: false, message: `The file is ${Math.round(file.size / 1024 / 1024)} MiB; imports of up to 512 MiB are read.` };
  return checkImportText(await file.text());
}
