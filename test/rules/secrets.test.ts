import { createHash } from "node:crypto";
import { join } from "node:path";
import { hideUserinfo, redact, redactSecret } from "../../lib/redact.js";
import { MAX_SECRET_SCAN_BYTES, SECRET_RULE, isTestPath, secrets } from "../../lib/rules/secrets.js";
import { isPlaceholder } from "../../lib/secrets/placeholder.js";
import { isSecretName } from "../../lib/secrets/formats.js";
import type { RawFinding } from "../../lib/model.js";
import { FIXTURES, contextOf, snapshotOf, snapshotOfDir } from "../extract/client-config-helpers.js";
import { TOKENS, privateKey } from "./secret-tokens.js";

function scan(files: Record<string, string>): RawFinding[] {
  return secrets.run(contextOf(snapshotOf(files)));
}

const sha16 = (s: string) => createHash("sha256").update(s).digest("hex").slice(0, 16);

describe("MCPW-SECRET-001 provider formats", () => {
  const cases: [string, string, string, string][] = [
    // label, token, expected severity, expected evidence prefix
    ["GitHub classic PAT", TOKENS.githubClassic, "critical", "ghp_…[redacted, 40 chars]"],
    ["GitHub OAuth token", TOKENS.githubOauth, "critical", "gho_…[redacted, 40 chars]"],
    ["GitHub App token", TOKENS.githubApp, "critical", "ghs_…[redacted, 40 chars]"],
    ["GitHub fine-grained PAT", TOKENS.githubFineGrained, "critical", "gith…[redacted, 93 chars]"],
    ["Anthropic", TOKENS.anthropic, "critical", "sk-a…[redacted, "],
    ["OpenAI project key", TOKENS.openaiProject, "critical", "sk-p…[redacted, "],
    ["OpenAI legacy key", TOKENS.openaiLegacy, "critical", "sk-…[redacted, 51 chars]"],
    ["Stripe live", TOKENS.stripeLive, "critical", "sk_l…[redacted, 32 chars]"],
    ["Stripe restricted", TOKENS.stripeRestricted, "critical", "rk_l…[redacted, 32 chars]"],
    ["Slack", TOKENS.slack, "high", "xoxb…[redacted, "],
    ["Google API key", TOKENS.google, "high", "AIza…[redacted, 39 chars]"],
    ["npm token", TOKENS.npm, "critical", "npm_…[redacted, 40 chars]"],
  ];

  test.each(cases)("%s in source code", (_label, token, severity, shown) => {
    const findings = scan({ "src/client.ts": `import x from "y";\nconst client = new Client({ auth: "${token}" });\n` });
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f).toMatchObject({
      ruleId: SECRET_RULE,
      category: "hardcoded-secret",
      severity,
      confidence: "high",
      path: "src/client.ts",
      line: 2,
      endLine: 2,
      cwe: ["CWE-798"],
      owasp: ["MCP01"],
      key: `${sha16(token)}:src/client.ts`,
    });
    expect(f.evidence).toContain(shown);
    expect(f.evidence).toContain("const client = new Client({ auth:");
  });

  test("AWS access key id with its secret access key nearby", () => {
    const text = `[default]\naws_access_key_id = ${TOKENS.awsKeyId}\naws_secret_access_key = ${TOKENS.awsSecret}\n`;
    const findings = scan({ "deploy/credentials.ini": text });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: "critical", line: 2, key: `${sha16(TOKENS.awsSecret)}:deploy/credentials.ini` });
    expect(findings[0].evidence).toContain("AKIA…[redacted, 20 chars]");
    expect(findings[0].evidence).toContain("secret access key on line 3");
  });

  test("an AWS key id alone (no secret nearby) is not reported", () => {
    expect(scan({ "src/aws.ts": `const keyId = "${TOKENS.awsKeyId}";\n` })).toEqual([]);
  });

  test("private key blocks, PEM and \\n-escaped JSON", () => {
    const pem = scan({ "certs/server.key": privateKey() });
    expect(pem).toHaveLength(1);
    expect(pem[0]).toMatchObject({ severity: "critical", line: 1 });
    expect(pem[0].message).toMatch(/private key/);
    const json = JSON.stringify({ private_key: privateKey("PRIVATE KEY") });
    const inJson = scan({ "service-account.json": json });
    expect(inJson).toHaveLength(1);
    expect(inJson[0].evidence).toContain("-----BEGIN PRIVATE KEY-----");
    expect(inJson[0].evidence).not.toContain(TOKENS.privateKeyBody.slice(0, 20));
    const encrypted = scan({ "k.pem": privateKey("ENCRYPTED PRIVATE KEY") });
    expect(encrypted[0].severity).toBe("high");
  });

  test("in documentation, provider formats are still reported", () => {
    const findings = scan({ "README.md": `Use this token: ${TOKENS.githubClassic}\n` });
    expect(findings).toHaveLength(1);
    expect(findings[0].severity).toBe("critical");
  });
});

