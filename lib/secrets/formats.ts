import type { Severity } from "../model.js";

/**
 * Credential formats with a recognisable, provider-issued shape. A match is high-confidence
 * evidence on its own (after the placeholder check), so these are searched in every text file,
 * documentation included.
 */
export interface TokenFormat {
  id: string;
  /** What a maintainer calls it, e.g. "GitHub personal access token". */
  label: string;
  /** Global regex; group 1 is the secret. Quantifiers are bounded: no catastrophic backtracking. */
  pattern: RegExp;
  /** Length of the fixed, non-secret prefix (at most 4 chars of it are ever shown). */
  prefixLength: number;
  severity: Severity;
  /** Where to revoke it, for the remediation text. */
  revoke: string;
}

// Boundaries: a token is not part of a longer identifier on either side.
const B = "(?<![A-Za-z0-9_-])";
const E = "(?![A-Za-z0-9_-])";

export const TOKEN_FORMATS: readonly TokenFormat[] = [
  {
    id: "github-classic",
    label: "GitHub token",
    pattern: new RegExp(`${B}(gh[pousr]_[A-Za-z0-9]{36,251})${E}`, "g"),
    prefixLength: 4,
    severity: "critical",
    revoke: "revoke it in GitHub (Settings > Developer settings > Personal access tokens, or the App's settings for app tokens)",
  },
  {
    id: "github-fine-grained",
    label: "GitHub fine-grained personal access token",
    pattern: new RegExp(`${B}(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59,200})${E}`, "g"),
    prefixLength: 11,
    severity: "critical",
    revoke: "revoke it in GitHub (Settings > Developer settings > Fine-grained tokens)",
  },
  {
    id: "anthropic",
    label: "Anthropic API key",
    pattern: new RegExp(`${B}(sk-ant-[a-z]{2,10}[0-9]{0,3}-[A-Za-z0-9_-]{40,200})${E}`, "g"),
    prefixLength: 7,
    severity: "critical",
    revoke: "delete it in the Anthropic Console (Settings > API keys)",
  },
  {
    id: "openai-project",
    label: "OpenAI API key",
    pattern: new RegExp(`${B}(sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,250})${E}`, "g"),
    prefixLength: 8,
    severity: "critical",
    revoke: "delete it on platform.openai.com (API keys)",
  },
  {
    id: "openai-legacy",
    label: "OpenAI-style API key (sk-)",
    pattern: new RegExp(`${B}(sk-[A-Za-z0-9]{32,128})${E}`, "g"),
    prefixLength: 3,
    severity: "critical",
    revoke: "revoke it in the provider's console (for OpenAI: platform.openai.com, API keys)",
  },
  {
    id: "stripe-live",
    label: "Stripe live secret key",
    pattern: new RegExp(`${B}((?:sk|rk)_live_[A-Za-z0-9]{20,247})${E}`, "g"),
    prefixLength: 8,
    severity: "critical",
    revoke: "roll it in the Stripe Dashboard (Developers > API keys)",
  },
  {
    id: "npm",
    label: "npm access token",
    pattern: new RegExp(`${B}(npm_[A-Za-z0-9]{36})${E}`, "g"),
    prefixLength: 4,
    severity: "critical",
    revoke: "revoke it on npmjs.com (Access Tokens); it can publish your packages",
  },
  {
    id: "pypi",
    label: "PyPI API token",
    pattern: new RegExp(`${B}(pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,300})${E}`, "g"),
    prefixLength: 5,
    severity: "critical",
    revoke: "remove it on pypi.org (Account settings > API tokens); it can publish your packages",
  },
  {
    id: "slack",
    label: "Slack token",
    pattern: new RegExp(`${B}(xox[abprs]-[0-9]{6,20}-[A-Za-z0-9-]{10,200})${E}`, "g"),
    prefixLength: 5,
    severity: "high",
    revoke: "revoke it at api.slack.com/apps (OAuth & Permissions)",
  },
  {
    id: "slack-webhook",
    label: "Slack incoming webhook URL",
    pattern: /(https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]{6,12}\/B[A-Z0-9]{6,12}\/[A-Za-z0-9]{20,40})(?![A-Za-z0-9])/g,
    prefixLength: 0,
    severity: "high",
    revoke: "regenerate the webhook at api.slack.com/apps (Incoming Webhooks)",
  },
  {
    id: "google-api",
    label: "Google API key",
    pattern: new RegExp(`${B}(AIza[A-Za-z0-9_-]{35})${E}`, "g"),
    prefixLength: 4,
    severity: "high",
    revoke: "delete or restrict it in the Google Cloud console (APIs & Services > Credentials)",
  },
  {
    id: "gitlab-pat",
    label: "GitLab personal access token",
    pattern: new RegExp(`${B}(glpat-[A-Za-z0-9_-]{20,60})${E}`, "g"),
    prefixLength: 6,
    severity: "critical",
    revoke: "revoke it in GitLab (User settings > Access tokens)",
  },
  {
    id: "huggingface",
    label: "Hugging Face token",
    pattern: new RegExp(`${B}(hf_[A-Za-z]{34,40})${E}`, "g"),
    prefixLength: 3,
    severity: "high",
    revoke: "invalidate it at huggingface.co/settings/tokens",
  },
];

