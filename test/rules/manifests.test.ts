import type { FileFacts, ToolDefinition } from "../../lib/extract/types.js";
import type { McpServer } from "../../lib/detect/types.js";
import { RULE_FAMILIES } from "../../lib/rules/index.js";
import {
  MANIFEST_CONSISTENCY_RULE,
  MANIFEST_HTTP_RULE,
  MANIFEST_INVALID_RULE,
  MANIFEST_LAUNCH_RULE,
  MANIFEST_PERMISSION_RULE,
  isInsecureRemoteUrl,
  manifests,
  versionProblem,
} from "../../lib/rules/manifests.js";
import { secrets } from "../../lib/rules/secrets.js";
import { unpinnedLaunch } from "../../lib/rules/unpinned-launch.js";
import { finalize } from "../../lib/scan.js";
import { contextOf, findingsOf, fixture, snapshotOf } from "../manifests/registry-helpers.js";
import { TOKENS } from "./secret-tokens.js";

const SCHEMA = "https://static.modelcontextprotocol.io/schemas/2025-09-29/server.schema.json";

function serverJson(extra: Record<string, unknown>): string {
  return JSON.stringify({ $schema: SCHEMA, name: "io.github.acme/x", description: "x", version: "1.0.0", ...extra }, null, 2);
}

function mcpb(extra: Record<string, unknown>, mcpConfig: Record<string, unknown> = { command: "node", args: ["${__dirname}/index.js"] }): string {
  return JSON.stringify(
    { manifest_version: "0.3", name: "x", version: "1.0.0", description: "x", author: { name: "a" }, server: { type: "node", entry_point: "index.js", mcp_config: mcpConfig }, ...extra },
    null,
    2,
  );
}

function smithery(commandFunction: string): string {
  return `startCommand:\n  type: stdio\n  configSchema: {}\n  commandFunction: |-\n    ${commandFunction}\n`;
}

function ids(findings: { ruleId: string }[]): string[] {
  return findings.map((f) => f.ruleId);
}

describe("registration and documentation", () => {
  it("is registered and documents every rule id completely", () => {
    expect(RULE_FAMILIES).toContain(manifests);
    expect(manifests.rules.map((r) => r.id)).toEqual([MANIFEST_INVALID_RULE, MANIFEST_CONSISTENCY_RULE, MANIFEST_HTTP_RULE, MANIFEST_LAUNCH_RULE, MANIFEST_PERMISSION_RULE]);
    for (const rule of manifests.rules) {
      for (const field of ["title", "category", "severity", "looksFor", "ignores", "remediation"] as const) {
        expect(rule[field]).toBeTruthy();
      }
    }
  });

  it("finds nothing in the valid fixtures of every format", () => {
    for (const format of ["server-json", "smithery", "mcpb", "codex"]) {
      expect(findingsOf(fixture(format, "valid"))).toEqual([]);
    }
  });
});

describe("MCPW-MANIFEST-001: unreadable or invalid manifests", () => {
  test.each([
    ["server-json", "broken", "server.json", 5, "invalid JSON"],
    ["server-json", "invalid", "server.json", 10, "packages.0.version"],
    ["smithery", "broken", "smithery.yaml", 4, "invalid YAML"],
    ["smithery", "invalid", "smithery.yaml", 2, "startCommand.type"],
    ["mcpb", "broken", "manifest.json", 7, "invalid JSON"],
    ["mcpb", "invalid", "manifest.json", 10, "server.type"],
    ["codex", "broken", ".codex/config.toml", 4, "invalid TOML"],
    ["codex", "invalid", ".codex/config.toml", 1, "mcp_servers.nothing"],
  ])("%s/%s", (format, kind, path, line, text) => {
    const findings = findingsOf(fixture(format, kind)).filter((f) => f.ruleId === MANIFEST_INVALID_RULE);
    expect(findings.length).toBeGreaterThanOrEqual(1);
    expect(findings[0]).toMatchObject({ category: "misconfiguration", severity: "low", confidence: "high", path, line });
    expect(findings[0].message).toContain(text);
    expect(findings[0].message).toMatch(/\(line \d+, column \d+\)/);
    expect(findings[0].key).not.toMatch(/\b\d+:\d+\b/);
  });

  it("rates parser-confusing content higher than a typo", () => {
    const [dup] = findingsOf(fixture("server-json", "hostile", "duplicate-keys"));
    expect(dup).toMatchObject({ ruleId: MANIFEST_INVALID_RULE, severity: "medium", cwe: ["CWE-20"] });
  });

  it("lists broken test fixtures as info only", () => {
    const findings = findingsOf(snapshotOf({ "test/fixtures/bad/smithery.yaml": "startCommand:\n  type: [\n" }));
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([[MANIFEST_INVALID_RULE, "info"]]);
  });

  it("says nothing about other programs' broken server.json or manifest.json", () => {
    expect(findingsOf(snapshotOf({ "server.json": '{ "port": 80,, }', "web/manifest.json": '{ "name": "App", ' }))).toEqual([]);
  });

  it("never repeats a secret from the offending line after finalize", () => {
    const token = TOKENS.githubClassic;
    const text = `{\n  "$schema": "${SCHEMA}",\n  "name": "io.github.a/b",\n  "packages": [],\n  "token": "${token}",\n  "token": "${token}"\n}\n`;
    const raw = findingsOf(snapshotOf({ "server.json": text }));
    expect(ids(raw)).toEqual([MANIFEST_INVALID_RULE]);
    const out = JSON.stringify(finalize(raw, []));
    expect(out).not.toContain(token);
  });
});

