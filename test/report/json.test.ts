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
});
