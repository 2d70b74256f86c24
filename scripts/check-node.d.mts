export const MINIMUM_NODE: string;
export function oldNodeLine(version: string, execPath: string, platform: string, arch: string): string | undefined;
