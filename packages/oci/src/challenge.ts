import { OciError } from './errors.js';

/** One challenge of a `WWW-Authenticate` header (RFC 7235): the scheme in lower case and its parameters. */
export interface AuthChallenge {
  scheme: string;
  /** Parameter names in lower case; quoted values unescaped. */
  params: Readonly<Record<string, string>>;
  /** The token68 form some schemes use instead of parameters. */
  token68?: string;
}

const MAX_HEADER_LENGTH = 8192;
const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const TOKEN68_CHAR = /[A-Za-z0-9\-._~+/]/;

/**
 * Parses a `WWW-Authenticate` value (several headers arrive joined by ", ") into its
 * challenges, strictly: anything outside the RFC 7235 grammar, a repeated parameter or an
 * overlong header is OCI_AUTH_CHALLENGE_INVALID, never a guess.
 */
export function parseAuthChallenges(header: string): AuthChallenge[] {
  if (typeof header !== 'string' || header.length > MAX_HEADER_LENGTH) {
    throw invalid(`expected a header of at most ${MAX_HEADER_LENGTH} characters, found ${typeof header === 'string' ? header.length : typeof header}`);
  }
  const parser = new ChallengeParser(header);
  const challenges: AuthChallenge[] = [];
  parser.skipSeparators();
  while (!parser.atEnd()) {
    challenges.push(parser.challenge());
    parser.skipSeparators();
  }
  if (challenges.length === 0) throw invalid('expected at least one challenge, found none');
  return challenges;
}

class ChallengeParser {
  private at = 0;
  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.at >= this.text.length;
  }

  skipSeparators(): void {
    while (!this.atEnd() && /[ \t,]/.test(this.text[this.at]!)) this.at++;
  }

  challenge(): AuthChallenge {
    const scheme = this.token('an auth scheme').toLowerCase();
    const params: Record<string, string> = {};
    if (!this.skipSpaces()) return { scheme, params };
    if (this.atEnd() || this.text[this.at] === ',') return { scheme, params };
    if (!this.startsParam()) return { scheme, params, token68: this.token68() };
    for (;;) {
      const name = this.token('a parameter name').toLowerCase();
      this.skipSpaces();
      this.expect('=');
      this.skipSpaces();
      const value = this.text[this.at] === '"' ? this.quoted() : this.token(`a value for ${name}`);
      if (Object.hasOwn(params, name)) throw invalid(`expected each parameter once, found ${KNOWN_PARAMS.has(name) ? name : 'one'} twice`);
      params[name] = value;
      this.skipSpaces();
      if (this.atEnd()) break;
      this.expect(',');
      // After a comma: another parameter of this challenge, or the next challenge.
      const mark = this.at;
      this.skipSeparators();
      if (this.atEnd() || !this.startsParam()) {
        this.at = mark;
        break;
      }
    }
    return { scheme, params };
  }

  /** Whether a `name =` parameter starts here (rather than a new scheme or a token68). */
  private startsParam(): boolean {
    let i = this.at;
    while (i < this.text.length && TCHAR.test(this.text[i]!)) i++;
    if (i === this.at) return false;
    while (i < this.text.length && /[ \t]/.test(this.text[i]!)) i++;
    if (this.text[i] !== '=') return false;
    i++;
    while (i < this.text.length && /[ \t]/.test(this.text[i]!)) i++;
    return i < this.text.length && (this.text[i] === '"' || TCHAR.test(this.text[i]!));
  }

  private token(what: string): string {
    const start = this.at;
    while (!this.atEnd() && TCHAR.test(this.text[this.at]!)) this.at++;
    if (this.at === start) throw invalid(`expected ${what} at offset ${start}, found ${this.found()}`);
    return this.text.slice(start, this.at);
  }

  private token68(): string {
    const start = this.at;
    while (!this.atEnd() && TOKEN68_CHAR.test(this.text[this.at]!)) this.at++;
    while (!this.atEnd() && this.text[this.at] === '=') this.at++;
    if (this.at === start) throw invalid(`expected parameters or a token68 at offset ${start}, found ${this.found()}`);
    this.skipSpaces();
    if (!this.atEnd() && this.text[this.at] !== ',') throw invalid(`expected ',' after a token68 at offset ${this.at}, found ${this.found()}`);
    return this.text.slice(start, this.at).trimEnd();
  }

  private quoted(): string {
    const start = this.at;
    this.at++;
    let value = '';
    for (;;) {
      if (this.atEnd()) throw invalid(`expected a closing quote for the string at offset ${start}, found the end`);
      const char = this.text[this.at++]!;
      if (char === '"') return value;
      if (char === '\\') {
        if (this.atEnd()) throw invalid(`expected a character after '\\' at offset ${this.at - 1}, found the end`);
        value += this.text[this.at++]!;
      } else if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(char)) {
        throw invalid(`expected no control characters in the string at offset ${start}`);
      } else value += char;
    }
  }

  private expect(char: string): void {
    if (this.text[this.at] !== char) throw invalid(`expected '${char}' at offset ${this.at}, found ${this.found()}`);
    this.at++;
  }

  private skipSpaces(): boolean {
    const start = this.at;
    while (!this.atEnd() && /[ \t]/.test(this.text[this.at]!)) this.at++;
    return this.at > start;
  }

  // One character, never a run of the header's text: the registry writes it and may echo a credential.
  private found(): string {
    if (this.atEnd()) return 'the end';
    const char = this.text[this.at]!;
    return /[\w!#$%&'*+.^`|~-]/.test(char) ? 'a token character' : JSON.stringify(char);
  }
}

// The parameters registries send, named in messages; any other name is the server's text.
const KNOWN_PARAMS = new Set(['realm', 'service', 'scope', 'error', 'error_description', 'charset']);

function invalid(reason: string): OciError {
  return new OciError('OCI_AUTH_CHALLENGE_INVALID', `WWW-Authenticate: ${reason}`, {
    hint: 'The registry answered 401 with a challenge this client cannot read.',
  });
}
