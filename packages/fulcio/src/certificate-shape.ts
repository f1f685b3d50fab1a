// Just enough DER to know a certificate when we see one and to find its key. Full X.509
// parsing (and the path to a trusted root) is the caller's, with @sigil/x509; a generic
// ASN.1 library here cost a millisecond per certificate, more than the rest of a signing.

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const EXPLICIT_VERSION = 0xa0;

interface Element {
  tag: number;
  /** Offset of the tag byte. */
  start: number;
  /** Offset of the first content byte. */
  content: number;
  /** Offset just past the element. */
  end: number;
}

function readElement(der: Uint8Array, offset: number, limit: number): Element {
  if (offset + 2 > limit) throw new Error(`truncated element at offset ${offset}`);
  const tag = der[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new Error(`unexpected multi-byte tag at offset ${offset}`);
  let length = der[offset + 1]!;
  let content = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw new Error(`unsupported length encoding at offset ${offset}`);
    if (content + count > limit) throw new Error(`truncated length at offset ${offset}`);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + der[content + i]!;
    content += count;
  }
  const end = content + length;
  if (end > limit) throw new Error(`element at offset ${offset} runs past its container`);
  return { tag, start: offset, content, end };
}

function children(der: Uint8Array, parent: Element): Element[] {
  const items: Element[] = [];
  for (let offset = parent.content; offset < parent.end; offset = items[items.length - 1]!.end) items.push(readElement(der, offset, parent.end));
  return items;
}

function expectTag(element: Element | undefined, tag: number, what: string): Element {
  if (!element || element.tag !== tag) throw new Error(`expected ${what}`);
  return element;
}

/**
 * Checks the outline of an X.509 certificate (SEQUENCE of TBSCertificate, signature
 * algorithm and signature, with the TBS fields in order) and returns the DER of its
 * SubjectPublicKeyInfo. Throws a plain Error naming what is missing.
 */
export function certificateSpki(der: Uint8Array): Uint8Array {
  const whole = readElement(der, 0, der.length);
  if (whole.tag !== SEQUENCE || whole.end !== der.length) throw new Error('not a DER X.509 certificate (expected one SEQUENCE)');
  const [tbs, algorithm, signature, extra] = children(der, whole);
  if (extra) throw new Error('not a DER X.509 certificate (extra fields after the signature)');
  expectTag(algorithm, SEQUENCE, 'a signature algorithm');
  expectTag(signature, BIT_STRING, 'a signature BIT STRING');
  const fields = children(der, expectTag(tbs, SEQUENCE, 'a TBSCertificate'));
  const rest = fields[0]?.tag === EXPLICIT_VERSION ? fields.slice(1) : fields;
  const [serial, tbsAlgorithm, issuer, validity, subject, spki] = rest;
  expectTag(serial, INTEGER, 'a serial number');
  for (const [field, what] of [[tbsAlgorithm, 'a TBS signature algorithm'], [issuer, 'an issuer'], [validity, 'a validity'], [subject, 'a subject']] as const) {
    expectTag(field, SEQUENCE, what);
  }
  const key = expectTag(spki, SEQUENCE, 'a SubjectPublicKeyInfo');
  return der.subarray(key.start, key.end);
}
