import type { HashAlgorithm } from '@sigil/crypto';

/** protobuf HashAlgorithm names Sigil can verify with. (SHA3 ones are deprecated upstream.) */
export const HASH_ALGORITHM_BY_NAME: Readonly<Record<string, HashAlgorithm>> = {
  SHA2_256: 'sha256',
  SHA2_384: 'sha384',
  SHA2_512: 'sha512',
};

export const HASH_ALGORITHM_NAME: Readonly<Record<HashAlgorithm, string>> = {
  sha256: 'SHA2_256',
  sha384: 'SHA2_384',
  sha512: 'SHA2_512',
};
