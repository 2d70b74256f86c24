// A writer for the durability test: writes, says so, then waits to be killed (no close, no exit).
import { openDatasetStore } from '../../../../main/datasets/store/dataset-store';

const profileDir = process.argv[2];
if (profileDir === undefined) throw new Error('usage: write-then-wait.ts <profileDir>');
const identityId = 'us-east-1:11111111-1111-4111-8111-111111111111';
const store = openDatasetStore({ profileDir, deviceId: 'device-killed' });
store.openOrCreate(identityId, 'durable');
for (let index = 0; index < 49; index += 1) store.put(identityId, 'durable', `k${index}`, `v${index}`);
store.put(identityId, 'durable', 'last', 'written just before the kill');
process.stdout.write('written\n');
setInterval(() => undefined, 60_000);
