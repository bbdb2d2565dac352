import { LineIndex } from "../line-index.js";
import { createHash } from "node:crypto";
import type { ClientConfigFile } from "../extract/client-config.js";
import { isDockerfilePath, type DockerEnv } from "../manifests/dockerfile.js";
import { SEVERITY_RANK, SEVERITIES, type Confidence, type RawFinding, type Severity } from "../model.js";
import { redact, redactSecret } from "../redact.js";
import { AWS_KEY_ID, AWS_SECRET, PRIVATE_KEY_BEGIN, QUOTED_ASSIGNMENT, TOKEN_FORMATS, isSecretEnvName, isSecretName, type TokenFormat } from "../secrets/formats.js";
import { isPlaceholder, looksRandom } from "../secrets/placeholder.js";
import { shannonEntropy } from "../secrets/entropy.js";
import type { RuleContext, RuleFamily } from "./types.js";

export { redact, redactSecret } from "../redact.js";

export const SECRET_RULE = "MCPW-SECRET-001";

/** Bigger files are generated data, not hand-written configuration. */
export const MAX_SECRET_SCAN_BYTES = 512 * 1024;
const MAX_FINDINGS_PER_FILE = 25;
/** Minified bundles and data URIs: only provider formats are searched on such lines. */
const MAX_GENERIC_LINE = 2000;
const EVIDENCE_WINDOW = 80;

const LOCKFILES = new Set([
  "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock", "bun.lockb", "deno.lock",
  "poetry.lock", "pipfile.lock", "uv.lock", "pdm.lock", "go.sum", "cargo.lock", "composer.lock", "gemfile.lock",
  "packages.lock.json", "flake.lock", "pubspec.lock", "mix.lock",
]);

/** Prose: only provider formats and private keys (prose says `password: hunter2...` all the time). */
const DOC_EXT = /\.(md|mdx|markdown|rst|adoc|txt|html?|svg|map|csv|ipynb)$/i;
const MINIFIED = /\.min\.(js|css)$/i;
/** Files where a bare `KEY=value` (unquoted) is an assignment. */
const UNQUOTED_ASSIGNMENT_FILE = /(^|\/)(\.env(\.[\w.-]+)?|[\w.-]+\.env|dockerfile|containerfile|\.npmrc|\.pypirc|[\w.-]+\.(ya?ml|toml|ini|cfg|conf|properties|sh|bash|zsh))$/i;
/** Tests, fixtures and examples: still reported (real tokens leak from there too), one step lower. */
const TEST_PATH =
  /(^|\/)(tests?|__tests__|specs?|fixtures?|__fixtures__|testdata|examples?|samples?|mocks?|__mocks__|demo)\/|(\.|_)(test|spec)\.[a-z]+$|(^|\/)test_[^/]*\.py$|\.(example|sample|template|dist)$|\.(example|sample)\.[a-z]+$/i;

export function isLockfile(path: string): boolean {
  const base = (path.split("/").pop() ?? "").toLowerCase();
  return LOCKFILES.has(base) || base.endsWith(".lock");
}

export function isTestPath(path: string): boolean {
  return TEST_PATH.test(path);
}

interface Hit {
  label: string;
  secret: string;
  /** Offset of the secret in the file. */
  index: number;
  /** Characters of the secret shown in evidence (a fixed provider prefix, at most 4). */
  prefixLength: number;
  severity: Severity;
  confidence: Confidence;
  revoke: string;
  /** Extra evidence, e.g. where the AWS secret access key is. */
  note?: string;
  /** For findings whose position is known by line rather than offset. */
  line?: number;
}

function lower(severity: Severity): Severity {
  return SEVERITIES.find((s) => SEVERITY_RANK[s] === SEVERITY_RANK[severity] - 1) ?? severity;
}

function lowerConfidence(confidence: Confidence): Confidence {
  return confidence === "high" ? "medium" : "low";
}

function fresh(pattern: RegExp): RegExp {
  return new RegExp(pattern.source, pattern.flags.includes("g") ? pattern.flags : `${pattern.flags}g`);
}

/** Provider formats; the part after the fixed prefix must not be a placeholder. */
function tokenHits(text: string, format: TokenFormat): Hit[] {
  const hits: Hit[] = [];
  for (const m of text.matchAll(fresh(format.pattern))) {
    const secret = m[1];
    const body = secret.slice(format.prefixLength);
    if (isPlaceholder(body) || shannonEntropy(body) < 3) continue;
    hits.push({
      label: format.label,
      secret,
      index: (m.index ?? 0) + m[0].indexOf(secret),
      prefixLength: format.prefixLength,
      severity: format.severity,
      confidence: "high",
      revoke: format.revoke,
    });
    if (hits.length >= MAX_FINDINGS_PER_FILE) break;
  }
  return hits;
}

