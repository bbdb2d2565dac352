/**
 * Shell commands sometimes carry credentials (`curl -H "Authorization: token ghp_..."`). The
 * snippet becomes evidence in a public issue, so anything token-shaped is masked before it
 * leaves the extractor; the secrets rule reports the credential itself.
 */
import { redact } from "../redact.js";

const TOKEN_PREFIXES =
  /\b(ghp_|gho_|ghu_|ghs_|ghr_|github_pat_|glpat-|xox[abposr]-|sk-(?:proj-|ant-)?|sk_live_|rk_live_|AKIA|ASIA|AIza|npm_|pypi-|hf_|dop_v1_)[A-Za-z0-9_\-]{8,}/g;
const ASSIGNED = /\b((?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key)\s*[=:]\s*["']?)([^\s"'`&|;]{4,})/gi;
const BEARER = /\b(Bearer\s+|Basic\s+|token\s+)([A-Za-z0-9_\-.=+/]{12,})/g;
const USER_PASSWORD = /((?:\s-u|--user)\s+["']?[^:\s"']+:)([^\s"'@]{3,})/g;
const URL_CREDENTIALS = /(\/\/[^/\s:@]+:)([^@\s/]{3,})(@)/g;
const LONG_OPAQUE = /\b(?=[A-Za-z0-9+_-]*\d)(?=[A-Za-z0-9+_-]*[A-Za-z])[A-Za-z0-9+_-]{40,}\b/g;

/** The shared redactor (provider formats, keys), then shapes typical of command lines. */
export function redactSecrets(text: string): string {
  return redact(text)
    .replace(TOKEN_PREFIXES, (_m, prefix: string) => `${prefix}****`)
    .replace(ASSIGNED, (_m, head: string) => `${head}****`)
    .replace(BEARER, (_m, head: string) => `${head}****`)
    .replace(USER_PASSWORD, (_m, head: string) => `${head}****`)
    .replace(URL_CREDENTIALS, (_m, head: string, _secret: string, at: string) => `${head}****${at}`)
    .replace(LONG_OPAQUE, (m) => `${m.slice(0, 4)}****`);
}
