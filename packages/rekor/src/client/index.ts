// @sigil/rekor/client: a Rekor v1 HTTP client (entries, log info, keys, proofs), the proposed
// entries it sends (hashedrekord, dsse), and bundle tlog entries from what it gets back.
export { RekorClientError, type RekorClientErrorCode } from './errors.js';
export { createRekorClient, type RekorClient, type RekorClientOptions } from './rekor-client.js';
export type { RekorLogEntry, RekorInclusionProof } from './log-entry.js';
export type { RekorLogInfo, RekorShardInfo, RekorConsistencyProof } from './log-info.js';
export { hashedRekordProposal, dsseProposal, type ProposedEntry, type HashedRekordProposalFields, type DsseProposalFields } from './proposals.js';
export { toTransparencyLogEntry, type TransparencyLogEntry } from './transparency-log-entry.js';
export { createRekorV2Client, type RekorV2Client, type RekorV2ClientOptions } from './rekor-v2-client.js';
export { hashedRekordV002Request, dsseV002Request, type HashedRekordV002RequestFields, type DsseV002RequestFields } from './proposals-v2.js';
export { tileProofs, type TileProofs } from './tile-proofs.js';
