// What may be shown of a URL or of a server's words: never credentials, never tokens.

const SECRET_PARAM = /token|secret|sig|key|code|pass|auth|session|credential|jwt/i;
const JWT_LIKE = /\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
const MAX_SERVER_MESSAGE = 500;

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
 */
export function cleanServerMessage(message: string, secrets: readonly string[]): string {
  let text = message;
  for (const secret of secrets) if (secret.length >= 8) text = text.split(secret).join('[redacted]');
  text = text.replace(JWT_LIKE, '[redacted]');
  // eslint-disable-next-line no-control-regex
  text = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return text.length > MAX_SERVER_MESSAGE ? `${text.slice(0, MAX_SERVER_MESSAGE)}…` : text;
}
