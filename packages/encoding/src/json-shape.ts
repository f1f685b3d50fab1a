import { EncodingError } from './errors.js';

/**
 * Bounds on the shape of JSON read from outside. No Sigstore document, in-toto statement or
 * service answer nests more than a few dozen levels; protobuf's C++ parser stops at 100. An
 * array or object costs V8 about 100 bytes while it is parsed, any other value about 30: their
 * counts bound the parsed value's memory (64 MB of `0,` parsed to 1 GB; under the limits a
 * document costs at most a few hundred MB, whatever its text, and past the density bound's
 * floors a few times its text).
 */
export interface JsonShapeLimits {
  /** Arrays and objects open at once. */
  maxDepth?: number;
  /** Arrays and objects in the whole text. */
  maxContainers?: number;
  /** Values in the whole text: array elements and object members (counted by their commas) and containers. */
  maxValues?: number;
}

export const MAX_JSON_DEPTH = 100;
export const MAX_JSON_CONTAINERS = 1_000_000;
export const MAX_JSON_VALUES = 2_000_000;

// Past the first 50,000 arrays and objects and 200,000 values (a few MB parsed, whatever the
// text), a document must be long enough for what it holds: 32 characters an array or object and
// 8 a value on average, so that parsing it costs a few times its size at most (a megabyte of
// `{},` parsed to 40 MB). Real large documents use more: an SBOM component, a packument version
// or a resolved dependency is 60 to 300 characters a container, 25 or more a value; a coverage
// report or a tag list of build numbers is denser, but far below the floors.
const DENSITY = {
  containers: { floor: 50_000, characters: 32 },
  values: { floor: 200_000, characters: 8 },
} as const;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const COMMA = 0x2c;

/**
 * Refuses JSON text that nests deeper, or holds more arrays and objects or values, than the
 * limits, in one pass and before anything is parsed: JSON.parse builds a value of any depth
 * and width (64 MB of '[' took 17 s and 3.3 GB), and a recursive walk would overflow the stack.
 * Too deep is refused at once; too many is counted to the end, so the error says how many
 * there are (the pass allocates nothing). Invalid text may pass: it is left to the parser,
 * which this check never replaces.
 */
export function checkJsonShape(text: string, what = 'JSON', limits: JsonShapeLimits = {}): void {
  const maxDepth = limits.maxDepth ?? MAX_JSON_DEPTH;
  const containerBound = boundOf(limits.maxContainers ?? MAX_JSON_CONTAINERS, DENSITY.containers, text.length);
  const valueBound = boundOf(limits.maxValues ?? MAX_JSON_VALUES, DENSITY.values, text.length);
  const maxContainers = containerBound.limit;
  const maxValues = valueBound.limit;
  let depth = 0;
  let containers = 0;
  let values = 0;
  let containersPassedAt = -1;
  let valuesPassedAt = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = closingQuote(text, i);
    } else if (c === COMMA) {
      if (++values === maxValues + 1) valuesPassedAt = i;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++values === maxValues + 1) valuesPassedAt = i;
      if (++depth > maxDepth) {
        throw new EncodingError('ENCODING_JSON_TOO_DEEP', `${what}: expected JSON nested at most ${maxDepth} levels deep, found deeper nesting at offset ${i}`, {
          details: { limit: maxDepth, offset: i },
        });
      }
      if (++containers === maxContainers + 1) containersPassedAt = i;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
    }
  }
  if (containersPassedAt >= 0) tooMany(what, 'arrays and objects', maxContainers, containerBound.why, containers, containersPassedAt);
  if (valuesPassedAt >= 0) tooMany(what, 'values', maxValues, valueBound.why, values, valuesPassedAt);
}

/** The lower of the kind's limit and the text's density bound, and which one it is for the message. */
function boundOf(kindLimit: number, density: { floor: number; characters: number }, length: number): { limit: number; why: string } {
  const bySize = Math.max(density.floor, Math.floor(length / density.characters));
  if (kindLimit <= bySize) return { limit: kindLimit, why: '' };
  return { limit: bySize, why: ` (one per ${density.characters} characters of its ${length}, ${density.floor} at least)` };
}

function tooMany(what: string, counted: string, limit: number, why: string, found: number, offset: number): never {
  throw new EncodingError('ENCODING_JSON_TOO_LARGE', `${what}: expected JSON with at most ${limit} ${counted}${why}, found ${found} (the limit passed at offset ${offset})`, {
    details: { limit, found, offset },
  });
}

/** The index of the quote that closes the string opened at `open` (or the text's end). */
function closingQuote(text: string, open: number): number {
  for (let from = open + 1; ; ) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return text.length;
    // Escaped when preceded by an odd run of backslashes; each run is walked once.
    let run = 0;
    while (text.charCodeAt(quote - 1 - run) === BACKSLASH) run++;
    if (run % 2 === 0) return quote;
    from = quote + 1;
  }
}
