// The remote half of the sync protocol (docs/sync-protocol.md), one function per
// step, each one or a few DynamoDB requests on the user's own partition. Every key comes from
// table-schema.ts. Nothing here knows SQLite: the sync engine feeds it and records its answers.
//
// This module is the one the sync engine imports (`import * as remote`); the steps live in table/,
// a file a job:
//   types.ts          the partition, headers, records, commits
//   items.ts          attribute values in and out, decoding an item
//   validation.ts     whether an item read can be taken (anyone with the credentials can write one)
//   query.ts          sending, and a Query to its last page
//   headers.ts        queryHeads / queryHeaders (one Query, devices too), getHeader (one GetItem)
//   devices.ts        putDevice (this device's name)
//   pull.ts           pullPages, pullChanges (the bySyncKey index)
//   commit-budget.ts  how many records one TransactWriteItems may hold
//   commit.ts         commitChanges (TransactWriteItems), commitDelete (one conditional update)
//   purge.ts          purgeDeletedRecords
export {
  DEFAULT_COMMIT_BUDGET,
  MAX_COMMIT_BYTES,
  MAX_COMMIT_RECORDS,
  MAX_REQUEST_BYTES,
  commitPrefix,
  jsonBytes,
  recordItemBytes,
  recordRequestBytes,
  splitIntoCommits,
  type CommitBudget,
} from './table/commit-budget';
export { commitChanges, commitDelete, commitTooLarge } from './table/commit';
export { getHeader, MAX_DEVICES_READ, queryHeads, queryHeaders, remoteDamaged, type PartitionHeads } from './table/headers';
export { putDevice } from './table/devices';
export { PULL_PAGE_ITEMS, pullChanges, pullPages, type PulledPage } from './table/pull';
export { purgeDeletedRecords } from './table/purge';
export type {
  Commit,
  CommitOutcome,
  DatasetTable,
  MalformedItem,
  OnMalformed,
  PullRange,
  RecordChange,
  RemoteDevice,
  RemoteHeader,
  RecordItem,
} from './table/types';
export { unsupportedName } from './table/validation';
