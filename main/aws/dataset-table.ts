// The remote half of the sync protocol (../shared/handbook/sync-protocol.md), one function per
// step, each one or a few DynamoDB requests on the user's own partition. Every key comes from
// table-schema.ts. Nothing here knows SQLite: the sync engine feeds it and records its answers.
import { randomUUID } from 'node:crypto';
import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  type TransactWriteItem,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { AppError } from '../../shared/errors';
import { checkDatasetName, checkKey, checkValue, DEFAULT_LIMITS, type DatasetLimits } from '../datasets/limits';
import { dynamoDbFailure, type DynamoDbContext } from './dynamodb-errors';
import {
  DATASET_PREFIX,
  datasetSortKey,
  PARTITION_KEY,
  RECORD_PREFIX,
  recordSortKey,
  SORT_KEY,
  SYNC_KEY_ATTRIBUTE,
  SYNC_COUNT_DIGITS,
  SYNC_KEY_INDEX,
  syncKey,
} from './table-schema';

/** One header item per commit leaves 99 records for a TransactWriteItems of 100 items. */
export const MAX_COMMIT_RECORDS = 99;
/** DynamoDB's limit on a transaction's total item size, "4 MB" (DynamoDB Local counts it in decimal). */
export const MAX_COMMIT_BYTES = 4_000_000;
// Room in each commit for the header item and for the size estimate's rounding.
const COMMIT_HEADROOM_BYTES = 16 * 1024;
/**
 * DynamoDB's limit on a request as sent. The SDK sends JSON, in which a control character takes six
 * bytes (`\u0001`) and a quote or a backslash two: 4 MB of items can be 24 MB of request.
 */
export const MAX_REQUEST_BYTES = 16 * 1024 * 1024;
// Room in each request for the header item, the envelope and the names.
const REQUEST_HEADROOM_BYTES = 256 * 1024;
// A record's Put in the request, less its key, syncKey and value: attribute names, the table name
// (at most 255), the identity ID, the device ID and the numbers, with room to spare.
const PUT_OVERHEAD_BYTES = 1024;

/** What one commit may hold: records, their item bytes as DynamoDB counts them, and the request as sent. */
export interface CommitBudget {
  maxRecords: number;
  maxItemBytes: number;
  maxRequestBytes: number;
}

export const DEFAULT_COMMIT_BUDGET: CommitBudget = Object.freeze({
  maxRecords: MAX_COMMIT_RECORDS,
  maxItemBytes: MAX_COMMIT_BYTES - COMMIT_HEADROOM_BYTES,
  maxRequestBytes: MAX_REQUEST_BYTES - REQUEST_HEADROOM_BYTES,
});

/** The user's partition of the table, and the client that reaches it. */
export interface DatasetTable {
  client: DynamoDBClient;
  tableName: string;
  identityId: string;
  context: DynamoDbContext;
}

export interface RemoteHeader {
  dataset: string;
  /** How many commits the dataset has had (a delete is one). */
  syncCount: number;
  generation: number;
  deleted: boolean;
  recordCount: number;
  sizeBytes: number;
  lastModified: number;
  lastModifiedBy: string;
}

export interface RemoteRecord {
  dataset: string;
  key: string;
  /** Undefined when the record is deleted. */
  value: string | undefined;
  deleted: boolean;
  syncCount: number;
  generation: number;
  lastModified: number;
  lastModifiedBy: string;
  deviceLastModified: number;
}

/** A record as a device pushes it: a value, or a deletion (`value` undefined). */
export interface RecordChange {
  key: string;
  value: string | undefined;
  /** The device's clock when the user made the change (lastWriterWins compares it). */
  deviceLastModified: number;
}

export interface Commit {
  dataset: string;
  /** The header's syncCount this commit builds on; 0 for a dataset not yet in the table. */
  syncCount: number;
  /** The generation written: the header's, or the header's + 1 to recreate a deleted dataset. */
  generation: number;
  records: RecordChange[];
  deviceId: string;
  now: number;
  /** The dataset's live records and their bytes after this commit, as the device counts them. */
  counters?: { recordCount: number; sizeBytes: number };
}

/** A commit either lands (the header moved to `syncCount`) or another device committed first. */
export type CommitOutcome = { committed: true; syncCount: number } | { committed: false };

const S = (value: string): AttributeValue => ({ S: value });
const N = (value: number): AttributeValue => ({ N: String(value) });
const BOOL = (value: boolean): AttributeValue => ({ BOOL: value });

