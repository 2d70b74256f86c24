// Runs `npm run start:web` the way a user does and hands back the URL from its one JSON line.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface WebHostProcess {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

export async function startWebHostProcess(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<WebHostProcess> {
  const child: ChildProcess = spawn('npm', ['run', '--silent', 'start:web', '--', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  let output = '';
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`start:web exited ${code}: ${output}`)));
  });
  return {
    url: (JSON.parse(line) as { url: string }).url,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
