// A signature-check thread (signature-checks.ts starts a few): ECDSA over a digest with
// @noble/curves, with the options @sigil/crypto's verifyDigestSignature pins (DER, high-S
// allowed, the digest taken as given). Plain JavaScript because a thread loads its module with
// no TypeScript transform; a bundle of the stack carries a bundled copy beside itself.
import { parentPort } from 'node:worker_threads';
import { p256, p384, p521 } from '@noble/curves/nist.js';

const CURVES = { 'P-256': p256, 'P-384': p384, 'P-521': p521 };
const OPTIONS = { lowS: false, prehash: false, format: 'der' };

// One message is a batch of checks; the answer is their results, in order.
parentPort.on('message', (checks) => {
  parentPort.postMessage(
    checks.map(({ curve, point, digest, signature }) => {
      try {
        return CURVES[curve].verify(signature, digest, point, OPTIONS) === true;
      } catch {
        return false; // malformed signature or point
      }
    }),
  );
});
