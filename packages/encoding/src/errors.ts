import { SigilError } from '@sigil/errors';

export type EncodingErrorCode =
  | 'ENCODING_INVALID_BASE64'
  | 'ENCODING_INVALID_HEX'
  | 'ENCODING_INVALID_PEM'
  | 'ENCODING_INVALID_UTF8'
  | 'ENCODING_INVALID_JSON'
  | 'ENCODING_JSON_TOO_DEEP'
  | 'ENCODING_JSON_TOO_LARGE'
  | 'ENCODING_UNSUPPORTED_JSON_VALUE';

export class EncodingError extends SigilError<EncodingErrorCode> {}
