import type { Statement } from '@sigil/bundle';
import type { SignerIdentity } from '@sigil/verify';
import { ProvenanceError } from '../errors.js';
import { asObject, objectField, stringField } from '../json-fields.js';
import { unmasked } from '../slsa/fields.js';

// npm's GitLab statements (libnpmpublish provenance.js) record the job's predefined variables
// but no CI_COMMIT_TAG: in a tag pipeline only CI_COMMIT_REF_NAME names the ref. They name the
// job twice, as metadata.buildInvocationId and CI_JOB_URL; Fulcio certifies it as .1.21.

/** The statement's ref name and job URL must be the certificate's ref and Run Invocation URI. */
export function checkNpmGitlabBindings(statement: Statement, signer: SignerIdentity | undefined): void {
  const predicate = asObject(statement.predicate);
  const parameters = objectField(objectField(predicate, 'invocation'), 'parameters');
  const certified = signer?.extensions;

  const refName = unmasked(stringField(parameters, 'CI_COMMIT_REF_NAME'));
  const ref = certified?.sourceRepositoryRef;
  if (ref !== undefined) {
    if (refName === undefined) unknown('source ref name (CI_COMMIT_REF_NAME)', ref);
    if (ref !== `refs/heads/${refName}` && ref !== `refs/tags/${refName}`) mismatch('source ref name (CI_COMMIT_REF_NAME)', ref, refName);
  }

  const job = certified?.runInvocationURI;
  if (job === undefined) return;
  const recorded: [string, string | undefined][] = [
    ['job URL (metadata.buildInvocationId)', stringField(objectField(predicate, 'metadata'), 'buildInvocationId')],
    ['job URL (CI_JOB_URL)', unmasked(stringField(parameters, 'CI_JOB_URL'))],
  ];
  if (recorded.every(([, value]) => value === undefined)) unknown('job URL (metadata.buildInvocationId or CI_JOB_URL)', job);
  for (const [field, value] of recorded) if (value !== undefined && value !== job) mismatch(field, job, value);
}

function unknown(field: string, expected: string): never {
  throw new ProvenanceError('PROVENANCE_NPM_SOURCE_UNKNOWN', `provenance ${field}: expected ${JSON.stringify(expected)} (the signing certificate's), found none in npm's GitLab statement`, {
    details: { field, expected },
  });
}

function mismatch(field: string, expected: string, found: string): never {
  throw new ProvenanceError('PROVENANCE_NPM_SOURCE_MISMATCH', `provenance ${field}: expected ${JSON.stringify(expected)} (the signing certificate's), found ${JSON.stringify(found)}`, {
    details: { field, expected, found },
    hint: 'the provenance describes a build other than the one the certificate was issued to',
  });
}