describe("MCPW-LAUNCH-002: unpinned registry packages and manifest launches", () => {
  it("reports server.json packages without a version, with latest or with a range", () => {
    const findings = findingsOf(fixture("server-json", "unpinned")).filter((f) => f.ruleId === MANIFEST_LAUNCH_RULE);
    expect(findings.map((f) => [f.line, f.key])).toEqual([
      [7, "server.json#package#npm#@acme/files-mcp"],
      [14, "server.json#package#pypi#acme-files-mcp"],
      [22, "server.json#package#npm#@acme/files-cli"],
    ]);
    expect(findings[0]).toMatchObject({ category: "unpinned-launch", severity: "medium", confidence: "high", cwe: ["CWE-829"], owasp: ["MCP04"] });
    expect(findings[0].message).toContain("no version");
    expect(findings[2].message).toContain('version range "^0.3.0"');
  });

  test.each([
    ["1.2.3", undefined],
    ["2.0.0-beta.1", undefined],
    ["2024.11.1", undefined],
    ["v1.0.0", undefined],
    [undefined, "no version"],
    ["", "no version"],
    ["latest", '"latest"'],
    ["^1.2.3", 'version range "^1.2.3"'],
    ["~1.2", 'version range "~1.2"'],
    [">=1.0.0", 'version range ">=1.0.0"'],
    ["1.x", 'version range "1.x"'],
    ["1.*", 'version range "1.*"'],
    ["*", '"*"'],
  ])("versionProblem(%p) = %p", (version, problem) => {
    expect(versionProblem(version)).toBe(problem);
  });

  it("accepts OCI images pinned in the identifier and exact versions", () => {
    const text = serverJson({
      packages: [
        { registryType: "oci", identifier: "ghcr.io/acme/x:1.0.0", transport: { type: "stdio" } },
        { registryType: "oci", identifier: `docker.io/acme/x@sha256:${"a".repeat(64)}`, transport: { type: "stdio" } },
        { registryType: "npm", identifier: "@acme/x", version: "1.0.0", transport: { type: "stdio" } },
        { registryType: "pypi", identifier: "acme-x", version: "0.4.1", transport: { type: "stdio" } },
      ],
    });
    expect(findingsOf(snapshotOf({ "server.json": text }))).toEqual([]);
  });

  it("still reports an OCI image tagged latest", () => {
    const text = serverJson({ packages: [{ registryType: "oci", identifier: "ghcr.io/acme/x:latest", transport: { type: "stdio" } }] });
    expect(ids(findingsOf(snapshotOf({ "server.json": text })))).toEqual([MANIFEST_LAUNCH_RULE]);
  });

  it("reports smithery commandFunction launches through npx without a version", () => {
    const [f] = findingsOf(fixture("smithery", "unpinned"));
    expect(f).toMatchObject({ ruleId: MANIFEST_LAUNCH_RULE, path: "smithery.yaml", line: 10, key: "smithery.yaml#startCommand.commandFunction#mcp-remote" });
    expect(f.message).toContain('"mcp-remote"');
    expect(f.remediation).toContain("mcp-remote@1.2.3");
  });

  test.each([
    ["uvx without a version", "config => ({ command: 'uvx', args: ['mcp-server-fetch'] })", "mcp-server-fetch"],
    ["npx @latest", "config => ({ command: 'npx', args: ['-y', '@acme/x-mcp@latest', '--key', config.key] })", "@acme/x-mcp"],
    ["pipx run", "(c) => ({ command: 'pipx', args: ['run', 'acme-mcp'] })", "acme-mcp"],
  ])("smithery positive: %s", (_label, fn, pkg) => {
    const findings = findingsOf(snapshotOf({ "smithery.yaml": smithery(fn) }));
    expect(findings.map((f) => f.key)).toEqual([`smithery.yaml#startCommand.commandFunction#${pkg}`]);
  });

  test.each([
    ["node build", "(config) => ({ command: 'node', args: ['build/index.js'] })"],
    ["npx pinned", "config => ({ command: 'npx', args: ['-y', 'mcp-remote@0.1.29', 'https://x.example/mcp'] })"],
    ["uvx pinned", "config => ({ command: 'uvx', args: ['mcp-server-fetch==2025.4.7'] })"],
    ["package from the user's config", "config => ({ command: 'npx', args: ['-y', config.package] })"],
    ["python module", "config => ({ command: 'python', args: ['-m', 'acme_mcp'] })"],
  ])("smithery negative: %s", (_label, fn) => {
    expect(findingsOf(snapshotOf({ "smithery.yaml": smithery(fn) }))).toEqual([]);
  });

  it("reports an MCPB mcp_config (and a platform override) launching an unpinned package", () => {
    const text = mcpb({}, { command: "npx", args: ["-y", "@acme/x-mcp"], platform_overrides: { win32: { command: "npx.cmd" } } });
    const findings = findingsOf(snapshotOf({ "manifest.json": text }));
    expect(findings.map((f) => f.key)).toEqual(["manifest.json#server.mcp_config#@acme/x-mcp", "manifest.json#server.mcp_config.platform_overrides.win32#@acme/x-mcp"]);
  });

  it("leaves bundled entry points alone", () => {
    expect(findingsOf(snapshotOf({ "manifest.json": mcpb({}, { command: "uv", args: ["run", "--directory", "${__dirname}", "server.py"] }) }))).toEqual([]);
  });
});

