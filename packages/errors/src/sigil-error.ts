/**
 * The base of every error Sigil throws. `code` is stable and meant for programs to switch on;
 * `message` is for people and says what was checked, what was expected and what was found.
 */
export interface SigilErrorOptions {
  cause?: unknown;
  /** Structured facts behind the message, such as `{ expected, actual }`. Never secrets. */
  details?: Record<string, unknown>;
  /** One sentence that tells the user what to do about it. */
  hint?: string;
}

export class SigilError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly details: Record<string, unknown> | undefined;
  readonly hint: string | undefined;

  constructor(code: Code, message: string, options: SigilErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details;
    this.hint = options.hint;
  }
}

export function isSigilError(value: unknown): value is SigilError {
  return value instanceof SigilError;
}

/** Describes anything thrown, for messages: never throws itself. */
export function describeError(value: unknown): string {
  if (value instanceof Error) return value.message;
  try {
    return String(value);
  } catch {
    return 'unknown error';
  }
}
