import { EncodingError } from './errors.js';

/**
 * The error when it is checkJsonShape refusing a document over its kind's limits (too many
 * containers or values, or too deep), else undefined. Such a message holds only the kind's
 * name and numbers, never the text, so it may be passed on even for a document a hostile
 * server wrote; a parser's message may not (it quotes the text).
 */
export function jsonShapeRefusal(err: unknown): EncodingError | undefined {
  const refused = err instanceof EncodingError && (err.code === 'ENCODING_JSON_TOO_LARGE' || err.code === 'ENCODING_JSON_TOO_DEEP');
  return refused ? err : undefined;
}
