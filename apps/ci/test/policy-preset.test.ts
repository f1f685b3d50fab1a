import { beforeAll, describe, expect, it } from 'vitest';
import { createVirtualSigstore, type VirtualSigstore } from '@sigil/stack';
import { TrustMaterial } from '@sigil/trust';
import { artifactFromBytes, certificateIdentity, createVerifier, PolicyError, VerificationError } from '@sigil/verify';
import { CiError, gitlabPolicyPreset, type GitlabPresetOptions } from '../src/index.js';
import { jobClaims } from './support/job-env.js';

const SAN = 'https://gitlab.com/my-group/my-project//.gitlab-ci.yml@refs/heads/main';

describe('gitlabPolicyPreset: what it expands to', () => {
  it('a gitlab.com branch: exact SAN, issuer, Source Repository URI and Ref, Build Config URI', () => {
    expect(gitlabPolicyPreset({ project: 'my-group/my-project', branch: 'main' })).toEqual({
      identity: SAN,
      issuer: 'https://gitlab.com',
      extensions: {
        sourceRepositoryURI: 'https://gitlab.com/my-group/my-project',
        sourceRepositoryRef: 'refs/heads/main',
        buildConfigURI: SAN,
      },
    });
  });

  it('a tag, a full ref, a config path: the same SAN as the seed page builds by hand', () => {
    expect(gitlabPolicyPreset({ project: 'my-group/my-project', tag: 'v1.2.0' }).identity).toBe('https://gitlab.com/my-group/my-project//.gitlab-ci.yml@refs/tags/v1.2.0');
    expect(gitlabPolicyPreset({ project: 'my-group/my-project', ref: 'refs/tags/v1.2.0' }).extensions?.sourceRepositoryRef).toBe('refs/tags/v1.2.0');
    expect(gitlabPolicyPreset({ project: 'my-group/my-project', ref: 'refs/heads/main', configPath: 'path/to/.gitlab-ci.yml' }).identity).toBe(
      'https://gitlab.com/my-group/my-project//path/to/.gitlab-ci.yml@refs/heads/main',
    );
  });

  it('a self-managed instance: its URL as issuer and SAN host; no Source Repository URI (Fulcio writes gitlab.com there)', () => {
    const preset = gitlabPolicyPreset({ project: 'a/b/c', branch: 'main', url: 'https://git.example.com:8443/gitlab/' });
    expect(preset).toEqual({
      identity: 'https://git.example.com:8443/gitlab/a/b/c//.gitlab-ci.yml@refs/heads/main',
      issuer: 'https://git.example.com:8443/gitlab',
      extensions: { sourceRepositoryRef: 'refs/heads/main', buildConfigURI: 'https://git.example.com:8443/gitlab/a/b/c//.gitlab-ci.yml@refs/heads/main' },
    });
  });

  it('a plain-http loopback test instance: an https SAN, the http issuer', () => {
    const preset = gitlabPolicyPreset({ project: 'g/p', branch: 'main', url: 'http://127.0.0.1:9000/oidc' });
    expect(preset.identity).toBe('https://127.0.0.1:9000/oidc/g/p//.gitlab-ci.yml@refs/heads/main');
    expect(preset.issuer).toBe('http://127.0.0.1:9000/oidc');
  });

  it('no ref: an anchored regexp over any branch or tag of that project and config, everything else escaped', () => {
    const preset = gitlabPolicyPreset({ project: 'my.group/my-project', configPath: 'ci/.gitlab-ci.yml' });
    expect(preset).toEqual({
      identityRegexp: '^https:\\/\\/gitlab\\.com\\/my\\.group\\/my-project\\/\\/ci\\/\\.gitlab-ci\\.yml@refs\\/(?:heads|tags)\\/[^\\s]+$',
      issuer: 'https://gitlab.com',
      extensions: { sourceRepositoryURI: 'https://gitlab.com/my.group/my-project' },
    });
    const { subjectAlternativeName } = certificateIdentity(preset); // accepted as anchored
    const pattern = subjectAlternativeName.kind === 'regexp' ? subjectAlternativeName.pattern : /$^/;
    for (const ok of ['refs/heads/main', 'refs/tags/v1.2.0', 'refs/heads/feature/x']) {
      expect(pattern.test(`https://gitlab.com/my.group/my-project//ci/.gitlab-ci.yml@${ok}`)).toBe(true);
    }
    for (const bad of [
      'https://gitlab.com/myXgroup/my-project//ci/.gitlab-ci.yml@refs/heads/main',
      'https://gitlab.com/my.group/my-project-evil//ci/.gitlab-ci.yml@refs/heads/main',
      'https://gitlab.com/my.group/my-project//ci/other.yml@refs/heads/main',
      'https://gitlab.com/my.group/my-project//ci/.gitlab-ci.yml@refs/merge-requests/1/head',
      'https://gitlab.com/my.group/my-project//ci/.gitlab-ci.yml@refs/heads/',
      'https://gitlab.com/my.group/my-project//ci/.gitlab-ci.yml@refs/heads/main\nx',
      'http://gitlab.com/my.group/my-project//ci/.gitlab-ci.yml@refs/heads/main',
      'https://gitlab.com.evil.example/my.group/my-project//ci/.gitlab-ci.yml@refs/heads/main',
    ]) {
      expect(pattern.test(bad), bad).toBe(false);
    }
  });

  it('its extension names are the ones @sigil/verify knows', () => {
    expect(() => certificateIdentity(gitlabPolicyPreset({ project: 'g/p', branch: 'main' }))).not.toThrow();
  });

  it.each<[string, GitlabPresetOptions, string]>([
    ['a project without a group', { project: 'project' }, 'CI_PROJECT_INVALID'],
    ['a project URL', { project: 'https://gitlab.com/g/p' }, 'CI_PROJECT_INVALID'],
    ['a project ending in .git', { project: 'g/p.git' }, 'CI_PROJECT_INVALID'],
    ['a project with a space', { project: 'g/my project' }, 'CI_PROJECT_INVALID'],
    ['a project with an empty segment', { project: 'g//p' }, 'CI_PROJECT_INVALID'],
    ['an empty project', { project: '' }, 'CI_PROJECT_INVALID'],
    ['a short ref', { project: 'g/p', ref: 'main' }, 'CI_REF_INVALID'],
    ['a merge request ref', { project: 'g/p', ref: 'refs/merge-requests/1/head' }, 'CI_REF_INVALID'],
    ['a branch with ..', { project: 'g/p', branch: 'a..b' }, 'CI_REF_INVALID'],
    ['a branch with a space', { project: 'g/p', branch: 'a b' }, 'CI_REF_INVALID'],
    ['a branch ending in .lock', { project: 'g/p', branch: 'x.lock' }, 'CI_REF_INVALID'],
    ['a tag with @{', { project: 'g/p', tag: 'v@{1}' }, 'CI_REF_INVALID'],
    ['a tag with a newline', { project: 'g/p', tag: 'v1\n' }, 'CI_REF_INVALID'],
    ['an empty branch', { project: 'g/p', branch: '' }, 'CI_REF_INVALID'],
    ['a ref and a branch', { project: 'g/p', ref: 'refs/heads/main', branch: 'main' }, 'CI_REF_CONFLICT'],
    ['a branch and a tag', { project: 'g/p', branch: 'main', tag: 'v1' }, 'CI_REF_CONFLICT'],
    ['an http URL to a real host', { project: 'g/p', url: 'http://gitlab.example.com' }, 'CI_URL_INVALID'],
    ['a URL with credentials', { project: 'g/p', url: 'https://u:p@gitlab.example.com' }, 'CI_URL_INVALID'],
    ['a URL with a query', { project: 'g/p', url: 'https://gitlab.example.com/?x=1' }, 'CI_URL_INVALID'],
    ['a bare host', { project: 'g/p', url: 'gitlab.example.com' }, 'CI_URL_INVALID'],
    ['an ftp URL', { project: 'g/p', url: 'ftp://gitlab.example.com' }, 'CI_URL_INVALID'],
    ['a config path with ..', { project: 'g/p', configPath: '../x.yml' }, 'CI_CONFIG_PATH_INVALID'],
    ['an absolute config path', { project: 'g/p', configPath: '/x.yml' }, 'CI_CONFIG_PATH_INVALID'],
    ["another project's config", { project: 'g/p', configPath: 'x.yml@other/project' }, 'CI_CONFIG_PATH_INVALID'],
    ['a config URL', { project: 'g/p', configPath: 'https://example.com/x.yml' }, 'CI_CONFIG_PATH_INVALID'],
    ['a non-string project', { project: 42 as never }, 'CI_PROJECT_INVALID'],
  ])('%s: %s', (_, options, code) => {
    try {
      gitlabPolicyPreset(options);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(CiError);
      expect((err as CiError).code).toBe(code);
    }
  });

  it('no options object: CI_INVALID_ARGUMENT', () => {
    expect(() => gitlabPolicyPreset(null as never)).toThrow(expect.objectContaining({ code: 'CI_INVALID_ARGUMENT' }));
  });
});