const readS = (item: Record<string, AttributeValue>, name: string): string | undefined => item[name]?.S;
const readN = (item: Record<string, AttributeValue>, name: string): number => Number(item[name]?.N ?? 0);
const readBool = (item: Record<string, AttributeValue>, name: string): boolean => item[name]?.BOOL === true;

/**
 * An item of the user's partition this app cannot take as it is: written by a device with a bug, an
 * older or newer app, or anyone holding the identity's credentials. It is skipped, never stored.
 */
export interface MalformedItem {
  /** The dataset it was read for (a record), or the name its own sort key gives (a header). */
  dataset: string;
  kind: 'header' | 'record';
  /** What is wrong, in words fit for a log: never the key or the value. */
  problem: string;
}

/** Told of each malformed item a read skipped. */
export type OnMalformed = (item: MalformedItem) => void;

const MAX_DEVICE_ID_CHARS = 256;

/** A whole number the app can count with: present, a DynamoDB number, and a safe integer >= 0. */
function countProblem(item: Record<string, AttributeValue>, name: string, required = true): string | undefined {
  const attribute = item[name];
  if (attribute === undefined) return required ? `${name} is missing` : undefined;
  if (attribute.N === undefined) return `${name} is not a number`;
  const value = Number(attribute.N);
  return Number.isSafeInteger(value) && value >= 0 ? undefined : `${name} is not a whole number from 0 to 2^53`;
}

function stringProblem(item: Record<string, AttributeValue>, name: string, maxChars: number): string | undefined {
  const attribute = item[name];
  if (attribute === undefined) return undefined;
  if (attribute.S === undefined) return `${name} is not a string`;
  return attribute.S.length > maxChars ? `${name} is longer than ${maxChars} characters` : undefined;
}

function boolProblem(item: Record<string, AttributeValue>, name: string): string | undefined {
  const attribute = item[name];
  return attribute === undefined || attribute.BOOL !== undefined ? undefined : `${name} is not a boolean`;
}

function limitProblem(check: () => void): string | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    if (error instanceof AppError) return error.message;
    throw error;
  }
}

/** Why a header item cannot be used, or undefined. A name the app refuses is its own kind: see `unsupportedName`. */
function headerProblem(item: Record<string, AttributeValue>): string | undefined {
  const sortKey = readS(item, SORT_KEY);
  if (sortKey === undefined || !sortKey.startsWith(DATASET_PREFIX)) return 'its sort key is not a dataset header';
  for (const name of ['syncCount', 'generation']) {
    const problem = countProblem(item, name);
    if (problem !== undefined) return problem;
  }
  for (const name of ['recordCount', 'sizeBytes', 'lastModified']) {
    const problem = countProblem(item, name, false);
    if (problem !== undefined) return problem;
  }
  return boolProblem(item, 'deleted') ?? stringProblem(item, 'lastModifiedBy', MAX_DEVICE_ID_CHARS);
}

/** Whether a header's dataset name is one this app refuses for a dataset made here: it is never created from the cloud. */
export function unsupportedName(name: string, limits: DatasetLimits = DEFAULT_LIMITS): boolean {
  return limitProblem(() => checkDatasetName(name, limits)) !== undefined;
}

/** Why a record item read for `dataset` in `range` cannot be used, or undefined. */
function recordProblem(dataset: string, item: Record<string, AttributeValue>, range: PullRange, limits: DatasetLimits): string | undefined {
  const prefix = `${RECORD_PREFIX}${dataset}#`;
  const sortKey = readS(item, SORT_KEY);
  if (sortKey === undefined || !sortKey.startsWith(prefix)) return "its sort key is not one of this dataset's records";
  for (const name of ['syncCount', 'generation', 'lastModified', 'deviceLastModified']) {
    const problem = countProblem(item, name, name !== 'lastModified');
    if (problem !== undefined) return problem;
  }
  const syncCount = readN(item, 'syncCount');
  if (readS(item, SYNC_KEY_ATTRIBUTE) !== syncKey(dataset, syncCount)) return 'its syncKey does not match its dataset and syncCount';
  if (syncCount <= range.after || syncCount > range.through) return "its syncCount is outside the header's";
  const deletedProblem = boolProblem(item, 'deleted');
  if (deletedProblem !== undefined) return deletedProblem;
  const keyProblem = limitProblem(() => checkKey(sortKey.slice(prefix.length), limits));
  if (keyProblem !== undefined) return keyProblem;
  if (!readBool(item, 'deleted')) {
    const value = item.value;
    if (value?.S === undefined) return 'its value is missing or not a string';
    const valueProblem = limitProblem(() => checkValue(value.S!, limits));
    if (valueProblem !== undefined) return valueProblem;
  }
  return stringProblem(item, 'lastModifiedBy', MAX_DEVICE_ID_CHARS);
}

