import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TABLE_NAME, SYNC_KEY_ATTRIBUTE, SYNC_KEY_INDEX } from '../../../main/aws/table-schema';
import { engineClient, ensureTable, startDynamoDbLocal, type RunningDynamoDbLocal } from '../../../localcloud/dynamodb/dynamodb-local';
import { javaMajorVersion } from '../../../localcloud/dynamodb/java-runtime';

const region = 'us-east-1';
const client = (engine: RunningDynamoDbLocal) => engineClient(engine, region);
const withoutSecret = (endpoint: string) =>
  new DynamoDBClient({ endpoint, region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const parentFixture = fileURLToPath(new URL('./fixtures/start-dynamodb-local.ts', import.meta.url));

// Every address of this machine a neighbour could reach (link-local ones need a scope, so not those).
const otherAddresses = Object.values(networkInterfaces())
  .flat()
  .filter((entry) => entry !== undefined && !entry.internal && !entry.address.startsWith('fe80'))
  .map((entry) => entry!.address);

const hasJlink = spawnSync('jlink', ['--version']).status === 0;

/** 'connected', or the error code the connection attempt failed with. */
const connectOutcome = (host: string, port: number) =>
  new Promise<string>((resolve) => {
    const socket = connect({ host, port, timeout: 2_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });

/** Processes whose command line has every one of these arguments (Linux /proc). */
const processesWithArguments = (...wanted: string[]): number[] =>
  readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return wanted.every((arg) => args.includes(arg));
      } catch {
        return false; // it ended while we looked
      }
    })
    .map(Number);

const firstLine = (child: ChildProcess) =>
  new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
    });
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.once('exit', (code) => reject(new Error(`exited (${code}) before printing a line:\n${out}${err}`)));
  });

const expectLocalCloudError = async (promise: Promise<unknown>, code: string) => {
  await expect(promise).rejects.toMatchObject({ name: 'LocalCloudError', code });
};