describe("MCPW-SECRET-001 generic assignments and client-config env", () => {
  test("quoted assignments in TS, Python, Go, JSON and YAML", () => {
    const files = {
      "src/a.ts": `export const apiKey = "${TOKENS.generic}";\n`,
      "src/b.py": `client = Client(password="${TOKENS.generic2}")\n`,
      "src/c.go": `var cfg = Config{\n\tClientSecret: "${TOKENS.generic}x",\n}\n`,
      "config/d.json": `{\n  "auth_token": "${TOKENS.generic}y"\n}\n`,
      "config/e.yaml": `service:\n  access_key: '${TOKENS.generic}z'\n`,
      "src/f.ts": `const apiKey: string = "${TOKENS.generic}w";\n`,
      "src/g.py": `API_TOKEN: Final[str] = '${TOKENS.generic}v'\n`,
    };
    const findings = scan(files);
    expect(findings.map((f) => `${f.path}:${f.line}:${f.severity}:${f.confidence}`).sort()).toEqual([
      "config/d.json:2:high:medium",
      "config/e.yaml:2:high:medium",
      "src/a.ts:1:high:medium",
      "src/b.py:1:high:medium",
      "src/c.go:2:high:medium",
      "src/f.ts:1:high:medium",
      "src/g.py:1:high:medium",
    ]);
    expect(findings.find((f) => f.path === "src/a.ts")!.message).toContain("`apiKey`");
  });

  test("unquoted values in .env, Dockerfile and shell files", () => {
    const findings = scan({
      ".env": `# local\nDB_PASSWORD=${TOKENS.generic}\nexport OPENAI_API_KEY=${TOKENS.openaiProject}\n`,
      Dockerfile: `FROM node:20\nENV SERVICE_TOKEN=${TOKENS.generic2}\n`,
    });
    expect(findings.map((f) => `${f.path}:${f.line}:${f.severity}`).sort()).toEqual([".env:2:high", ".env:3:critical", "Dockerfile:2:high"]);
  });

  test("an MCP client config env value with a key-like name (looser naming) is reported at its line", () => {
    const text = JSON.stringify({ mcpServers: { notion: { command: "npx", args: ["-y", "x@1.0.0"], env: { LOG: "debug", NOTION_KEY: TOKENS.envValue } } } }, null, 2);
    const findings = scan({ ".cursor/mcp.json": text });
    expect(findings).toHaveLength(1);
    expect(findings[0].line).toBe(text.split("\n").findIndex((l) => l.includes("NOTION_KEY")) + 1);
    expect(findings[0].message).toContain('env of MCP server "notion"');
    expect(findings[0].remediation).toMatch(/\$\{input:token\}/);
  });

  test("a provider token in a client config env is reported once, as the provider format", () => {
    const text = JSON.stringify({ mcpServers: { gh: { command: "docker", env: { GITHUB_PERSONAL_ACCESS_TOKEN: TOKENS.githubClassic } } } }, null, 2);
    const findings = scan({ ".mcp.json": text });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: "critical", confidence: "high" });
  });

  test("a credential passed as a launch argument (`--api-key VALUE`, `--token=VALUE`) is reported", () => {
    const text = JSON.stringify(
      { mcpServers: { a: { command: "npx", args: ["-y", "a-mcp@1.0.0", "--api-key", TOKENS.generic] }, b: { command: "npx", args: ["-y", "b-mcp@1.0.0", `--token=${TOKENS.envValue}`] } } },
      null,
      2,
    );
    const findings = scan({ ".mcp.json": text });
    expect(findings).toHaveLength(2);
    expect(findings.map((f) => f.line).sort()).toEqual(
      [TOKENS.generic, TOKENS.envValue].map((v) => text.split("\n").findIndex((l) => l.includes(v)) + 1).sort(),
    );
    expect(findings.map((f) => f.message).join(" ")).toContain("`--api-key` argument");
    for (const f of findings) expect(f.evidence).not.toMatch(new RegExp(`${TOKENS.generic}|${TOKENS.envValue}`));
  });

  test("launch arguments that are not credentials, or are references, are not reported", () => {
    const text = JSON.stringify(
      { mcpServers: { a: { command: "npx", args: ["-y", "a-mcp@1.0.0", "--api-key", "${input:apiKey}", "--port", "8080", "--token=${env:TOKEN}", "--key-file", "/home/me/.keys/a.pem", "--profile", TOKENS.generic] } } },
      null,
      2,
    );
    expect(scan({ ".mcp.json": text })).toEqual([]);
  });

  test("an Authorization header with a bearer token", () => {
    const findings = scan({ "src/http.ts": `fetch(url, { headers: { Authorization: "Bearer ${TOKENS.generic}" } });\n` });
    expect(findings).toHaveLength(1);
    expect(findings[0].evidence).toContain('Authorization: "Bearer …[redacted, 32 chars]"');
  });

  test("the same secret twice in a file is one finding", () => {
    const findings = scan({ "src/x.ts": `const a = "${TOKENS.githubClassic}";\nconst b = "${TOKENS.githubClassic}";\n` });
    expect(findings).toHaveLength(1);
  });
});

