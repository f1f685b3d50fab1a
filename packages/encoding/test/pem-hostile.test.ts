import { describe, expect, it } from 'vitest';
import { decodePemBlocks, derToPem } from '../src/index.js';
import { encodingFailure } from './encoding-failure.js';

// Hostile PEM text reaches the reader before any signature check (a Rekor entry's verifier,
// a legacy cosign bundle's cert, image annotations). Each case is 4 MiB; with the former
// regexp the first took minutes, far past the test timeout. A line scan reads each in one pass.
const MiB = 1024 * 1024;
const fill = (unit: string) => unit.repeat(Math.ceil((4 * MiB) / unit.length));

const failure = (text: string) => encodingFailure(() => decodePemBlocks(text, 'verifier'));

describe('PEM: hostile text is read in one pass', () => {
  it('4 MiB of BEGIN lines: refused at the second BEGIN', () => {
    const err = failure(fill('-----BEGIN A-----\n'));
    expect(err.code).toBe('ENCODING_INVALID_PEM');
    expect(err.message).toBe('verifier: BEGIN A is followed by another BEGIN line before its END');
  });

  it('a BEGIN line and 4 MiB that never ends it', () => {
    const err = failure(`-----BEGIN A-----\n${fill('AAAA-----END B\n')}`);
    expect(err.message).toBe('verifier: BEGIN A has no END A line');
  });

  it('4 MiB of BEGIN markers inside one line, or of END lines alone: no block', () => {
    expect(failure(fill('-----BEGIN A----- ')).message).toBe('verifier: expected a -----BEGIN ...----- block, found none');
    expect(failure(fill('-----END A-----\n')).message).toBe('verifier: expected a -----BEGIN ...----- block, found none');
  });

  it('at most 1000 blocks', () => {
    const block = derToPem(new Uint8Array([1, 2, 3]), 'CERTIFICATE');
    expect(decodePemBlocks(block.repeat(1000))).toHaveLength(1000);
    expect(failure(fill(block)).message).toBe('verifier: expected at most 1000 PEM blocks, found more');
  });

  it('ends and labels are still checked line by line', () => {
    expect(failure('-----BEGIN A-----\nAA==\n-----END B-----\n').message).toBe('verifier: BEGIN A is closed by END B');
    expect(failure('-----BEGIN A-----\nAA==\n-----END a-----\n').message).toBe('verifier: BEGIN A is closed by a malformed END line');
    expect(failure('-----BEGIN A-----\n-----END A-----\n').message).toBe('verifier: the A block is empty');
    expect(decodePemBlocks(' -----BEGIN A-----\r\n AA== \r\n-----END A-----').map((b) => [...b.der])).toEqual([[0]]);
  });
});
