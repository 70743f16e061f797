/** How the core reports what it cannot hand back to a caller. */
export type CoreLog = (level: 'warn' | 'error', message: string, detail?: unknown) => void;