async function send<T>(table: DatasetTable, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw dynamoDbFailure(error, table.context);
  }
}

function headerOf(item: Record<string, AttributeValue>): RemoteHeader {
  return {
    dataset: (readS(item, SORT_KEY) ?? '').slice(DATASET_PREFIX.length),
    syncCount: readN(item, 'syncCount'),
    generation: readN(item, 'generation'),
    deleted: readBool(item, 'deleted'),
    recordCount: readN(item, 'recordCount'),
    sizeBytes: readN(item, 'sizeBytes'),
    lastModified: readN(item, 'lastModified'),
    lastModifiedBy: readS(item, 'lastModifiedBy') ?? '',
  };
}

function recordOf(dataset: string, item: Record<string, AttributeValue>): RemoteRecord {
  const deleted = readBool(item, 'deleted');
  const prefix = `${RECORD_PREFIX}${dataset}#`;
  return {
    dataset,
    key: (readS(item, SORT_KEY) ?? '').slice(prefix.length),
    value: deleted ? undefined : (readS(item, 'value') ?? ''),
    deleted,
    syncCount: readN(item, 'syncCount'),
    generation: readN(item, 'generation'),
    lastModified: readN(item, 'lastModified'),
    lastModifiedBy: readS(item, 'lastModifiedBy') ?? '',
    deviceLastModified: readN(item, 'deviceLastModified'),
  };
}

/** Every page of a Query, in order. */
async function queryAll(
  table: DatasetTable,
  input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'ExclusiveStartKey'>,
  onPage?: (items: Record<string, AttributeValue>[]) => void,
): Promise<Record<string, AttributeValue>[]> {
  const items: Record<string, AttributeValue>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await send(table, () => table.client.send(new QueryCommand({ ...input, ExclusiveStartKey: start })));
    const pageItems = page.Items ?? [];
    items.push(...pageItems);
    onPage?.(pageItems);
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}

/**
 * Every dataset header of the user, in ONE consistent Query (more pages only past 1 MB of headers):
 * the whole cost of a sync in which nothing changed.
 */
export async function queryHeaders(table: DatasetTable, onMalformed?: OnMalformed): Promise<RemoteHeader[]> {
  const items = await queryAll(table, {
    TableName: table.tableName,
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
    ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#sk': SORT_KEY },
    ExpressionAttributeValues: { ':pk': S(table.identityId), ':prefix': S(DATASET_PREFIX) },
    ConsistentRead: true,
  });
  const headers: RemoteHeader[] = [];
  for (const item of items) {
    const problem = headerProblem(item);
    if (problem === undefined) headers.push(headerOf(item));
    else onMalformed?.({ dataset: (readS(item, SORT_KEY) ?? '').slice(DATASET_PREFIX.length), kind: 'header', problem });
  }
  return headers;
}

/** The header of a dataset whose header item is malformed: nothing about the dataset can be trusted. */
export function remoteDamaged(): AppError {
  return new AppError(
    'SYNC_REMOTE_DAMAGED',
    "The cloud copy of this dataset has a damaged header (not written by this app as it should be), so this device leaves it alone. Your changes here are kept. Delete the dataset on this device to stop syncing it, or have an administrator repair or remove the header.",
  );
}

/** SYNC_REMOTE_DAMAGED when the header item is malformed. */
export async function getHeader(table: DatasetTable, dataset: string): Promise<RemoteHeader | undefined> {
  const answer = await send(table, () =>
    table.client.send(
      new GetItemCommand({
        TableName: table.tableName,
        Key: { [PARTITION_KEY]: S(table.identityId), [SORT_KEY]: S(datasetSortKey(dataset)) },
        ConsistentRead: true,
      }),
    ),
  );
  if (answer.Item === undefined) return undefined;
  if (headerProblem(answer.Item) !== undefined) throw remoteDamaged();
  return headerOf(answer.Item);
}

