import type { FlagSpec, FlagValue } from './flags/spec.js';

/** Where a command writes: stdout for results, stderr for status and errors. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export type FlagValues = Record<string, FlagValue | undefined>;

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Every flag, declared once (see flags/spec.ts); parsing, help, completion and the environment come from it. */
  flags: readonly FlagSpec[];
  examples?: readonly string[];
  /** cosign's commands: COSIGN_<FLAG> variables and cosign's flag aliases apply. */
  cosign?: boolean;
  /** An exit code other than 1 for some typed failures (cosign's 10-13 for images). */
  exitCodeFor?(err: unknown): number | undefined;
  /** Resolves to the exit code. Throws typed errors for failures. */
  run(values: FlagValues, positionals: string[], io: Io): Promise<number>;
}
