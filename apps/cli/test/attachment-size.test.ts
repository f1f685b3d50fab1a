import { describe, expect, it } from 'vitest';
import { attachmentSizeFromEnv } from '../src/options/attachment-size.js';

// COSIGN_MAX_ATTACHMENT_SIZE as cosign reads it (go-humanize's ParseBytes), for verify-attestation's cap.
describe('COSIGN_MAX_ATTACHMENT_SIZE', () => {
  it.each([
    ['5120', 5120],
    ['20K', 20_000],
    ['20KiB', 20 * 1024],
    ['3M', 3_000_000],
    ['45MiB', 45 * 1024 * 1024],
    ['1GB', 1e9],
    ['1.5 mi', 1.5 * 1024 * 1024],
    ['128 MiB', 128 * 1024 * 1024],
    ['1,024', 1024],
  ])('%s is %d bytes', (text, bytes) => {
    expect(attachmentSizeFromEnv({ COSIGN_MAX_ATTACHMENT_SIZE: text })).toBe(bytes);
  });

  it('unset: none (the library default, 1 MiB); SIGIL_MAX_ATTACHMENT_SIZE when COSIGN_ is not set', () => {
    expect(attachmentSizeFromEnv({})).toBeUndefined();
    expect(attachmentSizeFromEnv({ SIGIL_MAX_ATTACHMENT_SIZE: '2MiB' })).toBe(2 * 1024 * 1024);
    expect(attachmentSizeFromEnv({ COSIGN_MAX_ATTACHMENT_SIZE: '1K', SIGIL_MAX_ATTACHMENT_SIZE: '2MiB' })).toBe(1000);
  });

  it.each(['', 'lots', '10 parsecs', '0', '-5M', '1e3'])('refuses %j by name as a usage error', (text) => {
    expect(() => attachmentSizeFromEnv({ COSIGN_MAX_ATTACHMENT_SIZE: text })).toThrow(/COSIGN_MAX_ATTACHMENT_SIZE: expected a size such as 5120/);
  });
});