describe("tests, fixtures and examples: reported one step lower", () => {
  test.each([
    ["test/server.test.ts"],
    ["src/__tests__/auth.ts"],
    ["tests/test_auth.py"],
    ["examples/basic/index.ts"],
    ["src/client.spec.ts"],
    ["pkg/auth_test.go"],
  ])("%s", (path) => {
    const findings = scan({ [path]: `const token = "${TOKENS.githubClassic}";\n` });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: "high", confidence: "medium" });
    expect(findings[0].message).toMatch(/test or example file/);
  });

  test("isTestPath does not match ordinary names", () => {
    expect(isTestPath("src/latest.ts")).toBe(false);
    expect(isTestPath("src/contest/index.ts")).toBe(false);
    expect(isTestPath("src/attestation.py")).toBe(false);
  });
});

describe("negatives: placeholders, references and look-alikes", () => {
  test("the negative fixture tree yields nothing", () => {
    const findings = secrets.run(contextOf(snapshotOfDir(join(FIXTURES, "secrets", "negative"))));
    expect(findings.map((f) => `${f.path}:${f.line} ${f.message}`)).toEqual([]);
  });

  test.each([
    ["ghp_ placeholder", `const t = "ghp_${"x".repeat(36)}";`],
    ["ghp_ ellipsis", `const t = "ghp_...";`],
    ["sk- ellipsis", `OPENAI_API_KEY = "sk-..."`],
    ["angle brackets", `token: "<your-token>"`],
    ["env reference", 'token = "${GITHUB_TOKEN}"'],
    ["shell variable", 'password = "$DB_PASSWORD_FROM_ENV"'],
    ["process.env", "const apiKey = process.env.API_KEY;"],
    ["os.environ", 'api_key = os.environ["API_KEY"]'],
    ["your-api-key-here", 'api_key = "your-api-key-here-please-1234"'],
    ["changeme", 'password = "changeme-changeme-1"'],
    ["your_<what it is>", 'sas_token = "your_azure_sas_credential"'],
    ["example", 'api_key = "example-Kq83jd9Dk2mQp0Zr"'],
    ["dummy", 'secret = "dummy-Kq83jd9Dk2mQp0Zr"'],
    ["all the same char", `token = "${"a".repeat(32)}"`],
    ["sequence", 'api_key = "1234567890abcdefghij"'],
    ["low entropy word", 'password = "passwordpassword"'],
    ["UUID", 'client_secret = "3f0c6c5e-8a4b-4f1e-9a7d-2b6e5c1d0a9f"'],
    ["sha256 digest under a non-secret name", 'digest = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"'],
    ["short value", 'password = "Xk29sL0q"'],
    ["a comparison, not an assignment", `if (token == "${"Zq8vN2kLw9Xr4TbY7mPs"}") {}`],
    ["a sentence", 'password: "Enter the password you chose at signup"'],
    ["max_tokens", 'max_tokens = "Zq8vN2kLw9Xr4TbY7mPs"'],
    ["secret manager resource name", 'client_secret = "projects/mcp-prod-4821/secrets/oauth-client/versions/7"'],
    ["token URL", 'token_url = "https://example.com/oauth/token?x=Zq8vN2kLw9"'],
  ])("%s", (_label, line) => {
    expect(scan({ "src/settings.py": `${line}\n` })).toEqual([]);
  });

  test("generic values in documentation are not reported", () => {
    expect(scan({ "docs/setup.md": `password = "${TOKENS.generic}"\n` })).toEqual([]);
  });

  test("lockfiles are skipped entirely, even with token-shaped content", () => {
    expect(scan({ "package-lock.json": `{"x": "${TOKENS.githubClassic}"}`, "poetry.lock": `token = "${TOKENS.generic}"` })).toEqual([]);
  });

  test("files over 512 KiB and binary-looking files are skipped", () => {
    const big = `const t = "${TOKENS.githubClassic}";\n` + "// pad\n".repeat(MAX_SECRET_SCAN_BYTES / 7 + 1);
    expect(scan({ "src/big.ts": big, "img.bin": `\u0000${TOKENS.githubClassic}` })).toEqual([]);
  });

  test("a BEGIN PRIVATE KEY line without a body (parsing code) is not a key", () => {
    expect(scan({ "src/pem.ts": 'if (s.startsWith("-----BEGIN RSA PRIVATE KEY-----")) return "rsa";\n' })).toEqual([]);
  });

  test("secret-name rules", () => {
    for (const n of ["GITHUB_TOKEN", "apiKey", "api_key", "X_API_KEY", "client_secret", "DB_PASSWORD", "\"auth_token\"", "config.secretKey", "GITHUB_PAT"]) {
      expect([n, isSecretName(n)]).toEqual([n, true]);
    }
    for (const n of ["max_tokens", "tokenizer", "token_url", "publicKey", "secretName", "keyName", "passwordField", "primaryKey", "cacheKey"]) {
      expect([n, isSecretName(n)]).toEqual([n, false]);
    }
  });

  test("placeholder heuristics keep random values", () => {
    expect(isPlaceholder(TOKENS.generic)).toBe(false);
    expect(isPlaceholder(TOKENS.githubClassic.slice(4))).toBe(false);
  });
});

