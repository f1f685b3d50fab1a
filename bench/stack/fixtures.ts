// Entries for the benchmark, made as the tests make them: one certified P-256 key, a fresh
// artifact per entry. Bundled by run.mjs.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { derToPem } from '@sigil/encoding';
import { createEntrySigner } from '../../test-infra/stack/test/rekor-server/support/entries.js';

export function createFixtures(dir: string) {
  const signer = createEntrySigner();
  const caFile = join(dir, 'trusted-ca.pem');
  writeFileSync(caFile, signer.ca.chain.map((der) => derToPem(der, 'CERTIFICATE')).join(''));
  return {
    caFile,
    certificatePem: signer.certificatePem,
    /** A hashedrekord 0.0.1 proposed entry, serialized. */
    nextEntry: (): Buffer => Buffer.from(JSON.stringify(signer.hashedRekord().proposed)),
    /** A Rekor v2 hashedrekord 0.0.2 request, serialized. */
    nextEntryV2: (): Buffer => Buffer.from(JSON.stringify(signer.hashedRekordV2().request)),
  };
}
