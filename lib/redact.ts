import { AWS_KEY_ID, QUOTED_ASSIGNMENT, TOKEN_FORMATS, isSecretEnvName, isSecretName } from "./secrets/formats.js";
import { isPlaceholder, looksRandom } from "./secrets/placeholder.js";

/**
 * Secrets are never printed in full: not in the issue, the JSON, the logs. The secrets rule
 * redacts its own evidence; `redact` is the last line of defence every output applies to any
 * text that may quote repository content.
 */

/** `ghp_…[redacted, 40 chars]`: at most 4 characters of the non-secret prefix, then the length. */
export function redactSecret(secret: string, visiblePrefix = 0): string {
  const shown = secret.slice(0, Math.max(0, Math.min(4, visiblePrefix)));
  return `${shown}…[redacted, ${secret.length} chars]`;
}

/** Groups: 1 flag name, 2 value. `--name=value`, or `"--name", "value"` as in a JSON args array. */
const FLAG_VALUE = /(?<![\w-])--?([A-Za-z][\w.-]{0,60})(?:=|"\s*,\s*")([^\s"'`,\]\\]{1,500})/g;

const PEM_BEGIN = /-----BEGIN [A-Z ]{0,30}PRIVATE KEY(?: BLOCK)?-----/g;

/** A JWT (both JSON parts start `{"`, i.e. `eyJ`): a bearer credential, wherever it is quoted. */
const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,2000}\.eyJ[A-Za-z0-9_-]{8,8000}\.[A-Za-z0-9_-]{8,2000}(?![A-Za-z0-9_-])/g;

/** Groups: 1 `scheme://user:`, 2 the password. A URL's userinfo, as in database URLs. */
const URL_PASSWORD = /(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/[^\s:/?#@"'`<>\\]{0,200}:)([^\s/?#@"'`<>\\]{1,300})@/g;

/** First element of the sorted `positions` at or after `from`, or -1. */
function nextAtOrAfter(positions: number[], from: number): number {
  let lo = 0;
  let hi = positions.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (positions[mid] < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < positions.length ? positions[lo] : -1;
}

/**
 * Hides the bodies of PEM private keys, in real lines or in `\n`-escaped strings. When the END
 * line is missing (evidence is often trimmed), the base64-looking run after BEGIN is hidden.
 * Linear: END positions are found once, so a file of nothing but BEGIN lines stays cheap.
 */
function redactPrivateKeys(text: string): string {
  if (!text.includes("PRIVATE KEY")) return text;
  const ends: number[] = [];
  for (let i = text.indexOf("-----END "); i >= 0; i = text.indexOf("-----END ", i + 1)) ends.push(i);
  const begin = new RegExp(PEM_BEGIN.source, "g");
  let out = "";
  let cursor = 0;
  let m: RegExpExecArray | null;
  while ((m = begin.exec(text)) !== null) {
    const bodyStart = m.index + m[0].length;
    const end = nextAtOrAfter(ends, bodyStart);
    const length = end >= 0 && end - bodyStart <= 20_000
      ? end - bodyStart
      : (/^(?:\\[nr]|[\s"'+,]|[A-Za-z0-9+/=]){0,8000}/.exec(text.slice(bodyStart, bodyStart + 8000))?.[0].length ?? 0);
    const body = text.slice(bodyStart, bodyStart + length);
    // Code that only names the header, or a "..." example, has no key material to hide.
    if (body.replace(/\\[nr]|[\s"'+,]/g, "").length < 16 || body.includes("…[redacted")) continue;
    out += text.slice(cursor, bodyStart) + redactSecret(body.trim());
    cursor = bodyStart + length;
    begin.lastIndex = Math.max(begin.lastIndex, cursor);
  }
  return out + text.slice(cursor);
}

/**
 * Replaces anything that looks like a credential in `text`. Errs on the side of redacting:
 * a placeholder shown as `ghp_…[redacted, 40 chars]` costs nothing, a leaked token costs a lot.
 * Idempotent: redacted output contains nothing that matches again.
 */
export function redact(text: string): string {
  if (typeof text !== "string" || text.length === 0) return text;
  let out = redactPrivateKeys(text);
  for (const format of TOKEN_FORMATS) {
    out = out.replace(format.pattern, (token: string) => redactSecret(token, format.prefixLength));
  }
  out = out.replace(AWS_KEY_ID, (id: string) => redactSecret(id, 4));
  if (out.includes("eyJ")) out = out.replace(JWT, (jwt: string) => redactSecret(jwt, 3));
  if (out.includes("://")) {
    out = out.replace(URL_PASSWORD, (match: string, head: string, password: string) =>
      password.includes("…[redacted") || isPlaceholder(password) ? match : `${head}${redactSecret(password)}@`,
    );
  }
  // Command-line flags in launch args: `--api-key=VALUE`, `"--token", "VALUE"`.
  out = out.replace(FLAG_VALUE, (match: string, flag: string, value: string) => {
    if (!isSecretEnvName(flag) || value.includes("…[redacted") || isPlaceholder(value) || !looksRandom(value)) return match;
    const at = match.lastIndexOf(value);
    return `${match.slice(0, at)}${redactSecret(value)}${match.slice(at + value.length)}`;
  });
  // A value assigned to a secret-like name is hidden even when it does not look random: the rule
  // does not report `password = "hunter2hunter2"`, but no output should print it either.
  out = out.replace(new RegExp(QUOTED_ASSIGNMENT.source, "g"), (match: string, name: string, quote: string, value: string) => {
    if (!isSecretName(name) || value.includes("…[redacted") || isPlaceholder(value)) return match;
    if (value.length < 6 || /\s/.test(value)) return match;
    const at = match.lastIndexOf(value);
    return `${match.slice(0, at)}${redactSecret(value)}${quote}`;
  });
  return out;
}

/**
 * A URL's whole userinfo hidden (`https://***@host`): in specs and registry URLs the user part is
 * often the token itself (`https://TOKEN@github.com/...`). The lookbehind starts a scheme only
 * where a run of scheme characters starts, so it stays linear on long words.
 */
export function hideUserinfo(text: string): string {
  return text.replace(/(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/)[^/@\s"'`]+@/gi, "$1***@");
}
