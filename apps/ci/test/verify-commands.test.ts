import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { gitlabJobIdentity, shellQuote, verifyCommands } from '../src/index.js';
import { ciErrorCode } from './support/error-code.js';
import { gitlabEnv } from './support/job-env.js';

/** The words bash makes of a command line: the proof that the quoting round-trips. */
function shellWords(line: string): string[] {
  const out = execFileSync('bash', ['-c', `for word in ${line.replace(/^sigil /, '')}; do printf '%s\\0' "$word"; done`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

describe('verifyCommands', () => {
  it("gives the seed's verify lines for this job's identity, and the shorter preset form", () => {
    const commands = verifyCommands(gitlabJobIdentity(gitlabEnv()), { artifact: 'artifact.txt', bundle: 'cosign.bundle', image: 'registry.gitlab.com/my-group/my-project:1.0' });
    expect(commands).toEqual({
      verifyBlob:
        'sigil verify-blob artifact.txt --bundle cosign.bundle --certificate-identity https://gitlab.com/my-group/my-project//.gitlab-ci.yml@refs/heads/main --certificate-oidc-issuer https://gitlab.com',
      verify:
        'sigil verify registry.gitlab.com/my-group/my-project:1.0 --certificate-identity https://gitlab.com/my-group/my-project//.gitlab-ci.yml@refs/heads/main --certificate-oidc-issuer https://gitlab.com',
      verifyBlobPreset: 'sigil verify-blob artifact.txt --bundle cosign.bundle --gitlab-project my-group/my-project --gitlab-branch main',
      verifyPreset: 'sigil verify registry.gitlab.com/my-group/my-project:1.0 --gitlab-project my-group/my-project --gitlab-branch main',
    });
  });

  it('defaults to placeholders and a .sigstore.json bundle beside the artifact', () => {
    const commands = verifyCommands(gitlabJobIdentity(gitlabEnv({ ref: 'v2.0.0', refType: 'tag' })));
    expect(commands.verifyBlob).toMatch(/^sigil verify-blob ARTIFACT --bundle ARTIFACT\.sigstore\.json --certificate-identity \S+@refs\/tags\/v2\.0\.0 /);
    expect(commands.verify).toMatch(/^sigil verify IMAGE /);
    expect(commands.verifyPreset).toBe('sigil verify IMAGE --gitlab-project my-group/my-project --gitlab-tag v2.0.0');
  });

  it('adds --gitlab-config-path and --gitlab-url when they are not the defaults', () => {
    const job = gitlabJobIdentity(gitlabEnv({ server: 'https://git.example.com', project: 'a/b/c', configPath: 'ci/release.yml' }));
    expect(verifyCommands(job).verifyPreset).toBe('sigil verify IMAGE --gitlab-project a/b/c --gitlab-branch main --gitlab-config-path ci/release.yml --gitlab-url https://git.example.com');
  });

  it('leaves the preset out when it could not say this identity (a token issuer other than the SAN host)', () => {
    const commands = verifyCommands({
      identity: 'https://gitlab.example.com/g/p//.gitlab-ci.yml@refs/heads/main',
      issuer: 'https://oidc.example.com',
      project: 'g/p',
      configPath: '.gitlab-ci.yml',
      ref: 'refs/heads/main',
    });
    expect(commands.verifyPreset).toBeUndefined();
    expect(commands.verifyBlobPreset).toBeUndefined();
  });

  it('quotes what a shell would otherwise split, glob or expand', () => {
    const odd = "it's $HOME/*.txt";
    const commands = verifyCommands(gitlabJobIdentity(gitlabEnv({ ref: 'feature/$x' })), { artifact: odd, bundle: 'a b.json' });
    const words = shellWords(commands.verifyBlob);
    expect(words.slice(0, 4)).toEqual(['verify-blob', odd, '--bundle', 'a b.json']);
    expect(words[5]).toBe('https://gitlab.com/my-group/my-project//.gitlab-ci.yml@refs/heads/feature/$x');
    expect(shellWords(commands.verifyBlobPreset!).at(-1)).toBe('feature/$x');
  });
});

describe('verifyCommands arguments', () => {
  const job = gitlabJobIdentity(gitlabEnv());
  it.each<[string, unknown, unknown]>([
    ['no identity', undefined, {}],
    ['an identity without a ref', { ...job, ref: undefined }, {}],
    ['a numeric issuer', { ...job, issuer: 42 }, {}],
    ['an empty artifact', job, { artifact: '' }],
    ['a numeric image', job, { image: 1 }],
    ['options that are not an object', job, 'x'],
  ])('%s: CI_INVALID_ARGUMENT', (_, identity, options) => {
    expect(ciErrorCode(() => verifyCommands(identity as never, options as never))).toBe('CI_INVALID_ARGUMENT');
  });
});

describe('shellQuote', () => {
  it.each(['plain', 'https://gitlab.com/g/p//.gitlab-ci.yml@refs/heads/main', 'sha256:abc', 'a=b,c'])('leaves %j bare', (word) => {
    expect(shellQuote(word)).toBe(word);
  });

  it('refuses what is not a string', () => {
    expect(ciErrorCode(() => shellQuote(42 as never))).toBe('CI_INVALID_ARGUMENT');
  });

  it.each(["'", 'a b', '$(id)', '`id`', 'x;y', '*', '~', 'a\nb', '', '"', '\\'])('quotes %j so that bash reads it back', (word) => {
    const quoted = shellQuote(word);
    expect(quoted).not.toBe(word);
    expect(execFileSync('bash', ['-c', `printf '%s' ${quoted}`], { encoding: 'utf8' })).toBe(word);
  });
});