/** AWS access key id; reported only with a secret access key nearby (the id alone is not a credential). */
export const AWS_KEY_ID = /(?<![A-Z0-9])((?:AKIA|ASIA)[A-Z0-9]{16})(?![A-Z0-9])/g;
/** A 40-char AWS secret access key on a line that says "secret". */
export const AWS_SECRET = /(?<![A-Za-z0-9/+])([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/g;

/** Groups: 1 name, 2 quote, 3 value. Bounded quantifiers; applied line by line. */
// `name = "value"`, `"name": "value"`, `name: 'value'`, `name := "value"`, `name => "value"`,
// `name: str = "value"` (type annotations); not `==`.
export const QUOTED_ASSIGNMENT = /([A-Za-z_][A-Za-z0-9_.-]{0,80}|"[^"\n]{1,80}"|'[^'\n]{1,80}')(?:\s*:\s*[A-Za-z_][\w.<>[\]| ]{0,40}?)?\s*(?:=>|:=|=(?!=)|:)\s*(["'`])(?:(?:Bearer|Basic|[Tt]oken)\s+)?((?:(?!\2)[^\n\\]){1,500})\2/g;

export const PRIVATE_KEY_BEGIN = /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----/g;

/**
 * Identifiers that hold a credential: the LAST word decides, so `GITHUB_TOKEN`, `apiKey`,
 * `client_secret` count while `max_tokens`, `token_url`, `publicKey`, `secretName` do not.
 */
const SECRET_LAST_WORDS = new Set(["token", "secret", "password", "passwd", "pwd", "passphrase", "apikey", "pat", "credential", "credentials", "authorization"]);
const KEY_QUALIFIERS = new Set(["api", "access", "secret", "private", "client", "auth", "encryption", "signing", "master", "app", "service", "account", "subscription", "license", "session", "admin", "write", "read"]);

export function identifierWords(name: string): string[] {
  const last = name.replace(/["'`[\]]/g, "").split(".").pop() ?? "";
  return last
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[\s_-]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** Strict rule for source code and config files. */
export function isSecretName(name: string): boolean {
  const words = identifierWords(name);
  if (words.length === 0) return false;
  const last = words[words.length - 1];
  if (SECRET_LAST_WORDS.has(last)) return true;
  return last === "key" && words.length > 1 && KEY_QUALIFIERS.has(words[words.length - 2]);
}

/** Looser rule for `env` blocks of MCP client configs, where `NOTION_KEY` or `X_AUTH` mean a credential. */
export function isSecretEnvName(name: string): boolean {
  const words = identifierWords(name);
  const last = words[words.length - 1];
  return isSecretName(name) || last === "key" || last === "auth";
}
