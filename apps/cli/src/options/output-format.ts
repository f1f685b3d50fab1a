import { usageError } from '../cli-error.js';

export type OutputFormat = 'json' | 'text';

/** --output as given, or `fallback` when it is not; any other value is a usage error, not text. */
export function outputFormat(value: string | undefined, fallback: OutputFormat): OutputFormat {
  if (value === undefined) return fallback;
  if (value !== 'json' && value !== 'text') throw usageError(`--output: expected json or text, found ${JSON.stringify(value)}`);
  return value;
}
