import type { ParseArgsConfig } from 'node:util';

export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

/** Where a command writes: stdout for results, stderr for status and errors. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: OptionSpecs;
  /** Resolves to the exit code. Throws typed errors for failures. */
  run(values: Record<string, unknown>, positionals: string[], io: Io): Promise<number>;
}