describe("no output contains a secret", () => {
  const all = {
    "src/tokens.ts": Object.entries(TOKENS)
      .filter(([k]) => !["awsSecret", "privateKeyBody", "awsKeyId"].includes(k))
      .map(([k, v]) => `export const ${k}Token = "${v}";`)
      .join("\n"),
    "infra/aws.env": `AWS_ACCESS_KEY_ID=${TOKENS.awsKeyId}\nAWS_SECRET_ACCESS_KEY=${TOKENS.awsSecret}\n`,
    "keys/id_rsa": privateKey("OPENSSH PRIVATE KEY"),
    ".mcp.json": JSON.stringify({ mcpServers: { s: { command: "x", env: { NOTION_KEY: TOKENS.envValue } } } }),
  };
  const findings = scan(all);
  const output = JSON.stringify(findings);
  const secretsList = Object.values(TOKENS);

  test("every token was found", () => {
    expect(findings.length).toBeGreaterThanOrEqual(Object.keys(TOKENS).length - 3 + 2);
  });

  test("no secret, nor any 8-character piece of its random part, appears in any field", () => {
    for (const secret of secretsList) {
      for (const piece of secret.split("\n")) {
        expect(output.includes(piece)).toBe(false);
        // Skip the fixed provider prefix (first 12 chars cover every prefix we show).
        for (let i = 12; i + 8 <= piece.length; i += 4) {
          expect([piece.slice(i, i + 8), output.includes(piece.slice(i, i + 8))]).toEqual([piece.slice(i, i + 8), false]);
        }
      }
    }
  });

  test("keys are sha256 prefixes + path, never the secret", () => {
    for (const f of findings) expect(f.key).toMatch(/^[0-9a-f]{16}:[^:]+$/);
  });
});

