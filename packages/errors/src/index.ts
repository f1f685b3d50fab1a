// @sigil/errors: the error base class every Sigil package builds its own errors on.
export { SigilError, isSigilError, describeError, type SigilErrorOptions } from './sigil-error.js';
export { printable, isPrintable } from './printable.js';
