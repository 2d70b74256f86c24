export const DEFAULT_FETCH_TIMEOUT_SECONDS: number;
export function electronBinary(): string | undefined;
export function electronSource(env?: NodeJS.ProcessEnv): string;
export function installerReason(stderr: string): string;
export function ensureElectron(options?: {
  env?: NodeJS.ProcessEnv;
  say?: (line: string) => void;
  timeoutSeconds?: number;
  heartbeatMs?: number;
}): Promise<{ binary: string; reason?: undefined } | { binary?: undefined; reason: string }>;
