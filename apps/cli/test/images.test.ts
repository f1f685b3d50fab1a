import { spawnSync } from 'node:child_process';
import { connect, type AddressInfo } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeFetch } from '@sigil/http-client';
import { createRegistryClient, parseImageReference, referenceTo, signatureTag } from '@sigil/oci';
import { buildTestImage, pushTestImage, startOciRegistry, type OciRegistry } from '@sigil/registry';
import { createStack, type Stack } from '@sigil/stack';
import { printedCode, runCli, withProcessEnv, tokenIdentity } from './run-cli.js';

// sign and verify as cosign users run them, on the local stack and the in-repo registry:
// cosign's verify output field for field (both storage formats), its exit codes,
// COSIGN_REPOSITORY, --upload=false with --bundle.
const work = mkdtempSync(join(tmpdir(), 'sigil-images-'));
let stack: Stack;
let registry: OciRegistry;
let identity: string;
const env = () => ({ COSIGN_SIGNING_CONFIG: stack.signingConfig, COSIGN_TRUSTED_ROOT: stack.trustedRoot, COSIGN_YES: 'true', COSIGN_ALLOW_INSECURE_REGISTRY: 'true' });
const policy = () => ['--certificate-identity', identity, '--certificate-oidc-issuer', stack.oidcIssuer];

beforeAll(async () => {
  stack = await createStack({ dir: join(work, 'stack') });
  registry = await startOciRegistry();
  identity = tokenIdentity(await stack.mintToken());
}, 60_000);
afterAll(async () => {
  await registry?.close();
  await stack?.close();
});

async function push(repository: string, content: string): Promise<{ image: string; digest: string }> {
  const pushed = await pushTestImage(registry.url, repository, 'v1', buildTestImage({ content }));
  return { image: `${registry.host}/${repository}:v1`, digest: pushed.reference.split('@')[1]! };
}

/** Runs sigil with a job's variables set in process.env. */
async function sigil(args: string[], extra: Record<string, string> = {}) {
  return withProcessEnv({ ...env(), ...extra, SIGSTORE_ID_TOKEN: await stack.mintToken() }, () => runCli(args));
}

