import { redactQuery, redactUrl } from './redaction';

describe('redaction of URLs in spans', () => {
  it('hides sign-in codes, states and tokens, and keeps the rest', () => {
    expect(redactQuery('?code=abc123&state=xyz&env=production&token=t0k')).toBe(
      '?code=REDACTED&state=REDACTED&env=production&token=REDACTED',
    );
    expect(redactQuery('')).toBe('');
    expect(redactQuery('?limit=10')).toBe('?limit=10');
  });

  it('hides user info in a URL', () => {
    const url = redactUrl(
      new URL(
        'https://portal:s3cret@git.example.com/a.git?access_token=x&ref=main',
      ),
    );
    expect(url).toBe(
      'https://REDACTED:REDACTED@git.example.com/a.git?access_token=REDACTED&ref=main',
    );
    expect(url).not.toContain('s3cret');
  });
});