describe("Codex configs reach the existing client-config rules", () => {
  it("MCPW-LAUNCH-001 reports unpinned launches in .codex/config.toml", () => {
    const findings = unpinnedLaunch.run(contextOf(fixture("codex", "unpinned")));
    expect(findings.map((f) => [f.ruleId, f.path, f.line, f.key])).toEqual([
      ["MCPW-LAUNCH-001", ".codex/config.toml", 1, ".codex/config.toml#fetch#mcp-server-fetch"],
      ["MCPW-LAUNCH-001", ".codex/config.toml", 5, ".codex/config.toml#github#@modelcontextprotocol/server-github"],
    ]);
  });

  it("MCPW-LAUNCH-001 accepts pinned Codex launches", () => {
    expect(unpinnedLaunch.run(contextOf(fixture("codex", "valid")))).toEqual([]);
  });
});

describe("MCPW-MANIFEST-003: remote servers over plain HTTP", () => {
  it("reports a server.json remote over http (high) and a Codex url (medium)", () => {
    const [remote] = findingsOf(fixture("server-json", "unpinned")).filter((f) => f.ruleId === MANIFEST_HTTP_RULE);
    expect(remote).toMatchObject({ category: "insecure-transport", severity: "high", line: 34, cwe: ["CWE-319"] });
    expect(remote.remediation).toContain("https://files.acme.example/sse");
    const [codex] = findingsOf(fixture("codex", "unpinned"));
    expect(codex).toMatchObject({ ruleId: MANIFEST_HTTP_RULE, severity: "medium", path: ".codex/config.toml", line: 10 });
  });

  it("reports a JSON client config reaching a public host over http, and not localhost or https", () => {
    const config = JSON.stringify(
      {
        mcpServers: {
          remote: { type: "http", url: "http://mcp.acme.example/mcp" },
          local: { type: "http", url: "http://localhost:3000/mcp" },
          secure: { type: "http", url: "https://mcp.acme.example/mcp" },
        },
      },
      null,
      2,
    );
    const found = findingsOf(snapshotOf({ ".mcp.json": config })).filter((f) => f.ruleId === MANIFEST_HTTP_RULE);
    expect(found.map((f) => [f.path, f.severity, f.line])).toEqual([[".mcp.json", "medium", 3]]);
    expect(found[0].remediation).toContain("https://mcp.acme.example/mcp");
  });

  it("reports a package transport on a public http URL", () => {
    const text = serverJson({ packages: [{ registryType: "npm", identifier: "x", version: "1.0.0", transport: { type: "streamable-http", url: "http://mcp.acme.example/mcp" } }] });
    expect(findingsOf(snapshotOf({ "server.json": text })).map((f) => [f.ruleId, f.severity])).toEqual([[MANIFEST_HTTP_RULE, "medium"]]);
  });

  test.each([
    ["http://mcp.acme.example/mcp", true],
    ["HTTP://10.0.0.5:8080/sse", true],
    ["http://user:pw@mcp.example.com/mcp", true],
    ["https://mcp.acme.example/mcp", false],
    ["http://localhost:3000/mcp", false],
    ["http://127.0.0.1:8080/sse", false],
    ["http://[::1]:8080/mcp", false],
    ["http://0.0.0.0:8080/mcp", false],
    ["http://app.localhost/mcp", false],
    ["http://host.docker.internal:8080/mcp", false],
    ["http://{host}:{port}/mcp", false],
    ["http://localhost:{port}/mcp", false],
    ["ws://mcp.example.com", false],
  ])("isInsecureRemoteUrl(%p) = %p", (url, insecure) => {
    expect(isInsecureRemoteUrl(url)).toBe(insecure);
  });
});

