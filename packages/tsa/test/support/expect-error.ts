import { TsaError, type TsaErrorCode } from '../../src/index.js';
import { expectSigilError } from '../../../x509/test/support/expect-error.js';

export const expectTsaError = (fn: () => unknown, code: TsaErrorCode): TsaError => expectSigilError(fn, TsaError, code);