describe("verify prints what cosign prints", () => {
  it('a cosign 3 bundle: the claims cosign rebuilds from the statement (transformOutput), no certificate fields', async () => {
    const { image, digest } = await push('out/bundle', 'bundle image\n');
    expect((await sigil(['sign', image, '-a', 'env=prod,team=a&b'])).code).toBe(0);
    const run = await sigil(['verify', image, ...policy(), '-a', 'env=prod']);
    expect(run.code, run.stderr).toBe(0);
    // Go's encoding/json: struct fields in order, map keys sorted, & escaped.
    const expected = `[{"critical":{"identity":{"docker-reference":"${image}"},"image":{"docker-manifest-digest":"${digest}"},"type":"https://sigstore.dev/cosign/sign/v1"},"optional":{"env":"prod","team":"a\\u0026b"}}]`;
    expect(run.stdout).toBe(`\n${expected}\n`);
    expect(run.stderr).toContain(`Verification for ${image} --\nThe following checks were performed on each of these signatures:\n  - The specified annotations were verified.\n  - The cosign claims were validated\n`);
    const text = await sigil(['verify', image, ...policy(), '-o', 'text']);
    expect(text.stdout).toBe(`${expected.slice(1, -1)}\n`);
  });

  it('a cosign 2 .sig: the payload, Subject, Issuer, the issuer OID and the Rekor bundle as cosign re-marshals it', async () => {
    const { image, digest } = await push('out/legacy', 'legacy image\n');
    expect((await sigil(['sign', image, '--new-bundle-format=false', '-a', 'env=prod'])).code).toBe(0);
    const run = await sigil(['verify', image, ...policy()]);
    expect(run.code, run.stderr).toBe(0);
    // What cosign reads: the layer's payload and annotations, straight from the registry.
    const client = createRegistryClient({ allowInsecure: true });
    const ref = parseImageReference(image);
    const sig = await client.getManifest(referenceTo(ref, { tag: signatureTag(digest) }));
    const layer = (sig.json.layers as { digest: string; annotations: Record<string, string> }[])[0]!;
    const payload = JSON.parse(Buffer.from(await client.getBlob(ref, layer.digest)).toString());
    const rekor = JSON.parse(layer.annotations['dev.sigstore.cosign/bundle']!);
    const expected = [
      {
        critical: { identity: { 'docker-reference': payload.critical.identity['docker-reference'] }, image: { 'docker-manifest-digest': digest }, type: 'cosign container image signature' },
        optional: {
          '1.3.6.1.4.1.57264.1.1': stack.oidcIssuer,
          Bundle: { SignedEntryTimestamp: rekor.SignedEntryTimestamp, Payload: { body: rekor.Payload.body, integratedTime: rekor.Payload.integratedTime, logIndex: rekor.Payload.logIndex, logID: rekor.Payload.logID } },
          Issuer: stack.oidcIssuer,
          Subject: identity,
          env: 'prod',
        },
      },
    ];
    expect(run.stdout).toBe(`\n${JSON.stringify(expected)}\n`);
    const text = await sigil(['verify', image, ...policy(), '-o', 'text']);
    expect(text.stdout).toBe(`${Buffer.from(await client.getBlob(ref, layer.digest)).toString()}\n`);
    expect(text.stderr).toContain(`Certificate subject: ${identity}\nCertificate issuer URL: ${stack.oidcIssuer}\n`);
  });

  it('certificate values reach the terminal escaped: a newline in a claim starts no line of its own', async () => {
    const { image } = await push('out/newline', 'newline claim\n');
    const forged = 'Certificate subject: https://gitlab.com/trusted/p//.gitlab-ci.yml@refs/heads/main';
    const token = await stack.mintToken({ claims: { ci_config_ref_uri: `gitlab.com/evil/p//.gitlab-ci.yml@refs/heads/main\n${forged}` } });
    const signed = await withProcessEnv({ ...env(), SIGSTORE_ID_TOKEN: token }, () => runCli(['sign', image, '--new-bundle-format=false']));
    expect(signed.code, signed.stderr).toBe(0);
    const anyIdentity = ['--certificate-identity-regexp', '^[\\s\\S]*$', '--certificate-oidc-issuer', stack.oidcIssuer];
    const text = await withProcessEnv(env(), () => runCli(['verify', image, ...anyIdentity, '-o', 'text']));
    expect(text.code, text.stderr).toBe(0);
    for (const run of [signed, text]) {
      expect(run.stderr).toContain(`refs/heads/main\\u000a${forged}`);
      expect(run.stderr.split('\n').filter((line) => line.startsWith('Certificate subject:'))).toHaveLength(run === text ? 1 : 0);
    }
  });

  it('--insecure-ignore-tlog: the cosign 2 Rekor bundle is not printed, since its SET was not verified', async () => {
    const { image } = await push('out/ignored-tlog', 'ignored tlog\n');
    expect((await sigil(['sign', image, '--new-bundle-format=false'])).code).toBe(0);
    const checked = await sigil(['verify', image, ...policy()]);
    expect(JSON.parse(checked.stdout)[0].optional.Bundle.Payload.logIndex).toEqual(expect.any(Number));
    const ignored = await sigil(['verify', image, ...policy(), '--insecure-ignore-tlog']);
    expect(ignored.code, ignored.stderr).toBe(0);
    expect(JSON.parse(ignored.stdout)[0].optional).not.toHaveProperty('Bundle');
    expect(JSON.parse(ignored.stdout)[0].optional.Subject).toBe(identity);
  });

  it("cosign's exit codes: 10 no signatures, 11 no such tag, 12 no matching cosign 2 signature", async () => {
    const { image } = await push('codes/unsigned', 'unsigned\n');
    expect((await sigil(['verify', image, ...policy()])).code).toBe(10);
    expect((await sigil(['verify', `${registry.host}/codes/unsigned:nope`, ...policy()])).code).toBe(11);
    const legacy = await push('codes/legacy', 'legacy other\n');
    expect((await sigil(['sign', legacy.image, '--legacy-format'])).code).toBe(0);
    const wrong = await sigil(['verify', legacy.image, '--certificate-identity', 'https://example.com/other', '--certificate-oidc-issuer', stack.oidcIssuer]);
    expect(wrong.code, wrong.stderr).toBe(12);
  });

  it("cosign's COSIGN_MAX_ATTACHMENT_SIZE bounds what is read; COSIGN_DOCKER_MEDIA_TYPES=1 is refused by name", async () => {
    const { image } = await push('env/sized', 'sized\n');
    expect((await sigil(['sign', image])).code).toBe(0);
    expect((await sigil(['verify', image, ...policy()], { COSIGN_MAX_ATTACHMENT_SIZE: '1MiB' })).code).toBe(0);
    const tooSmall = await sigil(['verify', image, ...policy()], { COSIGN_MAX_ATTACHMENT_SIZE: '100' });
    expect(tooSmall.code).not.toBe(0);
    expect((await sigil(['verify', image, ...policy()], { COSIGN_MAX_ATTACHMENT_SIZE: 'lots' })).code).toBe(2);
    const docker = await sigil(['sign', image], { COSIGN_DOCKER_MEDIA_TYPES: '1' });
    expect(docker.code).toBe(2);
    expect(docker.stderr).toContain('COSIGN_DOCKER_MEDIA_TYPES');
  });

  it('several images in one verify; --output-file takes stdout', async () => {
    const a = await push('many/a', 'a\n');
    const b = await push('many/b', 'b\n');
    expect((await sigil(['sign', a.image, b.image])).code).toBe(0);
    const out = join(work, 'verify.json');
    const run = await sigil(['verify', a.image, b.image, ...policy(), '--output-file', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    const printed = readFileSync(out, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
    expect(printed.map((p) => p[0].critical.image['docker-manifest-digest'])).toEqual([a.digest, b.digest]);
  });
});

describe('where signatures go', () => {
  it('COSIGN_REPOSITORY: signed there, verified from there, nothing beside the image (both formats)', async () => {
    const { image, digest } = await push('apps/stored-elsewhere', 'elsewhere\n');
    const elsewhere = { COSIGN_REPOSITORY: `${registry.host}/signatures/store` };
    expect((await sigil(['sign', image], elsewhere)).code).toBe(0);
    expect((await sigil(['sign', image, '--legacy-format'], elsewhere)).code).toBe(0);
    const run = await sigil(['verify', image, ...policy()], elsewhere);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveLength(2);
    // Beside the image: no referrer, no .sig tag.
    const client = createRegistryClient({ allowInsecure: true });
    const ref = parseImageReference(image);
    expect((await client.listReferrers(ref, digest)).manifests).toEqual([]);
    expect(await client.listTags(ref)).toEqual(['v1']);
    expect(await client.listTags(parseImageReference(`${registry.host}/signatures/store`))).toContain(signatureTag(digest));
    expect((await sigil(['verify', image, ...policy()])).code).toBe(10);
  });

  it('--upload=false with --bundle: nothing pushed, the bundle written', async () => {
    const { image } = await push('apps/not-uploaded', 'kept local\n');
    const bundle = join(work, 'image.sigstore.json');
    const run = await sigil(['sign', image, '--upload=false', '--bundle', bundle]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(readFileSync(bundle, 'utf8')).mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
    expect((await sigil(['verify', image, ...policy()])).code).toBe(10);
  });

  it('--recursive signs an index and every image it lists', async () => {
    const images = [buildTestImage({ content: 'arch a\n' }), buildTestImage({ content: 'arch b\n' })];
    const [aDigest, bDigest] = (await Promise.all(images.map(async (image, i) => (await pushTestImage(registry.url, 'multi/app', `v${i}`, image)).reference.split('@')[1]!))) as [string, string];
    const a = { digest: aDigest };
    const sizeOf = async (digest: string) => images[digest === aDigest ? 0 : 1]!.manifest.length;
    const index = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: a.digest, size: await sizeOf(a.digest), platform: { architecture: 'amd64', os: 'linux' } },
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: bDigest, size: await sizeOf(bDigest), platform: { architecture: 'arm64', os: 'linux' } },
      ],
    });
    const put = await fetch(`${registry.url}/v2/multi/app/manifests/index`, { method: 'PUT', body: index, headers: { 'content-type': 'application/vnd.oci.image.index.v1+json' } });
    expect(put.status).toBe(201);
    const signed = await sigil(['sign', '-r', `${registry.host}/multi/app:index`]);
    expect(signed.code, signed.stderr).toBe(0);
    for (const digest of [a.digest, bDigest]) expect((await sigil(['verify', `${registry.host}/multi/app@${digest}`, ...policy()])).code).toBe(0);
    expect((await sigil(['verify', `${registry.host}/multi/app:index`, ...policy()])).code).toBe(0);
  });

  it('attest: --no-upload with --bundle pushes nothing; COSIGN_REPOSITORY stores and reads attestations elsewhere', async () => {
    const { image } = await push('apps/attested', 'attested\n');
    const predicate = join(work, 'predicate.json');
    writeFileSync(predicate, JSON.stringify({ reviewed: true }));
    const bundle = join(work, 'attestation.sigstore.json');
    expect((await sigil(['attest', image, '--predicate', predicate, '--type', 'custom', '--no-upload', '--bundle', bundle])).code).toBe(0);
    expect(JSON.parse(readFileSync(bundle, 'utf8')).dsseEnvelope.payloadType).toBe('application/vnd.in-toto+json');
    expect((await sigil(['verify-attestation', image, '--type', 'custom', ...policy()])).code).toBe(1);
    const elsewhere = { COSIGN_REPOSITORY: `${registry.host}/attestations/store` };
    expect((await sigil(['attest', image, '--predicate', predicate, '--type', 'custom'], elsewhere)).code).toBe(0);
    const verified = await sigil(['verify-attestation', image, '--type', 'custom', ...policy()], elsewhere);
    expect(verified.code, verified.stderr).toBe(0);
    expect(JSON.parse(verified.stdout).payloadType).toBe('application/vnd.in-toto+json');
    expect((await sigil(['verify-attestation', image, '--type', 'custom', ...policy()])).code).toBe(1);
  });
});

