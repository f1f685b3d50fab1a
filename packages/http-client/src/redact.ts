// What may be shown of a URL or of a server's words: never credentials, never tokens.

const SECRET_PARAM = /token|secret|sig|key|code|pass|auth|session|credential|jwt/i;
const JWT_LIKE = /\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
const MAX_SERVER_MESSAGE = 500;
// Shorter forms are too likely to occur by chance to be cut out of a message: a message that
// holds one is withheld whole instead.
const MIN_REPLACED = 8;
// Fragments of a base64 form shorter than this carry too little of a secret to matter.
const MIN_FRAGMENT = 4;
export const WITHHELD = '[the server message is withheld: it may hold a credential]';

/** The URL for messages: no user info, no fragment, secret-looking query values replaced. */
export function displayUrl(url: URL): string {
  const shown = new URL(url.href);
  shown.username = '';
  shown.password = '';
  shown.hash = '';
  for (const name of new Set(shown.searchParams.keys())) {
    if (SECRET_PARAM.test(name)) shown.searchParams.set(name, 'REDACTED');
  }
  return shown.href;
}

/**
 * A server's error message, safe to print: one line, bounded, with anything shaped like a
 * JWT and the caller's secrets blanked (a hostile server could echo the token into CI logs).
 * Secrets are looked for as they are, percent-encoded and base64-encoded (standard and URL
 * alphabets, at any alignment inside a longer encoding), ignoring case; a message holding a
 * short one is withheld whole.
 */
export function cleanServerMessage(message: string, secrets: readonly string[]): string {
  let text = message;
  for (const form of secretForms(secrets)) {
    const found = indexOfIgnoringCase(text, form);
    if (found < 0) continue;
    if (form.length < MIN_REPLACED) return WITHHELD;
    text = replaceIgnoringCase(text, form, '[redacted]');
  }
  text = text.replace(JWT_LIKE, '[redacted]');
  // eslint-disable-next-line no-control-regex
  text = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return text.length > MAX_SERVER_MESSAGE ? `${text.slice(0, MAX_SERVER_MESSAGE)}…` : text;
}

/**
 * The secrets an Authorization header value carries: the credential after the scheme and,
 * for Basic, the decoded `user:password` and the password, so that an echo of any is caught.
 */
export function authorizationSecrets(header: string): string[] {
  const match = /^\s*([A-Za-z][\w-]*)\s+(\S.*?)\s*$/.exec(header);
  if (!match) return header.trim() === '' ? [] : [header.trim()];
  const [, scheme, credential] = match as unknown as [string, string, string];
  const found = [credential];
  if (scheme.toLowerCase() === 'basic' && /^[A-Za-z0-9+/]+={0,2}$/.test(credential)) {
    const pair = Buffer.from(credential, 'base64').toString('utf8');
    const colon = pair.indexOf(':');
    found.push(pair);
    if (colon >= 0 && colon + 1 < pair.length) found.push(pair.slice(colon + 1));
  }
  return found;
}

/** Every form to look for, longest first (a long form is cut out before a short one inside it withholds the message). */
function secretForms(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret === '') continue;
    forms.add(secret);
    try {
      forms.add(encodeURIComponent(secret));
    } catch {
      // a lone surrogate has no percent-encoding: nothing more to look for
    }
    for (const fragment of base64Fragments(Buffer.from(secret, 'utf8'))) forms.add(fragment);
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

/**
 * The base64 characters that depend on the secret's bytes alone, for each of the three
 * alignments the secret can have inside a longer encoded string, in both alphabets.
 */
function base64Fragments(bytes: Buffer): string[] {
  const fragments: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64').replace(/=+$/, '');
    // Characters that mix in the leading filler bytes, and a last one that would mix in what follows.
    const start = offset === 0 ? 0 : offset === 1 ? 2 : 3;
    const end = ((offset + bytes.length) * 8) % 6 === 0 ? encoded.length : encoded.length - 1;
    const core = encoded.slice(start, end);
    // The secret encoded on its own (a Basic credential) ends in its partial character.
    const whole = offset === 0 ? [encoded] : [];
    for (const fragment of [...whole, ...(core.length >= MIN_FRAGMENT ? [core] : [])]) {
      fragments.push(fragment, fragment.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  return fragments.filter((f) => f !== '');
}

function indexOfIgnoringCase(text: string, form: string): number {
  return text.toLowerCase().indexOf(form.toLowerCase());
}

function replaceIgnoringCase(text: string, form: string, by: string): string {
  const escaped = form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(escaped, 'gi'), by);
}
