// Random-looking tokens under keys that do not say "secret" (`MY_CONFIG: 9fQ2…`) are found by their alphabet and
// Shannon entropy, since nothing else gives them away. The thresholds, measured on random tokens and on every string
// of fixtures/ (names, images, paths, ARNs, CIDRs, AWS ids, OIDC issuers):
//  - mixed tokens: >= 20 characters of the base64/base64url alphabet holding an upper-case letter, a lower-case
//    letter and a digit, with entropy >= 3.5 bits per character. Random base62 of 20 characters scores ~4.0, of 40
//    ~5.0; Kubernetes names are lower-case (DNS-1123), so they never qualify. Identifiers spelled in camelCase
//    words (`AssumeRoleWithWebIdentity`, `Ipv6CidrBlockAssociationSet`, `clusterproof-moto-Ab3xYz`) are kept: a
//    token with >= 70% of its characters in `-`/`_` or runs of 3+ lower-case letters (optionally capitalised) is
//    words, not randomness (random base62 scores ~0.2, 99.9th percentile ~0.7 at 20 characters, lower when
//    longer). A token holding `/` is judged per segment, as a path (source locations name files).
//  - hex tokens: >= 32 hex digits (one case) with entropy >= 3.0 bits per character (random hex scores ~3.7+). A
//    bare hash looks the same, so digests are kept only where they say so: after `sha256:`/`sha512:`/`sha1:` (image
//    digests), or under a digest-like key (`sha256`, `digest`, `checksum` — see redactDeep).
// Kept whole, whatever their tokens: URLs (their userinfo is handled by the URL rule), ARNs, UUIDs.
import { redacted } from './marker.ts';

const MIXED_MIN_LENGTH = 20;
const MIXED_MIN_ENTROPY = 3.5;
const MAX_WORD_COVERAGE = 0.7;
const HEX_MIN_LENGTH = 32;
const HEX_MIN_ENTROPY = 3.0;

/** Bits per character of the string's own character distribution. */
function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

function looksRandom(token: string): boolean {
  if (token.length >= HEX_MIN_LENGTH && (/^[0-9a-f]+$/.test(token) || /^[0-9A-F]+$/.test(token))) {
    return /[a-fA-F]/.test(token) && /[0-9]/.test(token) && shannonEntropy(token) >= HEX_MIN_ENTROPY;
  }
  return (
    token.length >= MIXED_MIN_LENGTH &&
    /[A-Z]/.test(token) &&
    /[a-z]/.test(token) &&
    /[0-9]/.test(token) &&
    shannonEntropy(token) >= MIXED_MIN_ENTROPY &&
    wordCoverage(token) < MAX_WORD_COVERAGE
  );
}

/** Share of the token spelled as words: runs of 3+ lower-case letters, optionally capitalised, and separators. */
function wordCoverage(token: string): number {
  return (token.match(/[A-Z]?[a-z]{3,}|[-_]/g) ?? []).join('').length / token.length;
}

/** Words kept whole: a URL, an ARN or a UUID is an identifier, not a credential. */
const KEPT_WORD = /^(?:[a-z][a-z0-9+.-]*:\/\/|arn:aws[a-z-]*:)|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const WORD = /[^\s"'`,;(){}[\]<>]+/g;
const TOKEN = /[A-Za-z0-9+/_-]+=*/g;

const DIGEST_PREFIX = /(?:sha1|sha256|sha512):$/i;

export function redactRandomTokens(text: string): string {
  // Cheap screen: no run long enough to qualify.
  if (!/[A-Za-z0-9+/=_-]{20}/.test(text)) return text;
  return text.replace(WORD, (word) => {
    if (KEPT_WORD.test(word)) return word;
    return word.replace(TOKEN, (token, offset: number) =>
      isRandomToken(token) && !DIGEST_PREFIX.test(word.slice(0, offset)) ? redacted('random token') : token,
    );
  });
}

/** A token holding `/` is a path more often than base64 (source locations name files): its segments are judged. */
function isRandomToken(token: string): boolean {
  return token.split('/').some(looksRandom);
}
