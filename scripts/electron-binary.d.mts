export function electronBinary(): string | undefined;
export const NO_ELECTRON_LINE: string;
