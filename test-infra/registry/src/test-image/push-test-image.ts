import type { TestImage } from './build-test-image.js';
import { RegistryTestError } from '../errors.js';
import { isRepositoryName, isTag } from '../grammar.js';

export interface PushCredentials {
  username: string;
  password: string;
}

export interface PushedImage {
  digest: string;
  /** `HOST:PORT/repository@sha256:…`, the form `sign` takes. */
  reference: string;
}

/**
 * Pushes a test image with plain fetch (blob sessions POST then PUT, manifest PUT by tag), so
 * tests can set up a registry without the client under test. Speaks anonymous, Basic and the
 * bearer-token flow; takes absolute and relative upload Locations.
 */
export async function pushTestImage(registryUrl: string, repository: string, tag: string, image: TestImage, auth?: PushCredentials): Promise<PushedImage> {
  const base = parseBase(registryUrl);
  if (!isRepositoryName(repository)) throw invalid(`repository: expected an OCI repository name, found ${JSON.stringify(repository)}`);
  if (!isTag(tag)) throw invalid(`tag: expected an OCI tag, found ${JSON.stringify(tag)}`);
  const authorization = await authorize(base, repository, auth);
  const send = (method: string, url: URL | string, init: { body?: Uint8Array; contentType?: string } = {}) =>
    request(method, new URL(url, base), authorization, init);

  for (const blob of [image.config, image.layer]) {
    const session = await send('POST', `/v2/${repository}/blobs/uploads/`);
    expectStatus(session, 202, 'POST blob upload');
    const location = session.headers.get('location');
    if (!location) throw failed('POST blob upload: expected a Location header, found none', session.status);
    const target = new URL(location, base);
    target.searchParams.set('digest', blob.digest);
    expectStatus(await send('PUT', target, { body: blob.bytes, contentType: 'application/octet-stream' }), 201, `PUT blob ${blob.digest}`);
  }
  const put = await send('PUT', `/v2/${repository}/manifests/${tag}`, { body: image.manifest, contentType: image.mediaType });
  expectStatus(put, 201, 'PUT manifest');
  const digest = put.headers.get('docker-content-digest');
  if (digest !== image.manifestDigest) {
    throw failed(`PUT manifest: expected Docker-Content-Digest ${image.manifestDigest}, found ${digest ?? 'none'}`, put.status);
  }
  return { digest, reference: `${base.host}/${repository}@${digest}` };
}

/** The Authorization header for this repository: none, Basic, or a token from the challenge's realm. */
async function authorize(base: URL, repository: string, auth: PushCredentials | undefined): Promise<string | undefined> {
  const probe = await request('GET', new URL('/v2/', base), undefined);
  if (probe.status === 200) return undefined;
  expectStatus(probe, 401, 'GET /v2/');
  if (!auth) throw failed('GET /v2/: the registry asks for credentials, none were given', probe.status);
  const basic = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  const challenge = probe.headers.get('www-authenticate') ?? '';
  if (/^basic\b/i.test(challenge)) return basic;
  const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!.toLowerCase(), m[2]!]));
  if (!/^bearer\b/i.test(challenge) || params.realm === undefined) {
    throw failed('GET /v2/: expected a Basic or Bearer challenge with a realm, found another', probe.status);
  }
  const tokenUrl = new URL(params.realm);
  if (params.service !== undefined) tokenUrl.searchParams.set('service', params.service);
  tokenUrl.searchParams.set('scope', `repository:${repository}:pull,push`);
  const answer = await request('GET', tokenUrl, basic);
  expectStatus(answer, 200, 'GET token');
  const body = (await answer.json().catch(() => ({}))) as { token?: unknown; access_token?: unknown };
  const token = body.token ?? body.access_token;
  if (typeof token !== 'string' || token === '') throw failed('GET token: expected a token in the answer, found none', answer.status);
  return `Bearer ${token}`;
}

async function request(method: string, url: URL, authorization: string | undefined, init: { body?: Uint8Array; contentType?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  if (authorization) headers.authorization = authorization;
  if (init.contentType) headers['content-type'] = init.contentType;
  try {
    return await fetch(url, { method, headers, body: init.body, redirect: 'manual', signal: AbortSignal.timeout(15_000) });
  } catch (err) {
    throw new RegistryTestError('REGISTRY_PUSH_FAILED', `${method} ${url.pathname}: no answer (${(err as Error).message})`, { cause: err });
  }
}

function expectStatus(res: Response, status: number, what: string): void {
  if (res.status !== status) throw failed(`${what}: expected ${status}, found ${res.status}`, res.status);
}

function parseBase(text: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/' || url.search !== '') {
    throw invalid(`registryUrl: expected http(s)://host[:port], found ${JSON.stringify(text)}`);
  }
  return url;
}

function failed(message: string, status: number): RegistryTestError {
  return new RegistryTestError('REGISTRY_PUSH_FAILED', message, { details: { status } });
}

function invalid(message: string): RegistryTestError {
  return new RegistryTestError('REGISTRY_INPUT_INVALID', message);
}