/** AWS key id + a secret access key within five lines on a line mentioning "secret". */
function awsHits(text: string, starts: LineIndex): Hit[] {
  const hits: Hit[] = [];
  for (const m of text.matchAll(fresh(AWS_KEY_ID))) {
    const id = m[1];
    if (isPlaceholder(id.slice(4))) continue;
    const line = starts.lineAt(m.index ?? 0);
    for (let l = Math.max(1, line - 5); l <= Math.min(starts.count, line + 5); l++) {
      const candidate = starts.lineText(l);
      if (!/secret/i.test(candidate) || candidate.length > MAX_GENERIC_LINE) continue;
      const secret = [...candidate.matchAll(fresh(AWS_SECRET))]
        .map((s) => s[1])
        .find((s) => /[a-z]/.test(s) && /[A-Z]/.test(s) && /[0-9]/.test(s) && !isPlaceholder(s) && shannonEntropy(s) >= 4);
      if (!secret) continue;
      hits.push({
        label: "AWS access key with its secret access key",
        secret,
        index: m.index ?? 0,
        prefixLength: 0,
        severity: "critical",
        confidence: "high",
        revoke: "deactivate and delete the access key in AWS IAM (and check CloudTrail for its use)",
        note: l === line ? undefined : `secret access key on line ${l}`,
      });
      break;
    }
    if (hits.length >= MAX_FINDINGS_PER_FILE) break;
  }
  return hits;
}

/** PEM private key blocks with a real body (a BEGIN line alone, as in parsing code, is not a key). */
function privateKeyHits(text: string): Hit[] {
  const hits: Hit[] = [];
  let seen = 0;
  for (const m of text.matchAll(fresh(PRIVATE_KEY_BEGIN))) {
    if (++seen > 100) break; // a file of BEGIN lines is not worth quadratic work
    const label = m[1];
    const start = (m.index ?? 0) + m[0].length;
    const window = text.slice(start, start + 20_000);
    const endAt = window.indexOf(`-----END ${label}-----`);
    const rawBody = endAt >= 0 ? window.slice(0, endAt) : window.slice(0, 8000);
    if (/\.\.\.|…|<[^>]*>|x{6,}/i.test(rawBody.slice(0, 200))) continue;
    // Lines of the body, whether real lines or `\n` escapes inside a string literal; PEM headers
    // (Proc-Type, DEK-Info) are not key material.
    let lines = rawBody
      .replace(/\\[nr]/g, "\n")
      .split("\n")
      .map((l) => l.replace(/^[\s"'`+,;]+|(?<![\s"'`+,;])[\s"'`+,;]+$/g, ""))
      .filter((l) => l !== "" && !/^[A-Za-z-]+:\s/.test(l));
    if (endAt < 0) {
      // No END marker: only the base64 lines right after BEGIN count.
      const stop = lines.findIndex((l) => !/^[A-Za-z0-9+/=]+$/.test(l));
      lines = stop < 0 ? lines : lines.slice(0, stop);
    }
    const cleaned = lines.join("");
    const base64 = (cleaned.match(/[A-Za-z0-9+/=]+/g) ?? []).join("");
    if (base64.length < 64 || base64.length < cleaned.length * 0.9 || shannonEntropy(base64) < 4.5) continue;
    const encrypted = label.startsWith("ENCRYPTED") || /Proc-Type:\s*4,ENCRYPTED/.test(rawBody);
    hits.push({
      label: encrypted ? "encrypted private key" : "private key",
      secret: base64,
      index: m.index ?? 0,
      prefixLength: 0,
      severity: encrypted ? "high" : "critical",
      confidence: "high",
      revoke: "generate a new key pair, revoke any certificate issued for this one and remove its public key from everywhere it is trusted",
    });
    if (hits.length >= MAX_FINDINGS_PER_FILE) break;
  }
  return hits;
}

// `NAME=value` / `name: value` in .env, YAML, TOML, shell and Dockerfiles.
const UNQUOTED_ASSIGNMENT = /^\s*(?:export\s+|ENV\s+|ARG\s+|-\s+)?([A-Za-z_][A-Za-z0-9_.-]{0,80})\s*[:=]\s*([^\s"'#`]{16,500})\s*(?:#.*)?$/;

/** A value with no known format counts only when it is long, random and not a reference. */
function genericValueOk(value: string): boolean {
  if (!looksRandom(value) || isPlaceholder(value)) return false;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return false; // URLs (credentials in URLs are another rule)
  if (/^[A-Z][A-Z0-9_]*$/.test(value)) return false; // the name of an env var, not its value
  if (/^[\w-]+(\.[\w-]+){2,}$/.test(value) && !/^eyJ/.test(value)) return false; // dotted keys (i18n, config paths); JWTs are secrets
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) return false; // UUIDs are identifiers
  if (/^[./~]|^[A-Za-z]:\\/.test(value) || (value.includes("/") && /\.[a-z]{1,5}$/.test(value))) return false; // file paths
  if (/^[a-z0-9._-]+(\/[a-z0-9._-]+){2,}$/.test(value)) return false; // resource names: projects/x/secrets/y
  return true;
}

function genericHits(text: string, starts: LineIndex, path: string): Hit[] {
  const hits: Hit[] = [];
  const unquoted = UNQUOTED_ASSIGNMENT_FILE.test(path);
  for (let l = 1; l <= starts.count && hits.length < MAX_FINDINGS_PER_FILE; l++) {
    const line = starts.lineText(l);
    if (line.length > MAX_GENERIC_LINE || line.length < 16) continue;
    const lineStart = starts.startOf(l);
    for (const m of line.matchAll(fresh(QUOTED_ASSIGNMENT))) {
      const [, name, , value] = m;
      if (!isSecretName(name) || !genericValueOk(value)) continue;
      hits.push(genericHit(name, value, lineStart + (m.index ?? 0) + m[0].lastIndexOf(value)));
    }
    if (unquoted) {
      const m = UNQUOTED_ASSIGNMENT.exec(line);
      if (m && isSecretName(m[1]) && genericValueOk(m[2])) hits.push(genericHit(m[1], m[2], lineStart + line.lastIndexOf(m[2])));
    }
  }
  return hits;
}

function genericHit(name: string, value: string, index: number): Hit {
  return {
    label: `credential in \`${name.replace(/["'`]/g, "").slice(0, 80)}\``,
    secret: value,
    index,
    prefixLength: 0,
    severity: "high",
    confidence: "medium",
    revoke: "revoke or rotate it with the service that issued it",
  };
}