describe("MCPW-MANIFEST-002: manifest and code disagree", () => {
  function tool(name: string | null, path = "src/index.ts", line = 10): ToolDefinition {
    return { name, params: [], annotations: {}, api: "ts-sdk.tool", span: { path, line, endLine: line + 5 } };
  }
  function facts(tools: ToolDefinition[], problems: string[] = []): { files: FileFacts[] } {
    const byPath = new Map<string, ToolDefinition[]>();
    for (const t of tools) byPath.set(t.span.path, [...(byPath.get(t.span.path) ?? []), t]);
    if (byPath.size === 0) byPath.set("src/index.ts", []);
    return {
      files: [...byPath].map(([path, list]) => ({
        path, language: "typescript", tools: list, shellCalls: [], flows: [], transport: [], problems: problems.map((message) => ({ path, message })),
      })),
    };
  }
  const declared = (names: string[], extra: Record<string, unknown> = {}) => snapshotOf({ "manifest.json": mcpb({ tools: names.map((name) => ({ name, description: name })), ...extra }) });

  it("reports declared tools missing from the code and code tools missing from the manifest", () => {
    const findings = findingsOf(declared(["search", "delete_all"]), { facts: facts([tool("search"), tool("run_shell", "src/shell.ts", 40)]) });
    expect(findings.map((f) => [f.ruleId, f.tool, f.severity])).toEqual([
      [MANIFEST_CONSISTENCY_RULE, "delete_all", "low"],
      [MANIFEST_CONSISTENCY_RULE, "run_shell", "medium"],
    ]);
    expect(findings[1].message).toContain("src/shell.ts:40");
    expect(findings[0].line).toBeGreaterThan(1);
    expect(findings[1].line).toBeLessThan(findings[0].line); // the `tools` key, where the entry belongs
  });

  it("is quiet when manifest and code agree", () => {
    expect(findingsOf(declared(["search", "read"]), { facts: facts([tool("read"), tool("search")]) })).toEqual([]);
  });

  it("is inconclusive when a tool name is computed, a file did not parse, or no tool was seen", () => {
    expect(findingsOf(declared(["a"]), { facts: facts([tool("b"), tool(null)]) })).toEqual([]);
    expect(findingsOf(declared(["a"]), { facts: facts([tool("b")], ["has syntax errors"]) })).toEqual([]);
    expect(findingsOf(declared(["a"]), { facts: facts([]) })).toEqual([]);
  });

  it("does not ask for undeclared tools when the manifest says its tools are generated", () => {
    const findings = findingsOf(declared(["a"], { tools_generated: true }), { facts: facts([tool("a"), tool("b")]) });
    expect(findings).toEqual([]);
  });

  it("ignores manifests without a tools list and code of another server", () => {
    expect(findingsOf(snapshotOf({ "manifest.json": mcpb({}) }), { facts: facts([tool("a")]) })).toEqual([]);
    const servers: McpServer[] = [
      { root: "bundle", name: "bundle", language: "javascript", frameworks: [], evidence: [] },
      { root: "other", name: "other", language: "typescript", frameworks: [], evidence: [] },
    ];
    const snapshot = snapshotOf({ "bundle/manifest.json": mcpb({ tools: [{ name: "a" }] }) });
    expect(findingsOf(snapshot, { servers, facts: facts([tool("b", "other/src/index.ts")]) })).toEqual([]);
  });

  it("compares a tools list in server.json too", () => {
    const snapshot = snapshotOf({ "server.json": serverJson({ tools: ["a", { name: "b" }] }) });
    expect(findingsOf(snapshot, { facts: facts([tool("a")]) }).map((f) => f.tool)).toEqual(["b"]);
  });

  it("reports a server.json npm identifier that is not package.json's name", () => {
    const snapshot = snapshotOf({
      "server.json": serverJson({ packages: [{ registryType: "npm", identifier: "@acme/weather-mcp", version: "1.0.0", transport: { type: "stdio" } }] }),
      "package.json": JSON.stringify({ name: "@acme/weather-server", version: "1.0.0" }),
    });
    const [f] = findingsOf(snapshot);
    expect(f).toMatchObject({ ruleId: MANIFEST_CONSISTENCY_RULE, severity: "medium", confidence: "high" });
    expect(f.message).toContain('"@acme/weather-server"');
  });

  it("reports an mcpName that is not server.json's name", () => {
    const snapshot = snapshotOf({
      "server.json": serverJson({ packages: [{ registryType: "npm", identifier: "@acme/x", version: "1.0.0", transport: { type: "stdio" } }] }),
      "package.json": JSON.stringify({ name: "@acme/x", mcpName: "io.github.someone-else/x" }),
    });
    expect(findingsOf(snapshot).map((f) => [f.ruleId, f.severity, f.line])).toEqual([[MANIFEST_CONSISTENCY_RULE, "low", 3]]);
  });

  it("does not compare names for other registries, missing package.json or a package.json elsewhere", () => {
    const pypi = serverJson({ packages: [{ registryType: "pypi", identifier: "acme-x", version: "1.0.0", transport: { type: "stdio" } }] });
    expect(findingsOf(snapshotOf({ "server.json": pypi, "package.json": '{"name": "acme-x-js"}' }))).toEqual([]);
    const npm = serverJson({ packages: [{ registryType: "npm", identifier: "@acme/x", version: "1.0.0", transport: { type: "stdio" } }] });
    expect(findingsOf(snapshotOf({ "server.json": npm }))).toEqual([]);
    expect(findingsOf(snapshotOf({ "server.json": npm, "web/package.json": '{"name": "web"}' }))).toEqual([]);
  });
});