describe("hostile input", () => {
  test("pathological files finish and report nothing", () => {
    const hostile: Record<string, string> = {
      "a.ts": ("token = '" + "a1".repeat(300) + "\n").repeat(800),
      "b.env": ("API_KEY=" + "Zq8vN2kL".repeat(60) + "\n").repeat(1000),
      "c.txt": "ghp_".repeat(120_000),
      "d.ts": "-----BEGIN PRIVATE KEY-----".repeat(15_000),
      "e.json": "x".repeat(500_000),
      "f.ts": ('"' + "k".repeat(79) + '": ').repeat(6000),
      "g.ts": ("a".repeat(80) + "=").repeat(6000),
      "h.ts": "sk-".repeat(150_000),
    };
    expect(scan(hostile)).toEqual([]);
    for (const text of Object.values(hostile)) expect(redact(text)).toBe(text);
  });

  test("findings per file are capped", () => {
    const lines = Array.from({ length: 200 }, (_, i) => `const apiKey${i} = "${TOKENS.generic.slice(0, 28)}${String(i).padStart(4, "0")}";`);
    expect(scan({ "src/many.ts": lines.join("\n") }).length).toBeLessThanOrEqual(25);
  });
});

describe("redact()", () => {
  test("redacts every provider format, AWS key ids, private key bodies and secret assignments", () => {
    const text = [
      `token ${TOKENS.githubClassic} and ${TOKENS.anthropic}`,
      `aws ${TOKENS.awsKeyId}`,
      privateKey(),
      `const apiKey = "${TOKENS.generic}";`,
    ].join("\n");
    const out = redact(text);
    for (const s of [TOKENS.githubClassic, TOKENS.anthropic, TOKENS.awsKeyId, TOKENS.generic, ...TOKENS.privateKeyBody.split("\n")]) {
      expect(out.includes(s)).toBe(false);
    }
    expect(out).toContain("ghp_…[redacted, 40 chars]");
    expect(out).toContain("-----BEGIN RSA PRIVATE KEY-----");
    expect(out).toContain("-----END RSA PRIVATE KEY-----");
    expect(redact(out)).toBe(out); // idempotent
  });

  test("redacts credential flags in launch args, and leaves other flags alone", () => {
    const text = `"args": ["-y", "x@1.0.0", "--api-key", "${TOKENS.generic}", "--secret=${TOKENS.envValue}", "--package=@scope/tools@1.2.3", "--port", "8080"]`;
    const out = redact(text);
    expect(out).not.toContain(TOKENS.generic);
    expect(out).not.toContain(TOKENS.envValue);
    expect(out).toContain(`"--api-key", "…[redacted, 32 chars]"`);
    expect(out).toContain(`"--package=@scope/tools@1.2.3", "--port", "8080"`);
    expect(redact(out)).toBe(out);
  });

  test("hides a weak password assigned to a secret-like name, keeps placeholders and messages", () => {
    const weak = ["hunter2", "hunter2"].join("");
    expect(redact(`password: "${weak}"`)).toBe(`password: "…[redacted, ${weak.length} chars]"`);
    expect(redact(`password = "changeme"`)).toBe(`password = "changeme"`);
    expect(redact(`password: "must be 8 characters"`)).toBe(`password: "must be 8 characters"`);
    expect(redact(`name = "${weak}"`)).toBe(`name = "${weak}"`);
  });

  test("a private key whose END was cut off is still hidden", () => {
    const cut = privateKey().slice(0, 200);
    expect(redact(cut)).not.toContain(TOKENS.privateKeyBody.slice(0, 64));
  });

  test("leaves ordinary text alone", () => {
    const text = 'exec(`git log ${branch}`) // tool "run_git", token_url = "https://x/y"';
    expect(redact(text)).toBe(text);
    expect(redact("")).toBe("");
  });

  test("redactSecret shows at most 4 characters", () => {
    expect(redactSecret("sk-ant-api03-abcdef", 13)).toBe("sk-a…[redacted, 19 chars]");
    expect(redactSecret("abcdefghijklmnop")).toBe("…[redacted, 16 chars]");
  });
});