describe('gitlabPolicyPreset against certificates Fulcio-style GitLab mapping wrote', () => {
  const content = new TextEncoder().encode('This is a build artifact\n');
  let sigstore: VirtualSigstore;
  let trust: TrustMaterial;
  beforeAll(() => {
    sigstore = createVirtualSigstore();
    trust = TrustMaterial.fromJson(sigstore.trustedRootJson);
  });

  const signAs = (claims: Record<string, unknown>) => sigstore.signBlob({ artifact: content, identity: { gitlab: claims as never } });
  const verify = (bundle: unknown, options: GitlabPresetOptions) =>
    createVerifier(trust).verify(JSON.stringify(bundle), artifactFromBytes(content), { identities: [certificateIdentity(gitlabPolicyPreset(options))] });
  const failureCode = (promise: Promise<unknown>) =>
    promise.then(
      () => 'verified',
      (err: unknown) => (err instanceof PolicyError || err instanceof VerificationError ? err.code : `untyped ${String(err)}`),
    );

  it('a gitlab.com branch signature passes its preset, with and without the ref', async () => {
    const bundle = signAs(jobClaims({ project: 'my-group/my-project', ref: 'main' }));
    const result = await verify(bundle, { project: 'my-group/my-project', branch: 'main' });
    expect(result.signer?.identity).toBe(SAN);
    await verify(bundle, { project: 'my-group/my-project' });
    await verify(bundle, { project: 'my-group/my-project', ref: 'refs/heads/main', configPath: '.gitlab-ci.yml', url: 'https://gitlab.com' });
  });

  it('a tag signature passes the tag preset and fails the branch one', async () => {
    const bundle = signAs(jobClaims({ ref: 'v1.2.0', refType: 'tag' }));
    await verify(bundle, { project: 'my-group/my-project', tag: 'v1.2.0' });
    expect(await failureCode(verify(bundle, { project: 'my-group/my-project', branch: 'v1.2.0' }))).toBe('POLICY_IDENTITY_MISMATCH');
  });

  it.each<[string, GitlabPresetOptions, string]>([
    ['another project', { project: 'my-group/other-project', branch: 'main' }, 'POLICY_IDENTITY_MISMATCH'],
    ['another project, any ref', { project: 'my-group/other-project' }, 'POLICY_IDENTITY_MISMATCH'],
    ['a project whose name extends this one', { project: 'my-group/my-project-evil' }, 'POLICY_IDENTITY_MISMATCH'],
    ['another branch', { project: 'my-group/my-project', branch: 'develop' }, 'POLICY_IDENTITY_MISMATCH'],
    ['another config', { project: 'my-group/my-project', branch: 'main', configPath: 'release.yml' }, 'POLICY_IDENTITY_MISMATCH'],
    ['another instance', { project: 'my-group/my-project', branch: 'main', url: 'https://gitlab.example.com' }, 'POLICY_IDENTITY_MISMATCH'],
  ])('a gitlab.com main signature fails the preset for %s', async (_, options, code) => {
    expect(await failureCode(verify(signAs(jobClaims()), options))).toBe(code);
  });

  it('a forged certificate whose SAN is right but whose Source Repository Ref is not fails on the extension', async () => {
    const claims = jobClaims();
    const bundle = sigstore.signBlob({
      artifact: content,
      identity: { san: { type: 'uri', value: SAN }, issuer: 'https://gitlab.com', extensions: { sourceRepositoryURI: 'https://gitlab.com/my-group/my-project', sourceRepositoryRef: 'refs/heads/evil', buildConfigURI: SAN } },
    });
    expect(claims.iss).toBe('https://gitlab.com');
    expect(await failureCode(verify(bundle, { project: 'my-group/my-project', branch: 'main' }))).toBe('POLICY_EXTENSION_MISMATCH');
  });

  it('a self-managed instance: passes with its URL although Fulcio wrote gitlab.com into Source Repository URI', async () => {
    const bundle = signAs(jobClaims({ server: 'https://gitlab.example.com', project: 'team/app', configPath: 'ci/release.yml' }));
    const result = await verify(bundle, { project: 'team/app', branch: 'main', configPath: 'ci/release.yml', url: 'https://gitlab.example.com' });
    expect(result.signer?.extensions?.sourceRepositoryURI).toBe('https://gitlab.com/team/app');
    expect(await failureCode(verify(bundle, { project: 'team/app', branch: 'main', configPath: 'ci/release.yml' }))).toBe('POLICY_IDENTITY_MISMATCH');
  });
});