/**
 * `{"name": "API_KEY", "value": "..."}` pairs, as in server.json `environmentVariables` and other
 * JSON/YAML lists of variables: the name sits in a sibling key, not on the left of the value.
 */
const NAME_THEN_VALUE = /(?<![\w-])["']?name["']?\s*:\s*["']?([A-Za-z_][\w.-]{0,80})["']?(?![\w.-])[^{}\[\]]{0,300}?(?<![\w-])["']?value["']?\s*:\s*["']([^"'\\\s]{16,500})["']/g;
const VALUE_THEN_NAME = /(?<![\w-])["']?value["']?\s*:\s*["']([^"'\\\s]{16,500})["'][^{}\[\]]{0,300}?(?<![\w-])["']?name["']?\s*:\s*["']?([A-Za-z_][\w.-]{0,80})["']?(?![\w.-])/g;

function namedValueHits(text: string): Hit[] {
  const hits: Hit[] = [];
  const add = (name: string, value: string, index: number) => {
    if (hits.length < MAX_FINDINGS_PER_FILE && isSecretEnvName(name) && genericValueOk(value)) hits.push(genericHit(name, value, index));
  };
  for (const m of text.matchAll(NAME_THEN_VALUE)) add(m[1], m[2], (m.index ?? 0) + m[0].lastIndexOf(m[2]));
  for (const m of text.matchAll(VALUE_THEN_NAME)) add(m[2], m[1], (m.index ?? 0) + m[0].indexOf(m[1]));
  return hits;
}

/** `env` values of MCP client configs: the looser name rule applies, the value tests do not change. */
function clientConfigHits(file: ClientConfigFile, text: string): Hit[] {
  const hits: Hit[] = [];
  for (const server of file.servers) {
    for (const [name, value] of Object.entries(server.env)) {
      if (!isSecretEnvName(name) || !genericValueOk(value)) continue;
      const line = server.envLines[name] ?? server.span.line;
      const hit = genericHit(name, value, -1);
      hit.line = line;
      hit.label = `credential in \`${name.slice(0, 80)}\` (env of MCP server "${server.name.slice(0, 80)}")`;
      const idx = text.indexOf(value);
      if (idx >= 0) hit.index = idx;
      hits.push(hit);
    }
    // `"args": ["--api-key", "value"]` and `"args": ["--token=value"]`: the flag names the credential.
    server.args.forEach((arg, i) => {
      const joined = /^--?([A-Za-z][\w.-]{0,80})=(.+)$/.exec(arg);
      const flag = joined ? joined[1] : /^--?([A-Za-z][\w.-]{0,80})$/.exec(arg)?.[1];
      const value = joined ? joined[2] : server.args[i + 1];
      if (flag === undefined || value === undefined || value.startsWith("-")) return;
      if (!isSecretEnvName(flag) || !genericValueOk(value)) return;
      const hit = genericHit(flag, value, text.indexOf(value));
      if (hit.index < 0) hit.line = server.span.line;
      hit.label = `credential in the \`${arg.slice(0, 80).replace(/=.*$/, "")}\` argument (MCP server "${server.name.slice(0, 80)}")`;
      hits.push(hit);
    });
  }
  return hits;
}

function evidence(text: string, starts: LineIndex, line: number, secrets: { secret: string; prefixLength: number }[]): string {
  let raw = starts.lineText(line);
  for (const s of secrets) raw = raw.split(s.secret).join(redactSecret(s.secret, s.prefixLength));
  // Redact the whole line before cutting a window out of it, so a window edge never splits a
  // secret (a PEM body inside a JSON string, say) into an unrecognisable, unredacted piece.
  raw = redact(raw).trim();
  // Keep a window around the first redaction so a minified line does not flood the report.
  const at = raw.indexOf("…[redacted");
  if (raw.length > 2 * EVIDENCE_WINDOW + 40) {
    const from = Math.max(0, at - EVIDENCE_WINDOW);
    raw = `${from > 0 ? "…" : ""}${raw.slice(from, from + 2 * EVIDENCE_WINDOW + 40)}…`;
  }
  return redact(raw);
}

function remediation(hit: Hit, path: string, isClientConfig: boolean): string {
  const where = isClientConfig
    ? "reference it from the environment instead of writing it in the file (VS Code: `${input:token}` or `${env:TOKEN}`; Claude Code `.mcp.json`: `${TOKEN}`)"
    : isDockerfilePath(path)
      ? "pass it when the container starts (`docker run -e NAME`) or, if the build needs it, as a BuildKit secret (`RUN --mount=type=secret,id=name`), because ENV and ARG values stay in the image's layers and history"
      : "read it at run time from an environment variable (`process.env.NAME`, `os.environ[\"NAME\"]`, `os.Getenv(\"NAME\")`) or a secret manager";
  return `Assume it is compromised: ${hit.revoke}, because deleting the line leaves it in git history. Then ${where}, and remove it from ${path}.`;
}

/**
 * Dockerfile ENV/ARG values as dockerfile-ast read them: also `ENV NAME value` (legacy form),
 * several pairs on one line and values continued over lines, which the line regexes miss.
 */
function dockerEnvHits(envs: DockerEnv[], text: string): Hit[] {
  const hits: Hit[] = [];
  for (const env of envs) {
    if (!isSecretName(env.name) || !genericValueOk(env.value)) continue;
    const hit = genericHit(env.name, env.value, text.indexOf(env.value));
    if (hit.index < 0) hit.line = env.line;
    hit.label = `credential in \`${env.name.slice(0, 80)}\` (Dockerfile ${env.keyword})`;
    hits.push(hit);
  }
  return hits;
}

/** `.env.example` and friends document which variables to set; a value there is a sample, not a leak. */
const ENV_TEMPLATE = /(^|\/)(\.env\.(example|sample|template|dist|defaults?)|(example|sample|template)\.env)$/i;

function scanFile(path: string, text: string, clientConfig: ClientConfigFile | undefined, dockerEnvs: DockerEnv[] = []): RawFinding[] {
  const starts = new LineIndex(text);
  const prose = DOC_EXT.test(path) || MINIFIED.test(path);
  const hits: Hit[] = [];
  for (const format of TOKEN_FORMATS) hits.push(...tokenHits(text, format));
  hits.push(...privateKeyHits(text));
  if (!prose) {
    hits.push(...awsHits(text, starts));
    hits.push(...genericHits(text, starts, path));
    if (/\.(json|ya?ml)$/i.test(path)) hits.push(...namedValueHits(text));
    if (clientConfig) hits.push(...clientConfigHits(clientConfig, text));
    hits.push(...dockerEnvHits(dockerEnvs, text));
  }

  // One finding per secret and line: a token found by its format is not found again as "generic".
  hits.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.index - b.index);
  const seen: { secret: string; line: number }[] = [];
  const reported = new Set<string>();
  const findings: RawFinding[] = [];
  const testFile = isTestPath(path);
  for (const hit of hits) {
    const line = hit.line ?? starts.lineAt(Math.max(0, hit.index));
    if (reported.has(hit.secret)) continue;
    if (seen.some((s) => s.line === line && (s.secret.includes(hit.secret) || hit.secret.includes(s.secret)))) continue;
    seen.push({ secret: hit.secret, line });
    reported.add(hit.secret);
    if (findings.length >= MAX_FINDINGS_PER_FILE) break;
    const onLine = hits.filter((h) => (h.line ?? starts.lineAt(Math.max(0, h.index))) === line);
    let severity = testFile ? lower(hit.severity) : hit.severity;
    let confidence = testFile ? lowerConfidence(hit.confidence) : hit.confidence;
    // Name-based values in env templates are info only; provider-format tokens keep the test-file rule.
    if (ENV_TEMPLATE.test(path) && hit.label.startsWith("credential in")) {
      severity = "info";
      confidence = "low";
    }
    const article = /^[aeiou]/i.test(hit.label) ? "An" : "A";
    const place = testFile ? " in a test or example file (still usable by anyone who reads the repository if it is real)" : "";
    findings.push({
      ruleId: SECRET_RULE,
      category: "hardcoded-secret",
      severity,
      confidence,
      path,
      line,
      endLine: line,
      message: `${article} ${hit.label} is hard-coded${place}: ${redactSecret(hit.secret, hit.prefixLength)}.`,
      evidence: evidence(text, starts, line, onLine) + (hit.note ? ` (${hit.note})` : ""),
      remediation: remediation(hit, path, clientConfig !== undefined),
      cwe: ["CWE-798"],
      owasp: ["MCP01"],
      key: `${createHash("sha256").update(hit.secret).digest("hex").slice(0, 16)}:${path}`,
    });
  }
  return findings;
}