describe('DynamoDB Local', () => {
  let engine: RunningDynamoDbLocal;
  const scratch = mkdtempSync(join(tmpdir(), 'ddb-local-test-'));

  beforeAll(async () => {
    engine = await startDynamoDbLocal({});
  });
  afterAll(async () => {
    await engine?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 and creates the table with its keys and the sync-key index, once', async () => {
    expect(engine.endpoint).toBe(`http://127.0.0.1:${engine.port}`);
    await ensureTable(engine, region, DEFAULT_TABLE_NAME);
    await ensureTable(engine, region, DEFAULT_TABLE_NAME);
    const { Table } = await client(engine).send(new DescribeTableCommand({ TableName: DEFAULT_TABLE_NAME }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(Table?.LocalSecondaryIndexes?.map((index) => [index.IndexName, index.KeySchema?.[1]?.AttributeName])).toEqual([
      [SYNC_KEY_INDEX, SYNC_KEY_ATTRIBUTE],
    ]);
  });

  it("answers only requests that carry this run's secret, as only the gateway sends them", async () => {
    await ensureTable(engine, region, DEFAULT_TABLE_NAME);
    await expect(withoutSecret(engine.endpoint).send(new DescribeTableCommand({ TableName: DEFAULT_TABLE_NAME }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: 'DynamoDB Local is reached only through the localcloud gateway.',
    });
    // The last character changed to another one (a plain "x" would leave a secret that ends in "x" as it was).
    const wrongSecret = engineClient({ endpoint: engine.endpoint, secret: `${engine.secret.slice(0, -1)}${engine.secret.endsWith('x') ? 'y' : 'x'}` }, region);
    await expect(wrongSecret.send(new DescribeTableCommand({ TableName: DEFAULT_TABLE_NAME }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    const { Table } = await client(engine).send(new DescribeTableCommand({ TableName: DEFAULT_TABLE_NAME }));
    expect(Table?.TableStatus).toBe('ACTIVE');
  });

  it("keeps its secret off the command line, where every local process could read it", () => {
    const pids = processesWithArguments(String(engine.port));
    expect(pids.length).toBeGreaterThan(0);
    for (const pid of pids) expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).not.toContain(engine.secret);
  });

  it.skipIf(otherAddresses.length === 0)('cannot be reached from the network, only from this machine on 127.0.0.1', async () => {
    expect(await connectOutcome('127.0.0.1', engine.port)).toBe('connected');
    const outcomes = await Promise.all(otherAddresses.map(async (address) => [address, await connectOutcome(address, engine.port)]));
    expect(Object.fromEntries(outcomes)).toEqual(Object.fromEntries(otherAddresses.map((address) => [address, 'ECONNREFUSED'])));
  });

  it.skipIf(process.platform !== 'linux')('leaves no Java behind when the process that started it is killed with SIGKILL', async () => {
    const dbPath = join(scratch, 'orphan-check');
    const parent = spawn(process.execPath, ['--import', 'tsx', parentFixture, dbPath], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let port = '';
    try {
      port = String((JSON.parse(await firstLine(parent)) as { port: number }).port);
      expect(processesWithArguments(dbPath, port)).toHaveLength(1);

      parent.kill('SIGKILL');
      const deadline = Date.now() + 5_000;
      // A dying process leaves /proc's command line before the kernel closes its sockets: wait for both.
      const gone = async () => processesWithArguments(dbPath, port).length === 0 && (await connectOutcome('127.0.0.1', Number(port))) !== 'connected';
      while (!(await gone()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(processesWithArguments(dbPath, port)).toEqual([]);
      expect(await connectOutcome('127.0.0.1', Number(port))).toBe('ECONNREFUSED');
    } finally {
      parent.kill('SIGKILL');
      for (const pid of port === '' ? [] : processesWithArguments(dbPath, port)) process.kill(pid, 'SIGKILL');
    }
  });

  it('keeps its data across a restart with the same dbPath, and is gone after stop', async () => {
    const dbPath = join(scratch, 'db');
    const first = await startDynamoDbLocal({ dbPath });
    try {
      await ensureTable(first, region, 'kept-table');
      await client(first).send(
        new PutItemCommand({ TableName: 'kept-table', Item: { pk: { S: 'a' }, sk: { S: 'b' }, note: { S: 'still here' } } }),
      );
    } finally {
      await first.stop();
    }
    await expect(client(first).send(new GetItemCommand({ TableName: 'kept-table', Key: { pk: { S: 'a' }, sk: { S: 'b' } } }))).rejects.toThrow();

    const second = await startDynamoDbLocal({ dbPath });
    try {
      await ensureTable(second, region, 'kept-table');
      const { Item } = await client(second).send(
        new GetItemCommand({ TableName: 'kept-table', Key: { pk: { S: 'a' }, sk: { S: 'b' } } }),
      );
      expect(Item?.note).toEqual({ S: 'still here' });
    } finally {
      await second.stop();
    }
  });

  it('refuses a port that is taken with PORT_IN_USE', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      await expectLocalCloudError(startDynamoDbLocal({ port }), 'PORT_IN_USE');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('says to install Java 17 when java is not on PATH', async () => {
    const savedPath = process.env.PATH;
    process.env.PATH = join(scratch, 'no-java-here');
    try {
      await expect(startDynamoDbLocal({})).rejects.toMatchObject({
        code: 'JAVA_MISSING',
        message: expect.stringContaining('apt-get install openjdk-17-jre-headless'),
      });
    } finally {
      process.env.PATH = savedPath;
    }
  });

  it('says to install Java 17 when java is older', async () => {
    // Java 11 cannot be installed here; a program answering `-version` as Java 11 does stands in for it.
    const oldJava = join(scratch, 'java11');
    writeFileSync(oldJava, '#!/bin/sh\necho \'openjdk version "11.0.22" 2024-01-16\' >&2\n');
    chmodSync(oldJava, 0o755);
    await expectLocalCloudError(startDynamoDbLocal({ javaPath: oldJava }), 'JAVA_MISSING');
  });

  it('reports DynamoDB Local dying at start with DYNAMODB_LOCAL_FAILED and its own words', async () => {
    // The real Java and launcher, handed a database directory that does not exist.
    const javaWithBadDbPath = join(scratch, 'java-bad-db-path');
    writeFileSync(javaWithBadDbPath, '#!/bin/sh\nexec java "$@" /no/such/directory\n');
    chmodSync(javaWithBadDbPath, 0o755);
    await expect(startDynamoDbLocal({ javaPath: javaWithBadDbPath })).rejects.toMatchObject({
      code: 'DYNAMODB_LOCAL_FAILED',
      message: expect.stringContaining('Invalid directory for database creation: /no/such/directory'),
    });
  });

  it.skipIf(!hasJlink)('says to install a full JDK when the Java lacks the jdk.compiler module', async () => {
    // A real Java 17 runtime with nothing but java.base, as JRE-only builds lack jdk.compiler.
    const bareJava = join(scratch, 'jre-without-compiler');
    execFileSync('jlink', ['--add-modules', 'java.base', '--no-header-files', '--no-man-pages', '--output', bareJava]);
    await expect(startDynamoDbLocal({ javaPath: join(bareJava, 'bin', 'java') })).rejects.toMatchObject({
      code: 'DYNAMODB_LOCAL_FAILED',
      message: expect.stringMatching(/lacks the jdk\.compiler module.*install a full JDK 17.*openjdk-17-jre-headless/),
    });
  });

  it('reads both Java version styles', () => {
    expect(javaMajorVersion('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(javaMajorVersion('java version "1.8.0_392"')).toBe(8);
    expect(javaMajorVersion('openjdk version "21" 2023-09-19')).toBe(21);
    expect(javaMajorVersion('command not found')).toBeUndefined();
  });
});
