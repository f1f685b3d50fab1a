import type { Subject } from '@sigil/bundle';
import { STATEMENT_TYPE_V1 } from '@sigil/bundle';
import { typeOf } from '@sigil/encoding';
import { ProvenanceError } from '../errors.js';
import { normalizeSubjects } from '../slsa/subjects.js';
import { GITLAB_BUILD_TYPE, SLSA_PROVENANCE_V1 } from '../slsa/types.js';
import { readGitlabJob, type Environment } from './job.js';

export interface GitlabProvenanceOptions {
  /** The job's variables: `process.env` inside a GitLab CI job. */
  env: Environment;
  subjects: ReadonlyArray<{ name: string; digest: Readonly<Record<string, string>> }>;
  /** Default: the job's CI_JOB_STARTED_AT. */
  startedOn?: Date;
  finishedOn?: Date;
}

/** The in-toto statement, as the JSON value to sign. */
export interface ProvenanceStatement {
  _type: typeof STATEMENT_TYPE_V1;
  subject: Subject[];
  predicateType: typeof SLSA_PROVENANCE_V1;
  predicate: Record<string, unknown>;
}

/**
 * An SLSA v1 provenance statement for artifacts built by the current GitLab CI job, in
 * GitLab's published build type (docs.gitlab.com/ci/pipeline_security/slsa/provenance_v1).
 * Throws PROVENANCE_ENV_MISSING outside a GitLab job.
 */
export function gitlabProvenance(options: GitlabProvenanceOptions): ProvenanceStatement {
  if (typeof options !== 'object' || options === null) {
    throw new ProvenanceError('PROVENANCE_OPTIONS_INVALID', `gitlabProvenance options: expected an object, found ${typeOf(options)}`);
  }
  const job = readGitlabJob(options.env);
  const subject = normalizeSubjects(options.subjects);
  const startedOn = options.startedOn ?? (job.startedAt === undefined ? undefined : new Date(job.startedAt));
  const internalParameters: Record<string, string> = { job: job.jobId };
  if (job.runnerDescription !== undefined) internalParameters.name = job.runnerDescription;
  if (job.runnerArchitecture !== undefined) internalParameters.architecture = job.runnerArchitecture;
  const builder: Record<string, unknown> = { id: `${job.projectUrl}/-/runners/${job.runnerId}` };
  if (job.runnerRevision !== undefined) builder.version = { 'gitlab-runner': job.runnerRevision };
  const metadata: Record<string, string> = { invocationId: job.jobUrl };
  if (startedOn !== undefined) metadata.startedOn = timestamp(startedOn, 'startedOn');
  if (options.finishedOn !== undefined) metadata.finishedOn = timestamp(options.finishedOn, 'finishedOn');

  return {
    _type: STATEMENT_TYPE_V1,
    subject,
    predicateType: SLSA_PROVENANCE_V1,
    predicate: {
      buildDefinition: {
        buildType: GITLAB_BUILD_TYPE,
        externalParameters: { source: job.projectUrl, entryPoint: job.jobName, variables: job.variables },
        internalParameters,
        resolvedDependencies: [{ uri: `git+${job.projectUrl}@${job.ref}`, digest: { gitCommit: job.commit } }],
      },
      runDetails: { builder, metadata },
    },
  };
}

/** RFC 3339 in UTC, whole seconds: the in-toto timestamp form. */
function timestamp(date: Date, what: string): string {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new ProvenanceError('PROVENANCE_OPTIONS_INVALID', `gitlabProvenance ${what}: expected a valid Date, found ${typeOf(date)}`);
  }
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
