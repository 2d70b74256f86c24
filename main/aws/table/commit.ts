// Writing to a dataset: a commit (ONE TransactWriteItems: the header moves on and the records land
// with it) or a deletion (ONE conditional update of the header). Both are conditioned on the header
// being where the device last saw it, so when another device committed first nothing is written.
import { randomUUID } from 'node:crypto';
import { TransactWriteItemsCommand, type TransactWriteItem, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { AppError } from '../../../shared/errors';
import { dynamoDbFailure } from '../dynamodb-errors';
import { datasetSortKey, PARTITION_KEY, recordSortKey, SORT_KEY, SYNC_KEY_ATTRIBUTE, syncKey } from '../table-schema';
import { MAX_COMMIT_RECORDS } from './commit-budget';
import { BOOL, N, S, type Item } from './items';
import type { Commit, CommitOutcome, DatasetTable } from './types';

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

function headerKey(table: DatasetTable, dataset: string): Item {
  return { [PARTITION_KEY]: S(table.identityId), [SORT_KEY]: S(datasetSortKey(dataset)) };
}

/** The header's condition: it is still at `syncCount` (or absent, for a dataset never committed). */
function headerCondition(syncCount: number): { ConditionExpression: string; values: Item } {
  return syncCount === 0
    ? { ConditionExpression: 'attribute_not_exists(#pk)', values: {} }
    : { ConditionExpression: '#syncCount = :expected', values: { ':expected': N(syncCount) } };
}

function isHeaderConditionFailure(error: unknown, headerIndex: number): boolean {
  const { name, CancellationReasons } = error as { name?: string; CancellationReasons?: { Code?: string }[] };
  if (name === 'ConditionalCheckFailedException') return true;
  return name === 'TransactionCanceledException' && CancellationReasons?.[headerIndex]?.Code === 'ConditionalCheckFailed';
}

/** The commit's header update: to `next`, not deleted, and the device's counters when it sends them. */
function headerUpdate(table: DatasetTable, commit: Commit, next: number): TransactWriteItem {
  const condition = headerCondition(commit.syncCount);
  const counters = commit.counters === undefined ? '' : ', #recordCount = :recordCount, #sizeBytes = :sizeBytes';
  return {
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
}

/** A record's Put at syncCount `next`, with its syncKey. */
function recordPut(table: DatasetTable, commit: Commit, next: number, change: Commit['records'][number]): TransactWriteItem {
  return {
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
  };
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
  const puts = commit.records.map((change) => recordPut(table, commit, next, change));
  try {
    await table.client.send(
      // The token makes the SDK's own retries of a commit that did land harmless (within 10 min).
      new TransactWriteItemsCommand({ TransactItems: [headerUpdate(table, commit, next), ...puts], ClientRequestToken: randomUUID() }),
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
