import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromKeyObject, sha256 } from '@sigil/crypto';
import { encodeHex } from '@sigil/encoding';
import { fulcioExtensions, parseCertificate, verifyCertificatePath, verifyEmbeddedScts } from '@sigil/x509';
import { createCertificateAuthority, createCtLog, generateSigningKey, precertificateSignedData, type LeafRequest } from '../src/index.js';
import { stackErrorCode } from './support/stack-error.js';

const ISSUER = 'https://oidc.local';
const ca = createCertificateAuthority();
const ctLog = createCtLog();
const ctLogs = [{ logId: ctLog.logId, publicKey: fromKeyObject(ctLog.key.publicKey), validFor: { start: new Date(0) } }];
const signer = generateSigningKey('P-256');
const request = (overrides: Partial<LeafRequest> = {}): LeafRequest => ({
  publicKey: signer.spki,
  san: { type: 'email', value: 'dev@example.com' },
  issuer: ISSUER,
  extensions: { buildTrigger: 'push', sourceRepositoryURI: 'https://gitlab.local/g/p', githubWorkflowRef: 'refs/heads/main' },
  ctLogs: [ctLog],
  ...overrides,
});

describe('createCertificateAuthority', () => {
  it('makes a P-384 root and an intermediate shaped like Fulcio\'s', () => {
    const root = parseCertificate(ca.root);
    const intermediate = parseCertificate(ca.intermediate);
    expect(root.subject).toBe(root.issuer);
    expect(root.publicKey).toMatchObject({ kind: 'ecdsa', curve: 'P-384' });
    expect(root.basicConstraints).toMatchObject({ ca: true });
    expect([...root.keyUsage!].sort()).toEqual(['cRLSign', 'keyCertSign']);
    expect(root.extendedKeyUsage).toBeUndefined();
    expect(intermediate.issuerDer).toEqual(root.subjectDer);
    expect(intermediate.basicConstraints).toMatchObject({ ca: true, pathLength: 0 });
    expect([...intermediate.keyUsage!].sort()).toEqual(['cRLSign', 'keyCertSign']);
    expect(intermediate.extendedKeyUsage).toEqual(['1.3.6.1.5.5.7.3.3']);
    expect(intermediate.authorityKeyId).toEqual(root.subjectKeyId);
    expect(ca.chain).toEqual([ca.intermediate, ca.root]);
    // node's OpenSSL agrees on the signatures.
    expect(new X509Certificate(ca.root).verify(new X509Certificate(ca.root).publicKey)).toBe(true);
    expect(new X509Certificate(ca.intermediate).checkIssued(new X509Certificate(ca.root))).toBe(true);
  });

  it('takes its validity windows and names from options', () => {
    const own = createCertificateAuthority({
      organization: 'example.org',
      rootCommonName: 'r',
      intermediateCommonName: 'i',
      rootValidity: { notBefore: new Date('2024-01-01T00:00:00Z'), notAfter: new Date('2034-01-01T00:00:00Z') },
      intermediateValidity: { notBefore: new Date('2024-06-01T00:00:00.900Z') },
    });
    const intermediate = parseCertificate(own.intermediate);
    expect(intermediate.subject).toContain('i');
    expect(own.subject).toEqual({ organization: 'example.org', commonName: 'i' });
    expect(intermediate.notBefore.toISOString()).toBe('2024-06-01T00:00:00.000Z');
    expect(intermediate.notAfter.toISOString()).toBe('2034-01-01T00:00:00.000Z');
    expect(parseCertificate(own.root).notBefore.toISOString()).toBe('2024-01-01T00:00:00.000Z');
  });

  it('issues a leaf with Fulcio\'s profile', () => {
    const notBefore = new Date('2026-02-03T04:05:06.789Z');
    const leaf = parseCertificate(ca.issueLeaf(request({ notBefore })));
    const intermediate = parseCertificate(ca.intermediate);
    expect(leaf.subject).toBe('');
    expect(leaf.version).toBe(3);
    expect(leaf.serialNumber).toMatch(/^[0-7][0-9a-f]{39}$/);
    expect(leaf.notBefore.toISOString()).toBe('2026-02-03T04:05:06.000Z');
    expect(leaf.notAfter.getTime() - leaf.notBefore.getTime()).toBe(600_000);
    expect(leaf.spkiDer).toEqual(signer.spki);
    expect(leaf.signatureAlgorithm).toBe('1.2.840.10045.4.3.3');
    expect(leaf.subjectAltNames).toEqual([{ type: 'email', value: 'dev@example.com' }]);
    expect([...leaf.keyUsage!]).toEqual(['digitalSignature']);
    expect(leaf.extendedKeyUsage).toEqual(['1.3.6.1.5.5.7.3.3']);
    expect(leaf.basicConstraints).toBeUndefined();
    expect(leaf.authorityKeyId).toEqual(intermediate.subjectKeyId);
    expect(leaf.subjectKeyId).toHaveLength(20);
    const critical = leaf.extensions.filter((ext) => ext.critical).map((ext) => ext.oid);
    expect(critical.sort()).toEqual(['2.5.29.15', '2.5.29.17']);
    // Order as Go writes it; Sigstore OIDs ascending; SCT list last.
    expect(leaf.extensions.map((ext) => ext.oid)).toEqual([
      '2.5.29.15',
      '2.5.29.37',
      '2.5.29.14',
      '2.5.29.35',
      '2.5.29.17',
      '1.3.6.1.4.1.57264.1.1',
      '1.3.6.1.4.1.57264.1.6',
      '1.3.6.1.4.1.57264.1.8',
      '1.3.6.1.4.1.57264.1.12',
      '1.3.6.1.4.1.57264.1.20',
      '1.3.6.1.4.1.11129.2.4.2',
    ]);
    const byOid = (oid: string) => leaf.extensions.find((ext) => ext.oid === oid)!.value;
    expect(new TextDecoder().decode(byOid('1.3.6.1.4.1.57264.1.1'))).toBe(ISSUER);
    expect(encodeHex(byOid('1.3.6.1.4.1.57264.1.8'))).toBe(`0c${ISSUER.length.toString(16)}${encodeHex(new TextEncoder().encode(ISSUER))}`);
    expect(fulcioExtensions(leaf)).toEqual({
      issuer: ISSUER,
      issuerV2: ISSUER,
      githubWorkflowRef: 'refs/heads/main',
      sourceRepositoryURI: 'https://gitlab.local/g/p',
      buildTrigger: 'push',
    });
    expect(verifyCertificatePath(leaf, [intermediate, parseCertificate(ca.root)], new Date('2026-02-03T04:06:00Z'), { leafPurpose: 'codeSigning' })).toHaveLength(3);
    const node = new X509Certificate(leaf.der);
    expect(node.checkIssued(new X509Certificate(ca.intermediate))).toBe(true);
    expect(node.verify(new X509Certificate(ca.intermediate).publicKey)).toBe(true);
    expect(node.subjectAltName).toBe('email:dev@example.com');
  });

  it('embeds an SCT over the precertificate TBS and the issuer key hash', () => {
    const notBefore = new Date('2026-02-03T04:05:06Z');
    const leaf = parseCertificate(ca.issueLeaf(request({ notBefore })));
    const intermediate = parseCertificate(ca.intermediate);
    const result = verifyEmbeddedScts(leaf, intermediate, ctLogs);
    expect(result.results).toEqual([{ logId: ctLog.logId, timestamp: notBefore, status: 'verified' }]);
    expect(result.verifiedLogIds).toEqual([ctLog.logId]);
    // Two CT logs: two SCTs, each verifying on its own.
    const second = createCtLog({ baseUrl: 'https://ctfe2.local' });
    const both = parseCertificate(ca.issueLeaf(request({ ctLogs: [ctLog, second] })));
    const logs = [...ctLogs, { logId: second.logId, publicKey: fromKeyObject(second.key.publicKey), validFor: { start: new Date(0) } }];
    expect(verifyEmbeddedScts(both, intermediate, logs).verifiedLogIds).toEqual([ctLog.logId, second.logId]);
    // The SCT signs the issuer's key hash, not the leaf's: another issuer key fails.
    expect(verifyEmbeddedScts(leaf, parseCertificate(ca.root), ctLogs).results[0]!.status).toBe('signature-invalid');
  });

  it('leaves the SCT list out without CT logs', () => {
    const leaf = parseCertificate(ca.issueLeaf(request({ ctLogs: [], extensions: {}, san: { type: 'uri', value: 'https://example.com/id' } })));
    expect(leaf.extensions.some((ext) => ext.oid === '1.3.6.1.4.1.11129.2.4.2')).toBe(false);
    expect(leaf.subjectAltNames).toEqual([{ type: 'uri', value: 'https://example.com/id' }]);
    expect(fulcioExtensions(leaf)).toEqual({ issuer: ISSUER, issuerV2: ISSUER });
  });

  it('omits empty extension values', () => {
    const leaf = parseCertificate(ca.issueLeaf(request({ extensions: { buildTrigger: '', runnerEnvironment: 'self-hosted' } })));
    expect(fulcioExtensions(leaf)).toEqual({ issuer: ISSUER, issuerV2: ISSUER, runnerEnvironment: 'self-hosted' });
  });

  it('rejects bad leaf requests with typed errors', () => {
    expect(stackErrorCode(() => ca.issueLeaf(request({ publicKey: new Uint8Array([1, 2, 3]) })))).toBe('STACK_INPUT_INVALID');
    expect(stackErrorCode(() => ca.issueLeaf(request({ publicKey: 'key' as never })))).toBe('STACK_INPUT_INVALID');
    expect(stackErrorCode(() => ca.issueLeaf(request({ san: { type: 'dns' as never, value: 'x' } })))).toBe('STACK_INPUT_INVALID');
    expect(stackErrorCode(() => ca.issueLeaf(request({ san: { type: 'uri', value: '' } })))).toBe('STACK_INPUT_INVALID');
    expect(stackErrorCode(() => ca.issueLeaf(request({ san: undefined as never })))).toBe('STACK_INPUT_INVALID');
    expect(stackErrorCode(() => ca.issueLeaf(request({ issuer: '' })))).toBe('STACK_INPUT_INVALID');
    expect(stackErrorCode(() => ca.issueLeaf(request({ lifetimeSeconds: 0 })))).toBe('STACK_INPUT_INVALID');
    expect(stackErrorCode(() => ca.issueLeaf(request({ lifetimeSeconds: 1.5 })))).toBe('STACK_INPUT_INVALID');
    expect(stackErrorCode(() => ca.issueLeaf(request({ notBefore: new Date('x') })))).toBe('STACK_INPUT_INVALID');
    expect(stackErrorCode(() => ca.issueLeaf(request({ ctLogs: ctLog as never })))).toBe('STACK_INPUT_INVALID');
    expect(stackErrorCode(() => ca.issueLeaf(null as never))).toBe('STACK_INPUT_INVALID');
    expect(stackErrorCode(() => ca.issueLeaf(request({ extensions: { issuer: 'x' } })))).toBe('STACK_EXTENSION_UNKNOWN');
    expect(stackErrorCode(() => ca.issueLeaf(request({ extensions: { issuerV2: 'x' } })))).toBe('STACK_EXTENSION_UNKNOWN');
    expect(stackErrorCode(() => ca.issueLeaf(request({ extensions: { 'Build Trigger': 'x' } as never })))).toBe('STACK_EXTENSION_UNKNOWN');
    expect(stackErrorCode(() => ca.issueLeaf(request({ extensions: { buildTrigger: 7 } as never })))).toBe('STACK_INPUT_INVALID');
    expect(stackErrorCode(() => createCertificateAuthority({ rootValidity: { notBefore: new Date('2030-01-01'), notAfter: new Date('2029-01-01') } }))).toBe('STACK_INPUT_INVALID');
    expect(stackErrorCode(() => createCertificateAuthority({ organization: '' }))).toBe('STACK_INPUT_INVALID');
  });
});