describe("MCPW-PERM-004: MCPB bundles granting the whole disk or home", () => {
  it("reports directory defaults of / and ${HOME}, not a file inside home", () => {
    const findings = findingsOf(fixture("mcpb", "broad")).filter((f) => f.ruleId === MANIFEST_PERMISSION_RULE);
    expect(findings.map((f) => [f.severity, f.evidence])).toEqual([
      ["high", 'the default of user_config "roots" (directory): "/"'],
      ["medium", 'the default of user_config "roots" (directory): "${HOME}"'],
    ]);
    expect(findings[0]).toMatchObject({ category: "excessive-permissions", line: 22, cwe: ["CWE-250"] });
  });

  test.each([
    ["/", "high"],
    ["C:\\", "high"],
    ["/Users", "high"],
    ["~", "medium"],
    ["$HOME", "medium"],
    ["%USERPROFILE%", "medium"],
  ])("a directory default of %p is reported (%s)", (value, severity) => {
    const text = mcpb({ user_config: { dir: { type: "directory", title: "Dir", description: "Dir", default: value } } });
    expect(findingsOf(snapshotOf({ "manifest.json": text })).map((f) => [f.ruleId, f.severity])).toEqual([[MANIFEST_PERMISSION_RULE, severity]]);
  });

  test.each(["${HOME}/Desktop", "~/projects", "/tmp", "./data", "${DOCUMENTS}", "/var/lib/app", "C:\\Users\\me\\notes", ""])(
    "a directory default of %p is not",
    (value) => {
      const text = mcpb({ user_config: { dir: { type: "directory", title: "Dir", description: "Dir", default: value } } });
      expect(findingsOf(snapshotOf({ "manifest.json": text }))).toEqual([]);
    },
  );

  it("reports whole-disk paths in permissions and in mcp_config arguments", () => {
    const text = mcpb({ permissions: { filesystem: { read: ["/"] } } }, { command: "node", args: ["${__dirname}/index.js", "~"] });
    const findings = findingsOf(snapshotOf({ "manifest.json": text }));
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([
      [MANIFEST_PERMISSION_RULE, "high"],
      [MANIFEST_PERMISSION_RULE, "medium"],
    ]);
  });

  it("ignores non-path options and narrow defaults", () => {
    const text = mcpb({
      user_config: {
        base_url: { type: "string", title: "Base path", description: "URL path", default: "/" },
        notes: { type: "directory", title: "Notes", description: "Notes", default: "${HOME}/Documents/Notes" },
        pick: { type: "directory", title: "Pick", description: "Pick", required: true },
      },
    });
    expect(findingsOf(snapshotOf({ "manifest.json": text }))).toEqual([]);
  });
});

