import { RegistryTestError } from './errors.js';

// Checks of the options the registries and the test image take: each names the option it refuses.

export function checkOptionalObject(value: unknown, what: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(`${what}: expected an object, found ${describe(value)}`);
  }
}

export function checkString(value: unknown, what: string, rules: { nonEmpty?: boolean; noColon?: boolean; secret?: boolean } = {}): string {
  // A secret's value never appears in the message, only what is wrong with it.
  const found = rules.secret ? 'another value' : describe(value);
  if (typeof value !== 'string') throw invalid(`${what}: expected a string, found ${rules.secret ? typeof value : found}`);
  if (rules.nonEmpty && value === '') throw invalid(`${what}: expected a non-empty string, found ''`);
  if (rules.noColon && value.includes(':')) throw invalid(`${what}: expected no ':' (it separates user and password), found ${found}`);
  if (/[\r\n\0]/.test(value)) throw invalid(`${what}: expected no line break or NUL, found ${found}`);
  return value;
}

export function checkOptionalBoolean(value: unknown, what: string): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw invalid(`${what}: expected true or false, found ${describe(value)}`);
}

export function checkOptionalInteger(value: unknown, what: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max) return value;
  throw invalid(`${what}: expected an integer from ${min} to ${max}, found ${describe(value)}`);
}

/** The registries bind to loopback only. */
export function checkLoopbackHost(value: unknown): '127.0.0.1' {
  if (value === undefined || value === '127.0.0.1') return '127.0.0.1';
  throw invalid(`host: expected 127.0.0.1, found ${describe(value)}`);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

function invalid(message: string): RegistryTestError {
  return new RegistryTestError('REGISTRY_INPUT_INVALID', message);
}