export const secrets: RuleFamily = {
  id: "secrets",
  rules: [
    {
      id: SECRET_RULE,
      title: "Hard-coded secret (token, API key, private key or password) in the repository",
      category: "hardcoded-secret",
      severity: "high",
      looksFor:
        "Provider token formats (GitHub, OpenAI, Anthropic, AWS key pairs, Google, Slack, Stripe, ...), private-key PEM blocks, " +
        "JWTs, database URLs with a password, and high-entropy values assigned to secret-like names, in source, configs, " +
        "`env` blocks of MCP client configs, `{name, value}` pairs such as server.json `environmentVariables`, committed `.env` files and Dockerfiles. Critical for live provider tokens, " +
        "one step lower in tests, fixtures and examples.",
      ignores:
        "Placeholders (`ghp_xxxx`, `<your-token>`, `changeme`), `${VAR}` / `${env:VAR}` references, `.env.example`-style " +
        "templates, lockfiles, prose files (except provider formats and private keys), minified lines, files over 512 KiB.",
      remediation:
        "Revoke the secret with its provider first (it is in the git history), then read it from the environment or a secret " +
        "store; in client configs use `${env:VAR}` or `inputs` instead of a literal value.",
    },
  ],
  run(ctx: RuleContext): RawFinding[] {
    const configs = new Map((ctx.facts?.clientConfigs ?? []).map((c) => [c.path, c]));
    const dockerEnvs = new Map((ctx.manifests?.supplyChain?.dockerfiles ?? []).map((d) => [d.path, d.envs]));
    const findings: RawFinding[] = [];
    for (const path of [...ctx.snapshot.files.keys()].sort()) {
      const text = ctx.snapshot.files.get(path);
      if (text === undefined || isLockfile(path) || text.length > MAX_SECRET_SCAN_BYTES) continue;
      if (Buffer.byteLength(text, "utf8") > MAX_SECRET_SCAN_BYTES || text.includes("\u0000")) continue;
      findings.push(...scanFile(path, text, configs.get(path), dockerEnvs.get(path)));
    }
    return findings;
  },
};
