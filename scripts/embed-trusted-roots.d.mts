// Types of scripts/embed-trusted-roots.mjs for the tests that run it.
export function generateTrustModule(repoDir: string, instance: 'production' | 'staging', note?: string): void;
export function embedFromTuf(options: {
  repoDir?: string;
  instance: 'production' | 'staging';
  mirror?: string;
  root?: Uint8Array;
}): Promise<{ mirror: string; after: { versions: { root: number; timestamp: number; snapshot: number; targets: number }; trustedRoot: string } }>;
