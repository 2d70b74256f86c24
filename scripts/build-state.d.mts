/** True when `output` is missing or older than any file under `sources` (folders or files). */
export function isStale(output: string, sources: string[]): boolean;