describe('registry credentials from a docker credential helper', () => {
  it('credHelpers runs docker-credential-NAME get: sign and verify on a registry that requires a login, no password on the command line', async () => {
    const auth = { kind: 'bearer' as const, username: 'ci-user', password: 'helper-s3cret' };
    const locked = await startOciRegistry({ auth });
    try {
      const pushed = await pushTestImage(locked.url, 'locked/app', 'v1', buildTestImage({ content: 'locked\n' }), auth);
      const bin = join(work, 'helper-bin');
      const config = join(work, 'helper-docker');
      mkdirSync(bin);
      mkdirSync(config);
      const helper = join(bin, 'docker-credential-sigiltest');
      writeFileSync(helper, `#!/bin/sh\nread server\n[ "$server" = "${locked.host}" ] || { echo "credentials not found in native keychain"; exit 1; }\necho '{"ServerURL":"${locked.host}","Username":"ci-user","Secret":"helper-s3cret"}'\n`);
      chmodSync(helper, 0o755);
      writeFileSync(join(config, 'config.json'), JSON.stringify({ credHelpers: { [locked.host]: 'sigiltest' } }));
      const vars = { DOCKER_CONFIG: config, PATH: `${bin}:${process.env.PATH}` };
      const image = `${locked.host}/locked/app@${pushed.reference.split('@')[1]}`;
      const signed = await sigil(['sign', image], vars);
      expect(signed.code, signed.stderr).toBe(0);
      const verified = await sigil(['verify', image, ...policy()], vars);
      expect(verified.code, verified.stderr).toBe(0);
      expect(verified.stderr + signed.stderr).not.toContain('helper-s3cret');
      // cosign's --registry-token: a token from the registry's token service, sent as it is.
      const tokenUrl = `${locked.url}/token?service=sigil-test-registry&scope=repository:locked/app:pull,push`;
      const issued = await fetch(tokenUrl, { headers: { authorization: `Basic ${Buffer.from('ci-user:helper-s3cret').toString('base64')}` } });
      const { token } = (await issued.json()) as { token: string };
      const withToken = await sigil(['verify', image, ...policy(), '--registry-token', token], { DOCKER_CONFIG: join(work, 'no-such-config') });
      expect(withToken.code, withToken.stderr).toBe(0);
      expect(withToken.stderr).not.toContain(token);
      const badToken = await sigil(['verify', image, ...policy(), '--registry-token', 'not-a-valid-token'], { DOCKER_CONFIG: join(work, 'no-such-config') });
      expect(badToken.code).toBe(1);
      expect(badToken.stderr).toContain('OCI_AUTH_FAILED');
      // Without the helper: the registry refuses.
      expect((await sigil(['verify', image, ...policy()], { DOCKER_CONFIG: join(work, 'no-such-config') })).code).toBe(1);
    } finally {
      await locked.close();
    }
  });
});

