// Runs `npm run start:web` the way a user does and hands back the URL from its one JSON line.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface WebHostProcess {
  url: string;
  /** What the command printed on stdout before the JSON line. */
  preamble: string[];
  output(): string;
  stop(): Promise<void>;
}

/** `script` is `start:web`, or `start` (which falls back to the browser host without Electron). */
export async function startWebHostProcess(args: string[], script = 'start:web', env: NodeJS.ProcessEnv = process.env): Promise<WebHostProcess> {
  const child: ChildProcess = spawn('npm', ['run', '--silent', script, '--', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  let output = '';
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const preamble: string[] = [];
  const line = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (text) => {
      if (text.startsWith('{')) {
        lines.close();
        resolve(text);
      } else preamble.push(text);
    });
    child.once('exit', (code) => reject(new Error(`npm run ${script} exited ${code}: ${output}`)));
  });
  return {
    url: (JSON.parse(line) as { url: string }).url,
    preamble,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