export interface PullRange {
  /** The device's last_sync_count: records committed after it are pulled. */
  after: number;
  /** The header's syncCount. */
  through: number;
  /** The header's generation: records of any other generation belong to a deleted dataset. */
  generation: number;
}

/**
 * The records committed in (after, through], from the bySyncKey index with consistent reads, all
 * pages: O(changed records), never a scan. `onPage` sees each page's count, for progress. Each item
 * is checked first (its sort key is this dataset's, its counts are safe integers, its key and value
 * within the limits of a local write): one that is not is skipped and told to `onMalformed`.
 */
export async function pullChanges(
  table: DatasetTable,
  dataset: string,
  range: PullRange,
  onPage?: (count: number) => void,
  onMalformed?: OnMalformed,
  limits: DatasetLimits = DEFAULT_LIMITS,
): Promise<RemoteRecord[]> {
  if (range.through <= range.after) return [];
  const items = await queryAll(
    table,
    {
      TableName: table.tableName,
      IndexName: SYNC_KEY_INDEX,
      KeyConditionExpression: '#pk = :pk AND #syncKey BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#syncKey': SYNC_KEY_ATTRIBUTE },
      ExpressionAttributeValues: {
        ':pk': S(table.identityId),
        ':from': S(syncKey(dataset, range.after + 1)),
        ':to': S(syncKey(dataset, range.through)),
      },
      ConsistentRead: true,
    },
    onPage && ((page) => onPage(page.length)),
  );
  const records: RemoteRecord[] = [];
  for (const item of items) {
    const problem = recordProblem(dataset, item, range, limits);
    if (problem !== undefined) onMalformed?.({ dataset, kind: 'record', problem });
    else {
      const record = recordOf(dataset, item);
      if (record.generation === range.generation) records.push(record);
    }
  }
  return records;
}

function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** An over-estimate of the record item's size as DynamoDB counts it (names and values). */
export function recordItemBytes(dataset: string, change: RecordChange): number {
  const names = 'pksksyncKeyvaluedeletedsyncCountgenerationlastModifiedlastModifiedBydeviceLastModified'.length;
  return names + 2 * utf8Bytes(recordSortKey(dataset, change.key)) + utf8Bytes(change.value ?? '') + 256;
}

/** Bytes of `text` as a JSON string, quotes included: what the SDK sends for it. */
export function jsonBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text), 'utf8');
}

/** An over-estimate of the record's Put in the TransactWriteItems request, as the SDK sends it (JSON). */
export function recordRequestBytes(dataset: string, change: RecordChange): number {
  // The syncKey is the dataset name (ASCII) and a zero-padded count.
  const syncKeyBytes = dataset.length + 1 + SYNC_COUNT_DIGITS + 2;
  return PUT_OVERHEAD_BYTES + jsonBytes(recordSortKey(dataset, change.key)) + syncKeyBytes + (change.value === undefined ? 0 : jsonBytes(change.value));
}

/**
 * How many of `changes`, from the first, go in one commit within `budget` — always at least one (a
 * single record is within every limit the store enforces).
 */
export function commitPrefix(dataset: string, changes: readonly RecordChange[], budget: CommitBudget = DEFAULT_COMMIT_BUDGET): number {
  let itemBytes = 0;
  let requestBytes = 0;
  let count = 0;
  for (const change of changes) {
    itemBytes += recordItemBytes(dataset, change);
    requestBytes += recordRequestBytes(dataset, change);
    if (count > 0 && (count >= budget.maxRecords || itemBytes > budget.maxItemBytes || requestBytes > budget.maxRequestBytes)) break;
    count += 1;
  }
  return count;
}

/** The changes in commits of at most 99 records, 4 MB of items and 16 MB of request, in the given order. */
export function splitIntoCommits(dataset: string, changes: RecordChange[], budget: CommitBudget = DEFAULT_COMMIT_BUDGET): RecordChange[][] {
  const commits: RecordChange[][] = [];
  for (let start = 0; start < changes.length; ) {
    const count = commitPrefix(dataset, changes.slice(start, start + budget.maxRecords + 1), budget);
    commits.push(changes.slice(start, start + count));
    start += count;
  }
  return commits;
}

/** The service refused a commit as too large (the request, or the transaction's items): a smaller one may land. */
export function commitTooLarge(cause?: unknown): AppError {
  return new AppError(
    'SYNC_COMMIT_TOO_LARGE',
    'DynamoDB refused a commit of this dataset as too large. Your changes are kept on this device and go in smaller commits; if even a single record is refused, make its value smaller.',
    cause === undefined ? undefined : { cause },
  );
}