describe('registry TLS as cosign sets it up (--registry-cacert, --registry-server-name, --allow-insecure-registry)', () => {
  it('a registry behind TLS with a test CA: trusted with its CA and name, refused without, unchecked with a warning', async () => {
    // A CA and a server certificate for registry.test only (not 127.0.0.1), made by openssl.
    const pki = join(work, 'pki');
    mkdirSync(pki);
    const openssl = (...args: string[]) => {
      const run = spawnSync('openssl', args, { cwd: pki, encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
    };
    openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=sigil test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign');
    openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=registry.test');
    writeFileSync(join(pki, 'ext.cnf'), 'subjectAltName=DNS:registry.test\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n');
    openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'ext.cnf');
    // TLS in front of the in-repo registry.
    const upstream = new URL(registry.url);
    const front = createTlsServer({ key: readFileSync(join(pki, 'server.key')), cert: readFileSync(join(pki, 'server.pem')) }, (socket) => {
      const back = connect(Number(upstream.port), upstream.hostname);
      socket.pipe(back).pipe(socket);
      socket.on('error', () => back.destroy());
      back.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    try {
      const { digest } = await push('tls/app', 'behind tls\n');
      const image = `127.0.0.1:${(front.address() as AddressInfo).port}/tls/app@${digest}`;
      const secure = { COSIGN_ALLOW_INSECURE_REGISTRY: '' };
      const ca = ['--registry-cacert', join(pki, 'ca.pem')];
      expect((await sigil(['sign', image, ...ca], secure)).code).toBe(1);
      const signed = await sigil(['sign', image, ...ca, '--registry-server-name', 'registry.test'], secure);
      expect(signed.code, signed.stderr).toBe(0);
      expect((await sigil(['verify', image, ...policy(), ...ca, '--registry-server-name', 'registry.test'], secure)).code).toBe(0);
      expect((await sigil(['verify', image, ...policy()], secure)).code).toBe(1);
      // --allow-insecure-registry turns the checks off (a loopback registry is then also reached
      // over plain http, so the https connection it makes elsewhere is tried here directly).
      const url = `https://127.0.0.1:${(front.address() as AddressInfo).port}/v2/`;
      await expect(createNodeFetch()(url)).rejects.toThrow();
      expect((await createNodeFetch({ rejectUnauthorized: false })(url)).status).toBe(200);
      const warned = await sigil(['verify', image, ...policy(), '--allow-insecure-registry'], secure);
      expect(warned.stderr).toContain('WARNING: --allow-insecure-registry: registry TLS certificates are not verified');
    } finally {
      await new Promise<void>((resolve) => front.close(() => resolve()));
    }
  });
});

describe('sign --key, verify --key', () => {
  it('a cosign 3 bundle referrer (signature and attestation) signed with a key verifies with its public key (file and env://), not with another', async () => {
    const { image } = await push('keys/app', 'key-signed image\n');
    const password = { COSIGN_PASSWORD: 'image-key-password' };
    const [mine, other] = [join(work, 'image-key'), join(work, 'image-other')];
    for (const prefix of [mine, other]) expect((await sigil(['generate-key-pair', '--output-key-prefix', prefix!], password)).code).toBe(0);
    const signed = await sigil(['sign', image, '--key', `${mine}.key`, '-a', 'env=prod'], password);
    expect(signed.code, signed.stderr).toBe(0);
    expect(signed.stderr).toMatch(/Signed \S+ with key \S+ \(sha256 of the public key/);
    expect(signed.stderr).toContain('Pushed signature to referrer');
    expect(signed.stderr + signed.stdout).not.toContain('image-key-password');

    const run = await sigil(['verify', image, '--key', `${mine}.pub`, '-a', 'env=prod']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)[0].optional).toEqual({ env: 'prod' });
    const fromEnv = await sigil(['verify', image, '--key', 'env://IMAGE_PUBLIC_KEY'], { IMAGE_PUBLIC_KEY: readFileSync(`${mine}.pub`, 'utf8') });
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
    const wrong = await sigil(['verify', image, '--key', `${other}.pub`]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stdout).toBe('');

    // attest --key and verify-attestation --key: the same key, a statement about the image.
    const predicate = join(work, 'key-predicate.json');
    writeFileSync(predicate, JSON.stringify({ scanned: true }));
    const attested = await sigil(['attest', image, '--key', `${mine}.key`, '--predicate', predicate, '--type', 'custom'], password);
    expect(attested.code, attested.stderr).toBe(0);
    expect(attested.stderr).toMatch(/Attested \S+ \(https:\/\/cosign.sigstore.dev\/attestation\/v1\) with key/);
    const attestation = await sigil(['verify-attestation', image, '--key', `${mine}.pub`, '--type', 'custom']);
    expect(attestation.code, attestation.stderr).toBe(0);
    expect(JSON.parse(Buffer.from(JSON.parse(attestation.stdout.trim().split('\n')[0]!).payload, 'base64').toString()).predicate.Data).toBe('{"scanned":true}');
    expect((await sigil(['verify-attestation', image, '--key', `${other}.pub`, '--type', 'custom'])).code).not.toBe(0);

  });

  it("cosign 2's .sig tag with a key: the layer holds the signature and the Rekor bundle naming the key, no certificate; verify --key reads it, another key and a keyless policy do not", async () => {
    const { image, digest } = await push('keys/legacy', 'key-signed legacy image\n');
    const password = { COSIGN_PASSWORD: 'legacy-key-password' };
    const [mine, other] = [join(work, 'legacy-key'), join(work, 'legacy-other')];
    for (const prefix of [mine, other]) expect((await sigil(['generate-key-pair', '--output-key-prefix', prefix!], password)).code).toBe(0);
    const signed = await sigil(['sign', image, '--key', `${mine}.key`, '--new-bundle-format=false', '-a', 'env=prod'], password);
    expect(signed.code, signed.stderr).toBe(0);
    expect(signed.stderr + signed.stdout).not.toContain('legacy-key-password');

    const sig = await createRegistryClient({ allowInsecure: true }).getManifest(referenceTo(parseImageReference(image), { tag: signatureTag(digest) }));
    const annotations = (sig.json.layers as { annotations: Record<string, string> }[])[0]!.annotations;
    expect(Object.keys(annotations).sort()).toEqual(['dev.cosignproject.cosign/signature', 'dev.sigstore.cosign/bundle']);
    const body = JSON.parse(Buffer.from(JSON.parse(annotations['dev.sigstore.cosign/bundle']!).Payload.body, 'base64').toString());
    expect(body.kind).toBe('hashedrekord');
    expect(Buffer.from(body.spec.signature.publicKey.content, 'base64').toString()).toBe(readFileSync(`${mine}.pub`, 'utf8'));

    const run = await sigil(['verify', image, '--key', `${mine}.pub`, '-a', 'env=prod']);
    expect(run.code, run.stderr).toBe(0);
    const [claims] = JSON.parse(run.stdout);
    expect(claims.critical.image['docker-manifest-digest']).toBe(digest);
    expect(claims.optional.env).toBe('prod');
    expect(run.stderr).toContain('  - The signatures were verified against the specified public key\n');
    expect(run.stderr).not.toContain('code-signing certificate');
    expect(claims.optional.Bundle.Payload.body).toBe(JSON.parse(annotations['dev.sigstore.cosign/bundle']!).Payload.body);
    const wrong = await sigil(['verify', image, '--key', `${other}.pub`]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stdout).toBe('');
    const keyless = await sigil(['verify', image, ...policy()]);
    expect(keyless.code).toBe(13);
    expect(keyless.stderr).toContain('found a signature made with a key');
    const unlogged = await sigil(['sign', image, '--key', `${mine}.key`, '--new-bundle-format=false', '--tlog-upload=false'], password);
    expect(printedCode(unlogged)).toBe('OCI_INPUT_INVALID');
    expect(unlogged.stderr).toContain('--tlog-upload=false leaves none');
  });
});

describe('opt-outs on image verification, loudly', () => {
  it("--insecure-ignore-tlog / --private-infrastructure and --insecure-ignore-sct: a trusted root without the logs they waive verifies both formats and attestations, a WARNING on stderr, cosign's stdout but for the unverified Rekor bundle", async () => {
    const { image } = await push('optouts/app', 'opt-out image\n');
    expect((await sigil(['sign', image])).code).toBe(0);
    expect((await sigil(['sign', image, '--new-bundle-format=false'])).code).toBe(0);
    const predicate = join(work, 'optout-predicate.json');
    writeFileSync(predicate, JSON.stringify({ checked: false }));
    expect((await sigil(['attest', image, '--predicate', predicate, '--type', 'custom'])).code).toBe(0);
    const root = JSON.parse(readFileSync(stack.trustedRoot, 'utf8'));
    const without = (part: 'tlogs' | 'ctlogs') => {
      const file = join(work, `optout-no-${part}.json`);
      writeFileSync(file, JSON.stringify({ ...root, [part]: [] }));
      return file;
    };
    const [noTlog, noCt] = [without('tlogs'), without('ctlogs')];
    const strict = await sigil(['verify', image, ...policy()]);
    expect(strict.code, strict.stderr).toBe(0);
    expect(JSON.parse(strict.stdout)).toHaveLength(2);
    expect(strict.stderr).not.toContain('was not checked');
    expect(strict.stderr).toContain('  - Existence of the claims in the transparency log was verified offline\n');

    expect((await sigil(['verify', image, ...policy(), '--trusted-root', noTlog])).code).not.toBe(0);
    // The cosign 2 signature's Rekor bundle (its SET) is what the opt-out left unchecked.
    const unlogged = JSON.parse(strict.stdout).map(({ critical, optional: { Bundle: _, ...optional } }: { critical: unknown; optional: Record<string, unknown> }) => ({ critical, optional }));
    for (const flag of ['--insecure-ignore-tlog', '--private-infrastructure']) {
      const lax = await sigil(['verify', image, ...policy(), '--trusted-root', noTlog, flag]);
      expect(lax.code, lax.stderr).toBe(0);
      expect(JSON.parse(lax.stdout)).toEqual(unlogged);
      expect(lax.stderr).toContain(`WARNING: ${flag}: the transparency log was not checked`);
      expect(lax.stderr).not.toContain('transparency log was verified');
    }
    expect((await sigil(['verify', image, ...policy(), '--trusted-root', noCt])).code).not.toBe(0);
    const noSct = await sigil(['verify', image, ...policy(), '--trusted-root', noCt, '--insecure-ignore-sct']);
    expect(noSct.code, noSct.stderr).toBe(0);
    expect(noSct.stdout).toBe(strict.stdout);
    expect(noSct.stderr).toContain('WARNING: --insecure-ignore-sct');

    const attestation = (...flags: string[]) => sigil(['verify-attestation', image, ...policy(), '--type', 'custom', ...flags]);
    const attested = await attestation();
    expect(attested.code, attested.stderr).toBe(0);
    expect((await attestation('--trusted-root', noTlog)).code).not.toBe(0);
    const laxAttestation = await attestation('--trusted-root', noTlog, '--insecure-ignore-tlog');
    expect(laxAttestation.code, laxAttestation.stderr).toBe(0);
    expect(laxAttestation.stdout).toBe(attested.stdout);
    expect(laxAttestation.stderr).toContain('WARNING: --insecure-ignore-tlog');
  });
});