describe("MCPW-SECRET-001 name/value pairs (server.json environmentVariables and similar lists)", () => {
  const value = "Zq8vN2kLw9Xr4TbY7mPsQ1";
  const serverJson = (vars: unknown[]) =>
    JSON.stringify({ name: "io.github.acme/notes", packages: [{ registryType: "npm", identifier: "notes-mcp", version: "1.0.0", environmentVariables: vars }] }, null, 2);

  test("a random value next to a secret-like name is reported, redacted", () => {
    const found = scan({ "server.json": serverJson([{ name: "ACME_API_KEY", description: "API key", value }]) });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ ruleId: "MCPW-SECRET-001", path: "server.json", line: 12 });
    expect(JSON.stringify(found)).not.toContain(value);
  });

  test("also when the value comes before the name, and in YAML", () => {
    expect(scan({ "server.json": serverJson([{ value, name: "ACME_TOKEN" }]) })).toHaveLength(1);
    expect(scan({ "deploy/env.yaml": `env:\n  - name: ACME_TOKEN\n    value: "${value}"\n` })).toHaveLength(1);
  });

  test.each([
    ["a harmless name", [{ name: "LOG_LEVEL", value }]],
    ["a reference", [{ name: "ACME_API_KEY", value: "${ACME_API_KEY}" }]],
    ["a placeholder", [{ name: "ACME_API_KEY", value: "your-api-key-goes-here" }]],
    ["no value, only the declaration", [{ name: "ACME_API_KEY", description: "Your API key", isRequired: true, isSecret: true }]],
    ["the value belongs to another object", [{ name: "ACME_API_KEY" }, { name: "REGION", value }]],
  ])("%s is not reported", (_label, vars) => {
    expect(scan({ "server.json": serverJson(vars as unknown[]) })).toEqual([]);
  });
});

describe("hideUserinfo", () => {
  test("hides the whole userinfo of a URL, where the user part is often the token", () => {
    expect(hideUserinfo("git+https://ghtoken123@github.com/acme/x.git")).toBe("git+https://***@github.com/acme/x.git");
    expect(hideUserinfo('registry="https://user:pw@npm.acme.example/"')).toBe('registry="https://***@npm.acme.example/"');
  });

  test("leaves URLs without userinfo and e-mail addresses alone", () => {
    expect(hideUserinfo("https://github.com/acme/x.git#v1.2.3")).toBe("https://github.com/acme/x.git#v1.2.3");
    expect(hideUserinfo("maintainer: dev@acme.example")).toBe("maintainer: dev@acme.example");
  });
});