function isTooLarge(error: unknown): boolean {
  const { name, message, $metadata } = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  if (name === 'RequestEntityTooLargeException' || $metadata?.httpStatusCode === 413) return true;
  // A transaction over its aggregate size; not one item over 400 KB, which no split can help.
  return name === 'ValidationException' && /transaction request cannot be larger|request size (has )?exceeded|aggregate size/i.test(message ?? '');
}

function headerKey(table: DatasetTable, dataset: string): Record<string, AttributeValue> {
  return { [PARTITION_KEY]: S(table.identityId), [SORT_KEY]: S(datasetSortKey(dataset)) };
}

/** The header's condition: it is still at `syncCount` (or absent, for a dataset never committed). */
function headerCondition(syncCount: number): { ConditionExpression: string; values: Record<string, AttributeValue> } {
  return syncCount === 0
    ? { ConditionExpression: 'attribute_not_exists(#pk)', values: {} }
    : { ConditionExpression: '#syncCount = :expected', values: { ':expected': N(syncCount) } };
}

function isHeaderConditionFailure(error: unknown, headerIndex: number): boolean {
  const { name, CancellationReasons } = error as { name?: string; CancellationReasons?: { Code?: string }[] };
  if (name === 'ConditionalCheckFailedException') return true;
  return name === 'TransactionCanceledException' && CancellationReasons?.[headerIndex]?.Code === 'ConditionalCheckFailed';
}

/**
 * ONE TransactWriteItems: the header moves from `syncCount` to `syncCount + 1` (and is no longer
 * deleted), and every record is put with the new syncCount and its syncKey. If another device
 * committed first, nothing is written and the outcome says so.
 */
export async function commitChanges(table: DatasetTable, commit: Commit): Promise<CommitOutcome> {
  // No records: a header-only commit, which creates or re-creates an empty dataset.
  if (commit.records.length > MAX_COMMIT_RECORDS) {
    throw new RangeError(`a commit holds at most ${MAX_COMMIT_RECORDS} records, not ${commit.records.length}`);
  }
  const next = commit.syncCount + 1;
  const condition = headerCondition(commit.syncCount);
  const counters = commit.counters === undefined ? '' : ', #recordCount = :recordCount, #sizeBytes = :sizeBytes';
  const header: TransactWriteItem = {
    Update: {
      TableName: table.tableName,
      Key: headerKey(table, commit.dataset),
      ConditionExpression: condition.ConditionExpression,
      UpdateExpression: `SET #syncCount = :next, #generation = :generation, #deleted = :false, #lastModified = :now, #lastModifiedBy = :device${counters}`,
      ExpressionAttributeNames: {
        ...(commit.syncCount === 0 ? { '#pk': PARTITION_KEY } : {}),
        '#syncCount': 'syncCount',
        '#generation': 'generation',
        '#deleted': 'deleted',
        '#lastModified': 'lastModified',
        '#lastModifiedBy': 'lastModifiedBy',
        ...(commit.counters === undefined ? {} : { '#recordCount': 'recordCount', '#sizeBytes': 'sizeBytes' }),
      },
      ExpressionAttributeValues: {
        ...condition.values,
        ':next': N(next),
        ':generation': N(commit.generation),
        ':false': BOOL(false),
        ':now': N(commit.now),
        ':device': S(commit.deviceId),
        ...(commit.counters === undefined
          ? {}
          : { ':recordCount': N(commit.counters.recordCount), ':sizeBytes': N(commit.counters.sizeBytes) }),
      },
    },
  };
  const puts: TransactWriteItem[] = commit.records.map((change) => ({
    Put: {
      TableName: table.tableName,
      Item: {
        [PARTITION_KEY]: S(table.identityId),
        [SORT_KEY]: S(recordSortKey(commit.dataset, change.key)),
        [SYNC_KEY_ATTRIBUTE]: S(syncKey(commit.dataset, next)),
        ...(change.value === undefined ? {} : { value: S(change.value) }),
        deleted: BOOL(change.value === undefined),
        syncCount: N(next),
        generation: N(commit.generation),
        lastModified: N(commit.now),
        lastModifiedBy: S(commit.deviceId),
        deviceLastModified: N(change.deviceLastModified),
      },
    },
  }));
  try {
    await table.client.send(
      // The token makes the SDK's own retries of a commit that did land harmless (within 10 min).
      new TransactWriteItemsCommand({ TransactItems: [header, ...puts], ClientRequestToken: randomUUID() }),
    );
  } catch (error) {
    if (isHeaderConditionFailure(error, 0)) return { committed: false };
    // SYNC_COMMIT_TOO_LARGE: the caller splits the commit, never sends it again as it is.
    if (isTooLarge(error)) throw commitTooLarge(error);
    throw dynamoDbFailure(error, table.context);
  }
  return { committed: true, syncCount: next };
}

