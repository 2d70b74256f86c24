// The records table's pages, as plain functions: a page is PAGE_ROWS rows read at its offset in
// key order (any scroll position reads its own page), pages far from the one last read are let go,
// and rows hidden by the page (a delete waiting out its undo window) are skipped in what is shown.
import { RECORDS_PAGE_MAX, type CommandInput, type CommandOutput, type RecordListItem } from '../../../shared/ipc-contract';

/** Rows per page of the table; every records.list request asks for at most this many (≤ RECORDS_PAGE_MAX). */
export const PAGE_ROWS = 200;
/** Pages kept in memory: those nearest the one last read. */
export const KEPT_PAGES = 40;
/**
 * A window moving faster than this (rows per ms: a page in 100 ms, ~1,200 px a frame) is a drag
 * passing through: reading its pages would answer for rows already gone, so they wait until it slows.
 */
export const PASSING_ROWS_PER_MS = 2;
/** How long a window that was passing through must rest before its pages are read. */
export const SETTLE_MS = 100;
/** A move this long after the one before starts from rest (End, a click on the track): a jump, not a pass. */
export const REST_MS = 250;

export type ListRecords = (input: CommandInput<'records.list'>) => Promise<CommandOutput<'records.list'> | undefined>;
export type Pages = ReadonlyMap<number, readonly RecordListItem[]>;

/**
 * Page `index`: PAGE_ROWS rows from its offset. A records.list page may end early (on bytes), so
 * the cursor reads on until the page is whole or the records end. `count` also asks for the total.
 */
export async function readPage(
  list: ListRecords,
  { dataset, prefix, index, count }: { dataset: string; prefix: string; index: number; count: boolean },
): Promise<{ records: RecordListItem[]; total?: number } | undefined> {
  const records: RecordListItem[] = [];
  let total: number | undefined;
  let cursor: string | undefined;
  for (;;) {
    const page = await list({
      dataset,
      ...(prefix === '' ? {} : { prefix }),
      ...(cursor === undefined ? { offset: index * PAGE_ROWS, ...(count ? { count: true } : {}) } : { cursor }),
      limit: Math.min(RECORDS_PAGE_MAX, PAGE_ROWS - records.length),
    });
    if (page === undefined) return undefined;
    total ??= page.total;
    records.push(...page.records);
    if (page.nextCursor === null || records.length >= PAGE_ROWS) return { records, ...(total === undefined ? {} : { total }) };
    cursor = page.nextCursor;
  }
}

/** The map with at most KEPT_PAGES pages: those nearest `around`. */
export function keepNear(pages: Map<number, readonly RecordListItem[]>, around: number): Map<number, readonly RecordListItem[]> {
  if (pages.size <= KEPT_PAGES) return pages;
  const far = [...pages.keys()].sort((one, other) => Math.abs(other - around) - Math.abs(one - around));
  for (const index of far.slice(0, pages.size - KEPT_PAGES)) pages.delete(index);
  return pages;
}

/** Where the loaded pages hold a hidden key: row indices over all records, ascending. */
export function hiddenRowIndices(pages: Pages, hidden: ReadonlySet<string>): number[] {
  if (hidden.size === 0) return [];
  const found: number[] = [];
  for (const [index, rows] of pages) rows.forEach((row, position) => hidden.has(row.key) && found.push(index * PAGE_ROWS + position));
  return found.sort((one, other) => one - other);
}

/** The row index over all records of the row shown at `shown`, skipping the hidden rows. */
export function rowIndexOf(shown: number, hidden: readonly number[]): number {
  let index = shown;
  for (const skipped of hidden) {
    if (skipped > index) break;
    index += 1;
  }
  return index;
}

export function rowAt(pages: Pages, index: number): RecordListItem | undefined {
  return pages.get(Math.floor(index / PAGE_ROWS))?.[index % PAGE_ROWS];
}

/** Whether the window, moved to row `from` at `at` ms, is passing through: it moved fast since its last move. */
export function isPassing(last: { from: number; at: number } | undefined, from: number, at: number): boolean {
  if (last === undefined) return false;
  const elapsed = at - last.at;
  if (elapsed >= REST_MS) return false;
  return Math.abs(from - last.from) > PASSING_ROWS_PER_MS * Math.max(elapsed, 1);
}

export function pageOf(index: number): number {
  return Math.floor(index / PAGE_ROWS);
}
