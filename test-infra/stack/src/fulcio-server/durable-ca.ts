import { createCertificateAuthority, type CertificateAuthority } from '../certificate-authority.js';
import { createCtLog, type CtLog } from '../ct-log.js';
import { loadCertificate, loadOrCreateSigningKey, saveCertificate } from '../durable-state.js';
import { StackError } from '../errors.js';

/**
 * Fulcio's CA kept in its state directory: P-384 root and intermediate keys and their
 * certificates, made on the first start and reused after.
 */
export function loadOrCreateCertificateAuthority(path: (name: string) => string): CertificateAuthority {
  const keys = {
    root: loadOrCreateSigningKey(path('ca-root-key.pem'), 'P-384'),
    intermediate: loadOrCreateSigningKey(path('ca-intermediate-key.pem'), 'P-384'),
  };
  const root = loadCertificate(path('ca-root.pem'));
  const intermediate = loadCertificate(path('ca-intermediate.pem'));
  if (root && intermediate) {
    try {
      return createCertificateAuthority({ keys, certificates: { root, intermediate } });
    } catch (err) {
      throw new StackError('STACK_STATE_INVALID', `${path('ca-root.pem')}, ${path('ca-intermediate.pem')}: ${(err as Error).message}`, { cause: err });
    }
  }
  const ca = createCertificateAuthority({ keys });
  saveCertificate(path('ca-root.pem'), ca.root);
  saveCertificate(path('ca-intermediate.pem'), ca.intermediate);
  return ca;
}

/** The CT log whose SCTs Fulcio embeds, its P-256 key kept beside the CA. */
export function loadOrCreateCtLog(path: (name: string) => string, baseUrl?: string): CtLog {
  return createCtLog({ key: loadOrCreateSigningKey(path('ctlog-key.pem'), 'P-256'), ...(baseUrl ? { baseUrl } : {}) });
}
