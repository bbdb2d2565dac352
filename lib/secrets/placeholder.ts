import { shannonEntropy } from "./entropy.js";

/**
 * Counter-evidence for secrets: documentation and examples are full of values shaped like
 * tokens that are not (`ghp_xxxx`, `<your-token>`, `${GITHUB_TOKEN}`, `sk-...`). Reporting them
 * is the fastest way to get a scanner uninstalled.
 */

const PLACEHOLDER_WORDS =
  /(example|sample|dummy|placeholder|changeme|change[_-]me|your[_-]?(api|access|secret|own|token|key|pass)|^(your|my)[_-][a-z]|redacted|replace[_-]?(me|with|this)|insert[_-]?(your|here)|fake|mock|xxxx|here$|^test|test$|[^a-z]test[^a-z]|todo|fixme|foobar|lorem|not[_-]?a[_-]?real|invalid|secret[_-]?here|token[_-]?here|key[_-]?here)/i;

/** References to a value held elsewhere: environment, templates, client inputs, shell expansion. */
const REFERENCE =
  /(\$\{|\$\(|\{\{|\}\}|%\(|%s|^\$[A-Za-z_]|process\.env|import\.meta\.env|os\.environ|os\.getenv|getenv\(|env\(|ENV\[|secrets\.|vault:|^env:|^op:\/\/|^arn:aws:secretsmanager)/i;

/** A run of `length` characters with consecutive code points (abcdef, 123456). */
function hasSequence(value: string, length: number): boolean {
  let run = 1;
  for (let i = 1; i < value.length; i++) {
    const step = value.charCodeAt(i) - value.charCodeAt(i - 1);
    run = step === 1 || step === -1 ? run + 1 : 1;
    if (run >= length) return true;
  }
  return false;
}

/** True when `value` (the part after any fixed provider prefix) is clearly not a real secret. */
export function isPlaceholder(value: string): boolean {
  if (value.length === 0) return true;
  if (PLACEHOLDER_WORDS.test(value) || REFERENCE.test(value)) return true;
  if (/[<>]|\.\.\.|…|\*{3,}|#{3,}|_{4,}|-{4,}|\s/.test(value)) return true;
  if (/(.)\1{5,}/.test(value)) return true; // aaaaaa, 000000
  if (/^(.{1,8}?)\1{3,}$/.test(value)) return true; // abcabcabcabc
  if (hasSequence(value, 6)) return true;
  const distinct = new Set(value).size;
  return distinct < Math.min(8, Math.ceil(value.length / 3));
}

/** Strong randomness for values with no recognisable format (generic assignments). */
export function looksRandom(value: string, minLength = 16, minEntropy = 3.5): boolean {
  return value.length >= minLength && shannonEntropy(value) >= minEntropy;
}
