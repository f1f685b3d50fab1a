// The smallest sigstore-js program that verifies one bundle, for the cold-start comparison:
// node sigstore-js-cli.mjs TRUSTED_ROOT BUNDLE ARTIFACT IDENTITY ISSUER
import { readFileSync } from 'node:fs';
import { createSigstoreJsVerifier } from './sigstore-js.mjs';

const [root, bundle, artifact, identity, issuer] = process.argv.slice(2);
createSigstoreJsVerifier(JSON.parse(readFileSync(root, 'utf8')))(readFileSync(bundle, 'utf8'), readFileSync(artifact), identity, issuer);
process.stderr.write('Verified OK\n');
