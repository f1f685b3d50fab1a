import { SigilError } from '@sigil/errors';

export type BundleErrorCode =
  | 'BUNDLE_INVALID_JSON'
  | 'BUNDLE_UNSUPPORTED_MEDIA_TYPE'
  | 'BUNDLE_MISSING_FIELD'
  | 'BUNDLE_INVALID_FIELD'
  | 'BUNDLE_TOO_LARGE'
  | 'BUNDLE_INVALID_STATEMENT';

/** Which kind of document an error is about; also in `details.document`. */
export type DocumentName =
  | 'bundle'
  | 'DSSE envelope'
  | 'in-toto statement'
  | 'trusted root'
  | 'signing config'
  | 'client trust config';

/**
 * Every error carries `details.document` and `details.path`, the JSON path of the
 * offending value (`verificationMaterial.tlogEntries[0].logIndex`; '' for the whole document).
 */
export class BundleError extends SigilError<BundleErrorCode> {}
