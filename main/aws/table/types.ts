// The shapes the remote half of the sync speaks in: the user's partition, what it reads (headers and
// records) and what it writes (commits). The items themselves are in items.ts.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDbContext } from '../dynamodb-errors';

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

/** A device's own item: the name it goes by, as it wrote it (not yet made safe to show). */
export interface RemoteDevice {
  id: string;
  name: string;
  /** When the device was given this name, by its own clock; 0 for the computer's own name. */
  renamedAt: number;
}

export interface RecordItem {
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

export interface PullRange {
  /** The device's last_sync_count: records committed after it are pulled. */
  after: number;
  /** The header's syncCount. */
  through: number;
  /** The header's generation: records of any other generation belong to a deleted dataset. */
  generation: number;
}

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
