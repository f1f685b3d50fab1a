/** cosign's flag-name normalisation (normalizeCertificateFlags in cmd/cosign/cli/commands.go). */
export const COSIGN_ALIASES: Readonly<Record<string, string>> = {
  cert: 'certificate',
  'cert-email': 'certificate-email',
  'cert-chain': 'certificate-chain',
  'cert-oidc-issuer': 'certificate-oidc-issuer',
  'output-cert': 'output-certificate',
  'cert-identity': 'certificate-identity',
};
