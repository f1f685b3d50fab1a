import { describe, expect, it } from 'vitest';
import { parseCertificate } from '@sigil/x509';
import { parseTimestampToken, verifyTimestampToken, type TimestampAuthority } from '../src/index.js';
import { buildCertificate, ext, generateKey, CODE_SIGNING, TIME_STAMPING } from '../../x509/test/support/builder.js';
import { expectTsaError } from './support/expect-error.js';
import { buildToken, OIDS, tsaChain, type TokenSpec } from './support/token-builder.js';

const data = new TextEncoder().encode('the bundle signature');
const genTime = new Date('2026-01-01T00:05:00Z');
const validFor = { start: new Date('2025-01-01T00:00:00Z') };

function setup(options: Parameters<typeof tsaChain>[0] = {}) {
  const chain = tsaChain(options);
  const authority: TimestampAuthority = { certChain: [parseCertificate(chain.leaf), parseCertificate(chain.root)], validFor };
  const token = (spec: Partial<TokenSpec> = {}) =>
    parseTimestampToken(buildToken({ data, signer: chain.leafKey.privateKey, signerCert: chain.leaf, signatureAlgorithm: OIDS.ecdsaSha384, ...spec }));
  return { chain, authority, token };
}

describe('verifyTimestampToken', () => {
  it('accepts a token signed by the authority leaf, named by issuer and serial or by key id', () => {
    const { authority, token } = setup();
    expect(verifyTimestampToken(token(), { data, authorities: [authority] })).toEqual({ genTime, authority: 0 });
    expect(verifyTimestampToken(token({ sidBy: 'subjectKeyId' }), { data, authorities: [authority] }).authority).toBe(0);
    expect(verifyTimestampToken(token({ wrap: 'none' }), { data, authorities: [authority] }).authority).toBe(0);
  });

  it('picks the authority that vouches for the token', () => {
    const other = setup();
    const { authority, token } = setup();
    expect(verifyTimestampToken(token(), { data, authorities: [other.authority, authority] }).authority).toBe(1);
  });

  it('requires the imprint to be the hash of the data, with the imprint algorithm', () => {
    const { authority, token } = setup();
    expect(verifyTimestampToken(token({ imprintHash: OIDS.sha384 }), { data, authorities: [authority] }).authority).toBe(0);
    expectTsaError(() => verifyTimestampToken(token(), { data: data.subarray(1), authorities: [authority] }), 'TSA_IMPRINT_MISMATCH');
    expectTsaError(() => verifyTimestampToken(token({ imprintDigest: new Uint8Array(32) }), { data, authorities: [authority] }), 'TSA_IMPRINT_MISMATCH');
  });

  it('requires the signed messageDigest to cover the TSTInfo and the signature to verify', () => {
    const { authority, token } = setup();
    expectTsaError(() => verifyTimestampToken(token({ messageDigest: new Uint8Array(32) }), { data, authorities: [authority] }), 'TSA_SIGNATURE_INVALID');
    const stranger = generateKey('p384');
    expectTsaError(() => verifyTimestampToken(token({ signer: stranger.privateKey }), { data, authorities: [authority] }), 'TSA_SIGNATURE_INVALID');
    // Signed with SHA-384 while claiming ecdsa-with-SHA256.
    expectTsaError(() => verifyTimestampToken(token({ signatureAlgorithm: OIDS.ecdsaSha256, signHash: 'sha384' }), { data, authorities: [authority] }), 'TSA_SIGNATURE_INVALID');
  });

  it('takes the hash from the digest algorithm when the signature algorithm names only the key type', () => {
    const rsa = generateKey('rsa');
    const { authority, token } = setup({ leafKey: rsa });
    expect(verifyTimestampToken(token({ signatureAlgorithm: OIDS.rsaEncryption, signHash: 'sha256' }), { data, authorities: [authority] }).authority).toBe(0);
    expectTsaError(() => verifyTimestampToken(token({ signatureAlgorithm: OIDS.sha1WithRsa, signHash: 'sha1' }), { data, authorities: [authority] }), 'TSA_UNSUPPORTED_ALGORITHM');
  });

  it('trusts only the authority leaf: another certificate embedded under the same name and serial is refused', () => {
    const { authority, token, chain } = setup();
    expect(verifyTimestampToken(token({ embed: [chain.leaf] }), { data, authorities: [authority] }).authority).toBe(0);
    const impostorKey = generateKey('p384');
    const impostor = buildCertificate({
      subject: 'tsa-leaf',
      issuer: 'tsa-root',
      key: impostorKey,
      signer: impostorKey,
      signature: 'ecdsa-sha384',
      serial: 42,
      extensions: [ext.keyUsage('digitalSignature'), ext.extKeyUsage(true, TIME_STAMPING)],
    });
    const forged = token({ embed: [impostor], signer: impostorKey.privateKey, signerCert: impostor });
    expectTsaError(() => verifyTimestampToken(forged, { data, authorities: [authority] }), 'TSA_UNTRUSTED_SIGNER');
  });

  it('uses an embedded leaf that chains to an authority listing only CAs', () => {
    const { authority, token, chain } = setup();
    const caOnly: TimestampAuthority = { certChain: authority.certChain.slice(1), validFor };
    expect(verifyTimestampToken(token({ embed: [chain.leaf, chain.root] }), { data, authorities: [caOnly] }).authority).toBe(0);
    expectTsaError(() => verifyTimestampToken(token(), { data, authorities: [caOnly] }), 'TSA_UNTRUSTED_SIGNER');
    // An embedded leaf that does not chain to it.
    const other = setup();
    const foreign = other.token({ embed: [other.chain.leaf] });
    const err = expectTsaError(() => verifyTimestampToken(foreign, { data, authorities: [caOnly] }), 'TSA_CHAIN_INVALID');
    expect(err.details?.x509Code).toBe('X509_UNTRUSTED_ISSUER');
  });

  it('checks the chain at genTime, with the time-stamping EKU', () => {
    const expired = setup({ notAfter: new Date('2026-01-01T00:00:00Z') });
    const err = expectTsaError(() => verifyTimestampToken(expired.token(), { data, authorities: [expired.authority] }), 'TSA_CHAIN_INVALID');
    expect(err.details?.x509Code).toBe('X509_EXPIRED');
    const leafKey = generateKey('p384');
    const codeSigner = setup({ leafKey, leafExtensions: [ext.keyUsage('digitalSignature'), ext.extKeyUsage(true, CODE_SIGNING)] });
    const eku = expectTsaError(() => verifyTimestampToken(codeSigner.token(), { data, authorities: [codeSigner.authority] }), 'TSA_CHAIN_INVALID');
    expect(eku.details?.x509Code).toBe('X509_MISSING_EKU');
  });

  it('requires genTime inside the authority validFor, inclusive, and a start', () => {
    const { authority, token } = setup();
    const at = (v: TimestampAuthority['validFor']) => [{ ...authority, validFor: v }];
    expect(verifyTimestampToken(token(), { data, authorities: at({ start: genTime, end: genTime }) }).authority).toBe(0);
    expectTsaError(() => verifyTimestampToken(token(), { data, authorities: at({}) }), 'TSA_OUTSIDE_VALIDITY');
    expectTsaError(() => verifyTimestampToken(token(), { data, authorities: at({ start: new Date(genTime.getTime() + 1) }) }), 'TSA_OUTSIDE_VALIDITY');
    expectTsaError(() => verifyTimestampToken(token(), { data, authorities: at({ start: validFor.start, end: new Date(genTime.getTime() - 1) }) }), 'TSA_OUTSIDE_VALIDITY');
  });

  it('reports the failure of the authority that got furthest', () => {
    const { authority, token } = setup();
    const stranger = setup({ serial: 43 });
    const expired = { ...authority, validFor: { start: validFor.start, end: validFor.start } };
    const err = expectTsaError(() => verifyTimestampToken(token(), { data, authorities: [stranger.authority, expired, stranger.authority] }), 'TSA_OUTSIDE_VALIDITY');
    expect(err.details?.authority).toBe(1);
  });

  it('rejects unusable arguments', () => {
    const { authority, token } = setup();
    expectTsaError(() => verifyTimestampToken(token(), { data: 'sig' as unknown as Uint8Array, authorities: [authority] }), 'TSA_INVALID_ARGUMENT');
    expectTsaError(() => verifyTimestampToken(token(), { data, authorities: undefined as unknown as TimestampAuthority[] }), 'TSA_INVALID_ARGUMENT');
    expectTsaError(() => verifyTimestampToken(token(), undefined as never), 'TSA_INVALID_ARGUMENT');
  });
});
