import { describe, expect, it } from 'vitest';
import { cleanServerMessage, displayUrl } from '../src/index.js';

describe('cleanServerMessage and displayUrl', () => {
  it('blanks the given secrets and JWT-shaped text, makes one line, cuts at 500 characters', () => {
    const text = cleanServerMessage('bad password hunter2hunter2\nfor eyJhbGciOi.eyJzdWIiOi.c2ln', ['hunter2hunter2']);
    expect(text).toBe('bad password [redacted] for [redacted]');
    expect(cleanServerMessage('x'.repeat(600), []).length).toBe(501);
  });

  it('shows a URL without user info, fragment or secret-looking query values', () => {
    expect(displayUrl(new URL('https://u:p@registry.example/token?scope=repo&access_token=abc#f'))).toBe(
      'https://registry.example/token?scope=repo&access_token=REDACTED',
    );
  });
});