/**
 * Deletes the dataset: ONE conditional update marks the header deleted at `syncCount + 1`. Its
 * record items are removed afterwards by purgeDeletedRecords; pulls ignore them meanwhile.
 */
export async function commitDelete(
  table: DatasetTable,
  deletion: { dataset: string; syncCount: number; generation: number; deviceId: string; now: number },
): Promise<CommitOutcome> {
  const next = deletion.syncCount + 1;
  const condition = headerCondition(deletion.syncCount);
  try {
    await table.client.send(
      new UpdateItemCommand({
        TableName: table.tableName,
        Key: headerKey(table, deletion.dataset),
        ConditionExpression: condition.ConditionExpression,
        UpdateExpression:
          'SET #syncCount = :next, #generation = :generation, #deleted = :true, #recordCount = :zero, #sizeBytes = :zero, #lastModified = :now, #lastModifiedBy = :device',
        ExpressionAttributeNames: {
          ...(deletion.syncCount === 0 ? { '#pk': PARTITION_KEY } : {}),
          '#syncCount': 'syncCount',
          '#generation': 'generation',
          '#deleted': 'deleted',
          '#recordCount': 'recordCount',
          '#sizeBytes': 'sizeBytes',
          '#lastModified': 'lastModified',
          '#lastModifiedBy': 'lastModifiedBy',
        },
        ExpressionAttributeValues: {
          ...condition.values,
          ':next': N(next),
          ':generation': N(deletion.generation),
          ':true': BOOL(true),
          ':zero': N(0),
          ':now': N(deletion.now),
          ':device': S(deletion.deviceId),
        },
      }),
    );
  } catch (error) {
    if (isHeaderConditionFailure(error, 0)) return { committed: false };
    throw dynamoDbFailure(error, table.context);
  }
  return { committed: true, syncCount: next };
}

/**
 * Removes the record items a deletion left behind: those of generations before the header's, or
 * all of them while the header is still deleted. Each delete is conditioned on the generation it
 * read, so a record of a recreated dataset written meanwhile is never removed; any device may run
 * it again. Returns how many items it removed.
 */
export async function purgeDeletedRecords(table: DatasetTable, header: RemoteHeader): Promise<number> {
  const stale = (generation: number) => (header.deleted ? generation <= header.generation : generation < header.generation);
  const items = await queryAll(table, {
    TableName: table.tableName,
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
    ProjectionExpression: '#pk, #sk, #generation',
    ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#sk': SORT_KEY, '#generation': 'generation' },
    ExpressionAttributeValues: { ':pk': S(table.identityId), ':prefix': S(`${RECORD_PREFIX}${header.dataset}#`) },
    ConsistentRead: true,
  });
  const doomed = items.filter((item) => stale(readN(item, 'generation')));
  let removed = 0;
  for (let start = 0; start < doomed.length; start += 100) {
    const batch = doomed.slice(start, start + 100);
    const deletes: TransactWriteItem[] = batch.map((item) => ({
      Delete: {
        TableName: table.tableName,
        Key: { [PARTITION_KEY]: item[PARTITION_KEY]!, [SORT_KEY]: item[SORT_KEY]! },
        ConditionExpression: '#generation = :generation',
        ExpressionAttributeNames: { '#generation': 'generation' },
        ExpressionAttributeValues: { ':generation': N(readN(item, 'generation')) },
      },
    }));
    try {
      await table.client.send(new TransactWriteItemsCommand({ TransactItems: deletes }));
      removed += batch.length;
    } catch (error) {
      // Someone changed an item of this batch meanwhile: the batch is left for the next purge.
      if ((error as { name?: string }).name !== 'TransactionCanceledException') throw dynamoDbFailure(error, table.context);
    }
  }
  return removed;
}