describe("secrets in manifests: the one secrets engine reads them", () => {
  function secretFindings(files: Record<string, string>) {
    return secrets.run(contextOf(snapshotOf(files)));
  }

  it("finds a token in a server.json environment variable value", () => {
    const text = serverJson({ packages: [{ registryType: "npm", identifier: "x", version: "1.0.0", environmentVariables: [{ name: "GITHUB_TOKEN", value: TOKENS.githubClassic }] }] });
    const findings = secretFindings({ "server.json": text });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ ruleId: "MCPW-SECRET-001", path: "server.json" });
    expect(JSON.stringify(findings)).not.toContain(TOKENS.githubClassic);
  });

  it("finds a key in a smithery exampleConfig", () => {
    const text = `startCommand:\n  type: stdio\n  exampleConfig:\n    apiKey: ${TOKENS.openaiProject}\n`;
    const findings = secretFindings({ "smithery.yaml": text });
    expect(findings.map((f) => [f.path, f.line])).toEqual([["smithery.yaml", 4]]);
  });

  it("finds a key in an MCPB mcp_config env", () => {
    const text = mcpb({}, { command: "node", args: ["index.js"], env: { ANTHROPIC_API_KEY: TOKENS.anthropic } });
    expect(secretFindings({ "manifest.json": text }).map((f) => f.path)).toEqual(["manifest.json"]);
  });

  it("finds a token in a Codex server env, as for any client config", () => {
    const text = `[mcp_servers.github]\ncommand = "docker"\nargs = ["run", "-i", "ghcr.io/github/github-mcp-server"]\n\n[mcp_servers.github.env]\nGITHUB_PERSONAL_ACCESS_TOKEN = "${TOKENS.githubFineGrained}"\n`;
    const findings = secretFindings({ ".codex/config.toml": text });
    expect(findings.map((f) => [f.path, f.line])).toEqual([[".codex/config.toml", 6]]);
    expect(findings[0].remediation).toContain("reference it from the environment");
  });

  it("ignores placeholders and references", () => {
    const files = {
      "server.json": serverJson({ packages: [{ registryType: "npm", identifier: "x", version: "1.0.0", environmentVariables: [{ name: "API_KEY", value: "{api_key}", isSecret: true }] }] }),
      "smithery.yaml": "startCommand:\n  type: stdio\n  exampleConfig:\n    apiKey: your-api-key-here\n",
      "manifest.json": mcpb({}, { command: "node", args: ["index.js"], env: { API_KEY: "${user_config.api_key}" } }),
      ".codex/config.toml": '[mcp_servers.x]\ncommand = "node"\nenv = { "API_KEY" = "<your-api-key>" }\nbearer_token_env_var = "X_TOKEN"\n',
    };
    expect(secretFindings(files)).toEqual([]);
  });
});
