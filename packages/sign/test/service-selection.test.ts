import { describe, expect, it } from 'vitest';
import { SIGNING_CONFIG_MEDIA_TYPE_V0_2, type Service, type SigningConfig } from '@sigil/bundle';
import { SignError, selectSigningServices } from '../src/index.js';

// The signing config rules (sigstore-go SelectService/SelectServices) over configs that list
// several logs, API versions, operators and validity windows.
const NOW = new Date('2026-06-01T00:00:00Z');
const service = (url: string, majorApiVersion: number, start: string, operator = 'op-a', end?: string): Service => ({
  url,
  majorApiVersion,
  validFor: { start: new Date(start), ...(end ? { end: new Date(end) } : {}) },
  operator,
});

function config(overrides: Partial<SigningConfig>): SigningConfig {
  return {
    mediaType: SIGNING_CONFIG_MEDIA_TYPE_V0_2,
    caUrls: [service('https://fulcio.old', 1, '2022-01-01T00:00:00Z'), service('https://fulcio.new', 1, '2025-01-01T00:00:00Z'), service('https://fulcio.future', 1, '2027-01-01T00:00:00Z')],
    oidcUrls: [service('https://issuer', 1, '2022-01-01T00:00:00Z')],
    rekorTlogUrls: [],
    tsaUrls: [service('https://tsa-a/api/v1/timestamp', 1, '2024-01-01T00:00:00Z', 'op-a'), service('https://tsa-b/api/v1/timestamp', 1, '2025-01-01T00:00:00Z', 'op-b')],
    rekorTlogConfig: { selector: 'ANY', count: 0 },
    tsaConfig: { selector: 'ANY', count: 0 },
    ...overrides,
  };
}

const LOGS = [
  service('https://rekor.v1', 1, '2021-01-01T00:00:00Z', 'op-a'),
  service('https://log2025.v2', 2, '2025-06-01T00:00:00Z', 'op-a'),
  service('https://log2026.v2', 2, '2026-01-01T00:00:00Z', 'op-a'),
  service('https://other.v2', 2, '2025-01-01T00:00:00Z', 'op-b'),
  service('https://retired.v2', 2, '2024-01-01T00:00:00Z', 'op-c', '2025-01-01T00:00:00Z'),
  service('https://future.v2', 2, '2027-01-01T00:00:00Z', 'op-d'),
];

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(SignError);
    return (err as SignError).message;
  }
  throw new Error('expected a refusal');
};

describe('selectSigningServices', () => {
  it('takes the newest CA valid now, and the highest log API version with a log valid now', () => {
    const selected = selectSigningServices(config({ rekorTlogUrls: LOGS }), 'sc.json', NOW);
    expect(selected.fulcioURL).toBe('https://fulcio.new');
    expect(selected.transparencyLogs).toEqual([{ url: 'https://log2026.v2', majorApiVersion: 2 }]);
    expect(selected.tsaURLs).toEqual(['https://tsa-b/api/v1/timestamp']);
  });

  it('ALL: one log per operator, newest first, never mixing API versions; retired and future ones left out', () => {
    const selected = selectSigningServices(config({ rekorTlogUrls: LOGS, rekorTlogConfig: { selector: 'ALL', count: 0 }, tsaConfig: { selector: 'ALL', count: 0 } }), 'sc.json', NOW);
    expect(selected.transparencyLogs.map((l) => l.url)).toEqual(['https://log2026.v2', 'https://other.v2']);
    expect(selected.tsaURLs).toHaveLength(2);
  });

  it('EXACT with a count: that many distinct operators, or the config is refused by name', () => {
    const two = selectSigningServices(config({ rekorTlogUrls: LOGS, rekorTlogConfig: { selector: 'EXACT', count: 2 } }), 'sc.json', NOW);
    expect(two.transparencyLogs).toHaveLength(2);
    expect(refusal(() => selectSigningServices(config({ rekorTlogUrls: LOGS, rekorTlogConfig: { selector: 'EXACT', count: 3 } }), 'sc.json', NOW))).toMatch(/signing config sc\.json: rekorTlogConfig: selector EXACT asks for 3/);
    expect(refusal(() => selectSigningServices(config({ rekorTlogUrls: LOGS, rekorTlogConfig: { selector: 'EXACT', count: 0 } }), 'sc.json', NOW))).toMatch(/count above 0/);
    expect(refusal(() => selectSigningServices(config({ rekorTlogUrls: LOGS, tsaConfig: { selector: 'EXACT', count: 3 } }), 'sc.json', NOW))).toMatch(/tsaConfig: selector EXACT asks for 3/);
  });

  it('falls back to Rekor v1 when no v2 log is valid at the time', () => {
    const early = selectSigningServices(config({ rekorTlogUrls: LOGS, tsaUrls: [service('https://tsa', 1, '2022-01-01T00:00:00Z')] }), 'sc.json', new Date('2023-06-01T00:00:00Z'));
    expect(early.transparencyLogs).toEqual([{ url: 'https://rekor.v1', majorApiVersion: 1 }]);
    // As sigstore-go: TSAs listed but none valid yet is a refusal, not a signing without timestamps.
    expect(refusal(() => selectSigningServices(config({ rekorTlogUrls: LOGS }), 'sc.json', new Date('2023-06-01T00:00:00Z')))).toMatch(/tsaUrls with API version 1 valid at 2023/);
  });

  it('refuses a Rekor v2 selection without a TSA, logs of unknown API versions only, and no log valid now', () => {
    expect(refusal(() => selectSigningServices(config({ rekorTlogUrls: LOGS, tsaUrls: [] }), 'sc.json', NOW))).toMatch(/Rekor v2 log https:\/\/log2026\.v2.*no timestamp authority/);
    expect(refusal(() => selectSigningServices(config({ rekorTlogUrls: [service('https://v3', 3, '2025-01-01T00:00:00Z')] }), 'sc.json', NOW))).toMatch(/rekorTlogUrls with API version 1 or 2/);
    expect(refusal(() => selectSigningServices(config({ rekorTlogUrls: [LOGS[5]!] }), 'sc.json', NOW))).toMatch(/found none among 1/);
    expect(refusal(() => selectSigningServices(config({ rekorTlogUrls: LOGS, caUrls: [] }), 'sc.json', NOW))).toMatch(/expected a CA/);
  });

  it('signs with Rekor v1 and no timestamp when the config lists no TSA', () => {
    const selected = selectSigningServices(config({ rekorTlogUrls: [LOGS[0]!], tsaUrls: [] }), 'sc.json', NOW);
    expect(selected.tsaURLs).toEqual([]);
  });
});
