import { MAX_JSON_CONTAINERS, MAX_JSON_VALUES, type JsonShapeLimits } from './json-shape.js';

/**
 * The most descriptors an OCI index or a referrers list is read with (@sigil/oci's limit on
 * referrers): the 'OCI manifest' limits below are derived from it, so that both move together.
 */
export const MAX_OCI_INDEX_DESCRIPTORS = 10_000;
// A referrer's descriptor, annotated as cosign and sigstore write them, is 2 arrays and objects
// and 9 values (a platform adds one of each); the rest of an index is a few more.
const OCI_INDEX_CONTAINERS_PER_DESCRIPTOR = 3;
const OCI_INDEX_VALUES_PER_DESCRIPTOR = 12;

// The limits most kinds share: a Sigstore document, a TUF role of a few keys, an npm key list.
const SMALL_DOCUMENT = { maxContainers: 10_000, maxValues: 20_000 } as const;
// Documents that list without bound, whose text the density bound keeps in proportion.
const GENERAL = { maxContainers: MAX_JSON_CONTAINERS, maxValues: MAX_JSON_VALUES } as const;
// TUF targets metadata: tuf-js reads up to 5 MB of it, some 40,000 targets of 3 containers each.
const TUF_TARGETS = { maxContainers: 150_000, maxValues: 600_000 } as const;

/**
 * How many arrays and objects (containers) and values each kind of JSON document read from
 * outside may hold, checked by checkJsonShape before it is parsed. Parsing costs about 100 bytes
 * a container and 30 a value, so these bound what a hostile document of the kind can cost,
 * whatever its size in bytes. Each limit rests on the largest real documents of the kind (the
 * fixtures under test-infra/fixtures and each package's test/fixtures, counted as checkJsonShape
 * counts), noted beside it, with wide headroom: a limit is a guard against abuse, not a schema.
 */
export const JSON_DOCUMENT_LIMITS = {
  // Sigstore documents. Real bundles hold at most 19 containers and 54 values (145 in the
  // fixtures); the most a bundle's own limits admit (32 log entries with 64-hash proofs, 32
  // timestamps, 10 certificates) is about 300 and 3,000. Their DSSE payload is base64 text.
  bundle: SMALL_DOCUMENT,
  'DSSE envelope': SMALL_DOCUMENT,
  // Real trusted roots: at most 51 and 115 (44); signing configs 17 and 40 (6). Their lists
  // hold at most 128 entries each.
  'trusted root': SMALL_DOCUMENT,
  'signing config': SMALL_DOCUMENT,
  'client trust config': SMALL_DOCUMENT,
  // cosign's bundle annotation and .sig files: one log entry, a few containers. Its simple
  // signing payloads: under 10 containers.
  'legacy cosign bundle': SMALL_DOCUMENT,
  'simple signing payload': SMALL_DOCUMENT,
  // Rekor's entry bodies: under 10 containers, but for its `tuf` kind, which holds a TUF root
  // and a role's metadata inline: TUF targets' limits.
  'Rekor entry body': TUF_TARGETS,
  // The statement a DSSE payload carries, the one document that can be large: real ones in the
  // fixtures hold 36 and 241 (45), but SLSA provenance lists every resolved dependency and SBOM
  // predicates every component and file (syft's SPDX runs ~100 characters a container: a 34 MB
  // SBOM holds 340,000). It keeps the general limits; the density bound keeps its parse within a
  // few times its text.
  'in-toto statement': GENERAL,

  // TUF metadata. Real roots hold at most 44 and 123 (28), snapshots 15 and 38, timestamps 6
  // and 12. Targets metadata lists every target (Sigstore's: 53 and 119 for about 20 targets).
  'TUF root': SMALL_DOCUMENT,
  'TUF timestamp': SMALL_DOCUMENT,
  'TUF snapshot': { maxContainers: 100_000, maxValues: 400_000 },
  'TUF targets': TUF_TARGETS,

  // Registries and services. OCI manifests and indexes, one kind (which it is shows once it is
  // parsed): real ones 6 and 20 (4). An index or referrers list holds up to
  // MAX_OCI_INDEX_DESCRIPTORS descriptors: about 31,000 and 130,000, some 7 MB parsed.
  'OCI manifest': {
    maxContainers: OCI_INDEX_CONTAINERS_PER_DESCRIPTOR * MAX_OCI_INDEX_DESCRIPTORS + 1_000,
    maxValues: OCI_INDEX_VALUES_PER_DESCRIPTOR * MAX_OCI_INDEX_DESCRIPTORS + 10_000,
  },
  // A tag list is one array of strings; a repository with a signature and attestations per
  // image can have tens of thousands.
  'OCI tag list': { maxContainers: 1_000, maxValues: 500_000 },
  // Rekor, Fulcio, TSA, OIDC and CI APIs: a log entry with its proof is about 10 containers and
  // 80 values; a page of a CI API a few thousand containers.
  'service response': { maxContainers: 20_000, maxValues: 100_000 },
  // npm: an attestations answer holds two bundles (30 and 63); the registry's keys a handful.
  'npm attestations': { maxContainers: 10_000, maxValues: 40_000 },
  'npm registry keys': SMALL_DOCUMENT,
  // A package.json and a packument can be large: a packument holds every version's manifest
  // (thousands of versions, dozens of containers each), so it keeps the general limits.
  'package.json': { maxContainers: 100_000, maxValues: 400_000 },
  'npm packument': GENERAL,
} as const satisfies Record<string, JsonShapeLimits>;

export type JsonDocumentKind = keyof typeof JSON_DOCUMENT_LIMITS;
