import { createReadStream } from 'node:fs';
import type { Subject } from '@sigil/bundle';
import { hashStream, type HashAlgorithm, HASH_ALGORITHMS } from '@sigil/crypto';
import { encodeHex, typeOf } from '@sigil/encoding';
import { ProvenanceError } from './errors.js';

export interface SubjectsFromFilesOptions {
  /** Digests to compute for each file (one read per file). Default `['sha256']`. */
  algorithms?: readonly HashAlgorithm[];
}

/**
 * In-toto subjects for artifacts on disk, each file read once as a stream. The subject's
 * name is the path as given. Throws PROVENANCE_FILE_UNREADABLE naming the file.
 */
export async function subjectsFromFiles(paths: readonly string[], options: SubjectsFromFilesOptions = {}): Promise<Subject[]> {
  if (!Array.isArray(paths) || paths.length === 0 || !paths.every((p) => typeof p === 'string' && p !== '')) {
    throw new ProvenanceError('PROVENANCE_SUBJECT_INVALID', `artifact paths: expected a non-empty list of file paths, found ${typeOf(paths)}`);
  }
  const algorithms = options.algorithms ?? ['sha256'];
  if (algorithms.length === 0 || !algorithms.every((a) => HASH_ALGORITHMS.includes(a))) {
    throw new ProvenanceError('PROVENANCE_SUBJECT_INVALID', `digest algorithms: expected some of ${HASH_ALGORITHMS.join(', ')}, found ${JSON.stringify(algorithms)}`);
  }
  const subjects: Subject[] = [];
  for (const path of paths) {
    let digests: Map<HashAlgorithm, Uint8Array>;
    try {
      digests = await hashStream(createReadStream(path), algorithms);
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException)?.code ?? 'read failed';
      throw new ProvenanceError('PROVENANCE_FILE_UNREADABLE', `artifact ${JSON.stringify(path)}: cannot be read (${reason})`, { cause: err, details: { path } });
    }
    subjects.push({ name: path, digest: Object.fromEntries([...digests].map(([alg, d]) => [alg, encodeHex(d)])) });
  }
  return subjects;
}
