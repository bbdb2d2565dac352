/**
 * Credential-shaped test values, built at run time from a seeded generator so the repository
 * itself holds no token literal a scanner (ours or GitHub's push protection) would flag.
 */

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const BASE64 = ALNUM + "+/";
const URLSAFE = ALNUM + "-_";
const DIGITS = "0123456789";

export function generator(seed = 20240607): (n: number, alphabet?: string) => string {
  let state = seed >>> 0;
  return (n, alphabet = ALNUM) => {
    let out = "";
    for (let i = 0; i < n; i++) {
      // xorshift32: good enough spread for test strings.
      state ^= state << 13;
      state >>>= 0;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      out += alphabet[state % alphabet.length];
    }
    return out;
  };
}

const r = generator();

export const TOKENS = {
  githubClassic: "gh" + "p_" + r(36),
  githubOauth: "gh" + "o_" + r(36),
  githubApp: "gh" + "s_" + r(36),
  githubFineGrained: "github" + "_pat_" + r(22) + "_" + r(59),
  anthropic: "sk-" + "ant-api03-" + r(93, URLSAFE) + "AA",
  openaiProject: "sk-" + "proj-" + r(120, URLSAFE),
  openaiLegacy: "sk-" + r(20) + "T3Blbk" + "FJ" + r(20),
  stripeLive: "sk" + "_live_" + r(24),
  stripeRestricted: "rk" + "_live_" + r(24),
  awsKeyId: "AK" + "IA" + r(16, UPPER_DIGITS),
  awsSecret: r(18, BASE64) + "A/b1" + r(18, BASE64),
  slack: "xo" + "xb-" + r(12, DIGITS) + "-" + r(13, DIGITS) + "-" + r(24),
  google: "AI" + "za" + r(35, URLSAFE),
  npm: "np" + "m_" + r(36),
  generic: r(32),
  generic2: r(28, BASE64),
  envValue: r(40),
  privateKeyBody: Array.from({ length: 12 }, () => r(64, BASE64)).join("\n"),
};

export function privateKey(label = "RSA PRIVATE KEY"): string {
  return `-----BEGIN ${label}-----\n${TOKENS.privateKeyBody}\n-----END ${label}-----`;
}
