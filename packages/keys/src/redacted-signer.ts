const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * What every Signer shows of itself: its kind and algorithm, never its key. JSON.stringify,
 * String() and util.inspect all go through these (the private key lives in private fields).
 */
export abstract class RedactedSigner {
  readonly #kind: string;

  protected constructor(kind: string) {
    this.#kind = kind;
  }

  abstract readonly algorithm: string;

  toJSON(): Record<string, string> {
    return { type: this.#kind, algorithm: this.algorithm, privateKey: '[redacted]' };
  }

  toString(): string {
    return `${this.#kind}(${this.algorithm}, private key redacted)`;
  }

  [INSPECT](): string {
    return this.toString();
  }
}
