/**
 * A last line of defence: rules redact secrets in evidence before it reaches a report, but a
 * report is public, so well-known credential shapes are masked again on the way out.
 * Only formats with a distinctive prefix are matched; this is not a secret scanner.
 */
const PATTERNS: RegExp[] = [
  /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}\b/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{40,}\b/g,
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, // AWS access key ids
  /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g, // Slack
  /\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}\b/g, // OpenAI / Anthropic style keys
  /\bAIza[0-9A-Za-z_-]{35}\b/g, // Google API keys
  /\b(?:sk|rk)_live_[0-9A-Za-z]{20,}\b/g, // Stripe
  /\bglpat-[0-9A-Za-z_-]{20,}\b/g, // GitLab
  /\bnpm_[A-Za-z0-9]{36}\b/g,
];

const PRIVATE_KEY = /-----BEGIN ((?:[A-Z]+ )*PRIVATE KEY)-----[\s\S]*?(?:-----END \1-----|$)/g;

/** Keep a short prefix so the reader can tell which credential it was. */
function mask(secret: string): string {
  return `${secret.slice(0, Math.min(6, Math.floor(secret.length / 4)))}…[redacted]`;
}

export function redactSecrets(text: string): string {
  let out = text.replace(PRIVATE_KEY, (_m, kind: string) => `-----BEGIN ${kind}----- …[redacted]`);
  for (const re of PATTERNS) out = out.replace(re, mask);
  return out;
}
