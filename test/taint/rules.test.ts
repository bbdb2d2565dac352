import type { FileFacts, SourceLanguage } from "../../lib/extract/types.js";
import { emptyManifests } from "../../lib/manifests/index.js";
import { CATEGORIES } from "../../lib/model.js";
import { RULE_FAMILIES } from "../../lib/rules/index.js";
import { dataFlow } from "../../lib/rules/taint.js";
import type { RuleContext } from "../../lib/rules/types.js";
import type { FlowKind, TaintFlow } from "../../lib/taint/types.js";
import { flowsOf } from "./helpers.js";

function flow(kind: FlowKind, extra: Partial<TaintFlow> = {}): TaintFlow {
  return {
    kind,
    sink: "sink.api",
    span: { path: "src/server.ts", line: 9, endLine: 9 },
    snippet: "sink(value)",
    source: { name: "args.value", line: 7, kind: "tool-input" },
    trace: [
      { label: "args.value", line: 7 },
      { label: "value", line: 8 },
      { label: "sink(value)", line: 9 },
    ],
    tool: "do_it",
    check: "none",
    ...extra,
  };
}

function run(flows: TaintFlow[], language: SourceLanguage = "typescript") {
  const file: FileFacts = { path: "src/server.ts", language, tools: [], shellCalls: [], flows, transport: [], problems: [] };
  const ctx: RuleContext = {
    snapshot: { files: new Map(), notes: [], truncated: false, totalBytes: 0 },
    servers: [],
    facts: { files: [file] },
    deps: { dependencies: [], unresolved: [], problems: [] },
    advisories: [],
    manifests: emptyManifests(),
  };
  return dataFlow.run(ctx);
}

describe("data-flow rule family", () => {
  test("is registered and documents every rule it emits", () => {
    expect(RULE_FAMILIES).toContain(dataFlow);
    expect(dataFlow.rules.map((r) => r.id)).toEqual(["MCPW-EXEC-002", "MCPW-CODE-001", "MCPW-PATH-001", "MCPW-PATH-002", "MCPW-SSRF-001", "MCPW-SQL-001"]);
    for (const rule of dataFlow.rules) {
      for (const key of ["title", "category", "severity", "looksFor", "ignores", "remediation"] as const) expect(rule[key]).toBeTruthy();
      expect(CATEGORIES).toContain(rule.category);
    }
  });

  test.each([
    ["argument", "MCPW-EXEC-002", "command-injection", "high", ["CWE-88"]],
    ["code", "MCPW-CODE-001", "code-execution", "critical", ["CWE-94", "CWE-95"]],
    ["path", "MCPW-PATH-001", "path-traversal", "high", ["CWE-22"]],
    ["url", "MCPW-SSRF-001", "ssrf", "high", ["CWE-918"]],
    ["sql", "MCPW-SQL-001", "sql-injection", "high", ["CWE-89"]],
  ] as const)("%s flows become %s", (kind, ruleId, category, severity, cwe) => {
    const [f] = run([flow(kind)]);
    expect(f).toMatchObject({ ruleId, category, severity, confidence: "high", cwe, owasp: ["MCP05"], tool: "do_it", line: 9, endLine: 9 });
    expect(f.message).toContain("Tool `do_it`");
    expect(f.message).toContain("`args.value`");
    expect(f.evidence).toBe("sink(value)\ntrace: `args.value` (line 7) -> `value` (line 8) -> `sink(value)` (line 9)");
    expect(f.key).not.toMatch(/\b9\b/);
  });

  test("a partial path check is MCPW-PATH-002, medium, with the check in message and evidence", () => {
    const [f] = run([flow("path", { check: "partial", note: "the path is checked with `startsWith(root)` without a trailing separator" })]);
    expect(f).toMatchObject({ ruleId: "MCPW-PATH-002", severity: "medium", confidence: "medium" });
    expect(f.message).toContain("can be bypassed");
    expect(f.evidence).toContain("check: the path is checked with `startsWith(root)`");
  });

  test("SSRF carrying the server's credentials is critical", () => {
    const [f] = run([flow("url", { withCredentials: true })]);
    expect(f).toMatchObject({ severity: "critical", owasp: ["MCP05", "MCP01"] });
    expect(f.message).toContain("credentials");
  });

  test("shell flows are left to MCPW-EXEC-001 and checked flows are not findings", () => {
    expect(run([flow("shell"), flow("path", { check: "checked" })])).toEqual([]);
  });

  test("one sink reached from two tools is one finding naming both", () => {
    const f = run([flow("path", { tool: "b" }), flow("path", { tool: "a" })]);
    expect(f).toHaveLength(1);
    expect(f[0].tool).toBe("a");
    expect(f[0].message).toContain("Tools `a` and `b`");
  });

  test("HTTP route flows say so", () => {
    const [f] = run([flow("sql", { tool: undefined, source: { name: "req.body.name", line: 7, kind: "http-request" } })]);
    expect(f.message).toMatch(/^This HTTP route builds an SQL query from request data \(`req\.body\.name`\)/);
    expect(f.tool).toBeUndefined();
  });

  test("remediation follows the file's language", () => {
    expect(run([flow("sql")], "python")[0].remediation).toContain("cursor.execute");
    expect(run([flow("sql")], "go")[0].remediation).toContain("db.Query");
    expect(run([flow("path")], "javascript")[0].remediation).toContain("path.resolve");
    expect(run([flow("code", { sink: "pickle.loads" })], "python")[0].cwe).toEqual(["CWE-502"]);
  });

  test("end to end from source text", async () => {
    const code = `import fs from "node:fs";\nserver.tool("read", "Read", {}, async ({ file }) => {\n  return { content: [{ type: "text", text: fs.readFileSync(file, "utf8") }] };\n});\n`;
    const findings = run(await flowsOf(code));
    expect(findings.map((f) => [f.ruleId, f.tool, f.line])).toEqual([["MCPW-PATH-001", "read", 3]]);
    expect(findings[0].evidence).toContain("`file` (line 3) -> `fs.readFileSync(file, \"utf8\")` (line 3)");
  });
});
