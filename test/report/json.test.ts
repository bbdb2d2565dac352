import { renderJson } from "../../lib/report/index.js";
import { SHA, finding, scanResult } from "./helpers.js";

const FINDING_KEYS = [
  "ruleId",
  "category",
  "severity",
  "confidence",
  "path",
  "line",
  "endLine",
  "server",
  "tool",
  "message",
  "evidence",
  "remediation",
  "cwe",
  "owasp",
  "fingerprint",
];

describe("renderJson", () => {
  const result = scanResult({
    snapshotNotes: [{ reason: "binary", count: 1, examples: ["logo.png"] }],
    configErrors: [{ field: "ignore.0.reason", message: "Required" }],
    warnings: ["advisory source unreachable"],
  });
  const text = renderJson(result, { sha: SHA });
  const json = JSON.parse(text);

  it("is pretty JSON with tool, version, commit, score and grade at the top", () => {
    expect(text.startsWith('{\n  "tool": "mcp-warden",\n  "version": "0.1.0",\n  "commit": "' + SHA)).toBe(true);
    expect(json.score).toBe(result.score.score);
    expect(json.grade).toBe(result.score.grade);
    expect(json.counts).toEqual({ critical: 1, high: 1, medium: 1, low: 1, info: 1 });
    expect(json.deductions).toEqual(result.score.deductions);
  });

  it("omits commit when none is given", () => {
    expect(JSON.parse(renderJson(result))).not.toHaveProperty("commit");
  });

  it("writes findings with exactly the finding-model fields, in order, sorted most severe first", () => {
    expect(json.findings).toHaveLength(5);
    for (const f of json.findings) expect(Object.keys(f)).toEqual(FINDING_KEYS);
    expect(json.findings.map((f: { severity: string }) => f.severity)).toEqual(["critical", "high", "medium", "low", "info"]);
    const noTool = json.findings.find((f: { ruleId: string }) => f.ruleId === "MCPW-DEP-001");
    expect(noTool.tool).toBeNull();
    expect(json.findings[0]).toMatchObject({ path: "servers/shell/src/index.ts", line: 10, endLine: 12, cwe: ["CWE-78"] });
  });

  it("lists suppressed findings with their reason", () => {
    expect(json.suppressed).toHaveLength(1);
    expect(json.suppressed[0]).toMatchObject({
      ruleId: "MCPW-SECRET-001",
      reason: "Test fixture with a revoked token",
      ignoreRule: "MCPW-SECRET-001",
      ignorePath: "**/test/fixtures/**",
    });
  });

  it("describes servers and their tools", () => {
    expect(json.servers.map((s: { root: string }) => s.root)).toEqual(["servers/shell", "servers/weather"]);
    const shell = json.servers[0];
    expect(shell).toMatchObject({ name: "shell-mcp", language: "typescript", frameworks: ["@modelcontextprotocol/sdk"], dynamicTools: 1 });
    expect(shell.tools.map((t: { name: string }) => t.name)).toEqual(["list_files", "run_command"]);
    expect(shell.tools[1].params).toEqual([
      { name: "command", type: "string", required: true, description: null },
      { name: "cwd", type: "string", required: false, description: null },
    ]);
    expect(shell.tools[1].annotations).toEqual({ destructiveHint: true, readOnlyHint: false });
  });

  it("carries the notes", () => {
    expect(json.notes).toEqual({
      snapshot: [{ reason: "binary", count: 1, examples: ["logo.png"] }],
      parseProblems: [],
      configErrors: [{ field: "ignore.0.reason", message: "Required" }],
      unresolvedDependencies: 0,
      warnings: ["advisory source unreachable"],
    });
    expect(json.belowThreshold).toBe(0);
  });

  it("is deterministic whatever the input order", () => {
    const shuffled = { ...result, findings: [...result.findings].reverse(), servers: [...result.servers].reverse() };
    expect(renderJson(shuffled, { sha: SHA })).toBe(text);
  });

  it("never prints a secret a rule forgot to redact", () => {
    const token = "ghp_" + "Q1w2E3r4T5".repeat(4);
    const out = renderJson(scanResult({ findings: [finding({ evidence: `t="${token}"`, fingerprint: "x" })] }));
    expect(out).not.toContain(token);
    const inFix = renderJson(scanResult({ findings: [finding({ remediation: `Pin it: "args": ["--token", "${token}"]`, fingerprint: "y" })] }));
    expect(inFix).not.toContain(token);
    expect(inFix).toContain("ghp_…[redacted, 44 chars]");
  });

  it("never prints a secret quoted by a parser's error message, a config error or a warning", () => {
    const token = "ghp_" + "P0o9I8u7Y6".repeat(4);
    const out = renderJson(
      scanResult({
        problems: [{ path: "mcp.json", message: `could not be parsed: Unexpected token 'x', "{"k": "${token}" x"... is not valid JSON` }],
        configErrors: [{ field: "(root)", message: `configuration could not be read: bad indentation\n 1 | token: ${token}` }],
        warnings: [`advisory file unreadable: ${token}`],
      }),
    );
    expect(out).not.toContain(token);
    expect(out).toContain("ghp_…[redacted, 44 chars]");
  });

  it("writes the tool surface: texts with their dynamic flag, locations, prompts, resources and instructions", () => {
    const at = (line: number, path = "servers/shell/src/index.ts") => ({ path, line, endLine: line + 2 });
    const text = (value: string, dynamic = false) => ({ value, dynamic, source: JSON.stringify(value), span: at(1) });
    const token = "ghp_" + "Z9y8X7w6V5".repeat(4);
    const [shell, weather] = scanResult().servers;
    const surface = {
      ...shell!,
      tools: [
        {
          ...shell!.tools[0]!,
          description: text("Runs ${cmd} in a shell", true),
          title: text("Run"),
          handler: { span: at(12), params: ["command"] },
        },
      ],
      prompts: [
        { name: "review", title: text("Review"), description: text("Review code"), args: [{ name: "code", required: true, description: text("The code") }], api: "ts-sdk.registerPrompt", span: at(40), handler: { span: at(44), params: [] } },
        { name: null, args: [], api: "ts-sdk.prompt", span: at(30) },
      ],
      resources: [
        { name: "config", uri: text("config://app"), template: false, description: text(`Config with ${token}`), mimeType: "application/json", api: "ts-sdk.registerResource", span: at(50) },
        { name: "note", uri: text("notes://{id}"), template: true, api: "ts-sdk.registerResource", span: at(60) },
      ],
      instructions: [{ text: text("Use list_files first."), api: "ts-sdk.McpServer", span: at(5) }],
    };
    const out = renderJson(scanResult({ servers: [surface, weather!] }));
    expect(out).not.toContain(token);
    const server = JSON.parse(out).servers[0];
    expect(server.tools[0]).toMatchObject({
      name: "run_command",
      path: "servers/shell/src/index.ts",
      line: 8,
      endLine: 20,
      title: { text: "Run", dynamic: false },
      description: { text: "Runs ${cmd} in a shell", dynamic: true },
      dynamic: true,
      handler: { path: "servers/shell/src/index.ts", line: 12, endLine: 14 },
    });
    expect(server.prompts).toEqual([
      {
        name: "review",
        api: "ts-sdk.registerPrompt",
        path: "servers/shell/src/index.ts",
        line: 40,
        endLine: 42,
        title: { text: "Review", dynamic: false },
        description: { text: "Review code", dynamic: false },
        args: [{ name: "code", type: null, required: true, description: "The code" }],
        handler: { path: "servers/shell/src/index.ts", line: 44, endLine: 46 },
      },
      { name: null, api: "ts-sdk.prompt", path: "servers/shell/src/index.ts", line: 30, endLine: 32, title: null, description: null, args: [], handler: null },
    ]);
    expect(server.resources.map((r: { name: string; uri: { text: string }; template: boolean; mimeType: string | null }) => [r.name, r.uri.text, r.template, r.mimeType])).toEqual([
      ["config", "config://app", false, "application/json"],
      ["note", "notes://{id}", true, null],
    ]);
    expect(server.resources[0].description.text).toMatch(/^Config with ghp_…\[redacted/);
    expect(server.instructions).toEqual([
      { api: "ts-sdk.McpServer", path: "servers/shell/src/index.ts", line: 5, endLine: 7, text: "Use list_files first.", dynamic: false },
    ]);
    // Servers without any of these still carry the keys, so consumers see one shape.
    const other = JSON.parse(out).servers[1];
    expect(other).toMatchObject({ prompts: [], resources: [], instructions: [] });
    expect(other.tools[0]).toHaveProperty("handler");
  });
});