describe('createCtLog', () => {
  it('signs RFC 6962 precert_entry data with its P-256 key', () => {
    const tbs = new Uint8Array([0x30, 0x00]);
    const issuerSpki = ca.intermediateKey.spki;
    const time = new Date('2026-01-01T00:00:00.123Z');
    const sct = ctLog.timestampPrecertificate({ tbs, issuerSpki, time });
    expect(sct[0]).toBe(0);
    expect(sct.subarray(1, 33)).toEqual(sha256(ctLog.key.spki));
    expect(new DataView(sct.buffer, sct.byteOffset).getBigUint64(33)).toBe(BigInt(time.getTime()));
    expect([...sct.subarray(41, 45)]).toEqual([0, 0, 4, 3]);
    const signed = precertificateSignedData({ timestamp: BigInt(time.getTime()), issuerKeyHash: sha256(issuerSpki), tbs });
    expect(encodeHex(signed)).toBe(`0000${BigInt(time.getTime()).toString(16).padStart(16, '0')}0001${encodeHex(sha256(issuerSpki))}0000023000` + '0000');
    expect(stackErrorCode(() => ctLog.timestampPrecertificate({ tbs: new Uint8Array(), issuerSpki, time }))).toBe('STACK_INPUT_INVALID');
    expect(stackErrorCode(() => ctLog.timestampPrecertificate({ tbs, issuerSpki, time: new Date('x') }))).toBe('STACK_INPUT_INVALID');
    expect(stackErrorCode(() => createCtLog({ baseUrl: '' }))).toBe('STACK_INPUT_INVALID');
  });
});
