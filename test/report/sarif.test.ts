import { z } from "zod";
import { CATEGORIES, SEVERITIES } from "../../lib/model.js";
import { renderSarif, SARIF_FINGERPRINT, SARIF_SCHEMA } from "../../lib/report/index.js";
import { RULE_FAMILIES } from "../../lib/rules/index.js";
import type { RuleFamily } from "../../lib/rules/types.js";
import { VERSION } from "../../lib/version.js";
import { TOKENS } from "../rules/secret-tokens.js";
import { SHA, finding, scanResult } from "./helpers.js";

/** The subset of SARIF 2.1.0 this tool emits, with GitHub code scanning's constraints. */
const Text = z.object({ text: z.string().min(1) }).strict();
const Level = z.enum(["error", "warning", "note"]);
const RelativeUri = z
  .string()
  .min(1)
  .refine((u) => !u.startsWith("/") && !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(u) && !u.includes("\\") && !u.split("/").includes(".."), {
    message: "uri must be relative to the repository root, with forward slashes",
  });
const ArtifactLocation = z.object({ uri: RelativeUri, uriBaseId: z.literal("%SRCROOT%") }).strict();
const Region = z
  .object({ startLine: z.number().int().min(1), endLine: z.number().int().min(1) })
  .strict()
  .refine((r) => r.endLine >= r.startLine);
const Location = z
  .object({ physicalLocation: z.object({ artifactLocation: ArtifactLocation, region: Region.optional() }).strict() })
  .strict();
const Rule = z
  .object({
    id: z.string().min(1),
    name: z.string().min(1),
    shortDescription: Text,
    fullDescription: Text,
    help: z.object({ text: z.string().min(1), markdown: z.string().min(1) }).strict(),
    defaultConfiguration: z.object({ level: Level }).strict(),
    properties: z
      .object({
        tags: z.array(z.string().min(1)).min(1),
        "security-severity": z.string().regex(/^\d{1,2}\.\d$/),
        category: z.enum(CATEGORIES).optional(),
        severity: z.enum(SEVERITIES).optional(),
      })
      .strict(),
  })
  .strict();
const Result = z
  .object({
    ruleId: z.string().min(1),
    ruleIndex: z.number().int().min(0),
    level: Level,
    message: Text,
    locations: z.array(Location).min(1),
    partialFingerprints: z.object({ [SARIF_FINGERPRINT]: z.string().min(1) }).strict(),
    properties: z
      .object({
        severity: z.enum(SEVERITIES),
        confidence: z.enum(["high", "medium", "low"]),
        category: z.enum(CATEGORIES),
        server: z.string(),
        tool: z.string().nullable(),
        evidence: z.string(),
        cwe: z.array(z.string()),
        owasp: z.array(z.string()),
      })
      .strict(),
    suppressions: z
      .array(z.object({ kind: z.literal("external"), justification: z.string().min(1) }).strict())
      .length(1)
      .optional(),
  })
  .strict();
const Sarif = z
  .object({
    $schema: z.literal(SARIF_SCHEMA),
    version: z.literal("2.1.0"),
    runs: z
      .array(
        z
          .object({
            tool: z
              .object({
                driver: z
                  .object({
                    name: z.literal("mcp-warden"),
                    version: z.string(),
                    semanticVersion: z.string(),
                    informationUri: z.string().url(),
                    rules: z.array(Rule),
                  })
                  .strict(),
              })
              .strict(),
            versionControlProvenance: z
              .array(z.object({ repositoryUri: z.string().url(), revisionId: z.string() }).strict())
              .optional(),
            invocations: z.array(
              z
                .object({
                  executionSuccessful: z.boolean(),
                  toolExecutionNotifications: z.array(
                    z.object({ level: Level, message: Text, locations: z.array(Location).optional() }).strict(),
                  ),
                })
                .strict(),
            ),
            results: z.array(Result),
            columnKind: z.literal("utf16CodeUnits"),
            properties: z.object({ score: z.number(), grade: z.string(), commit: z.string().optional() }).strict(),
          })
          .strict(),
      )
      .length(1),
  })
  .strict();

type SarifLog = z.infer<typeof Sarif>;

function parse(text: string): SarifLog {
  return Sarif.parse(JSON.parse(text));
}

describe("renderSarif", () => {
  const result = scanResult({
    warnings: ["Dependencies were not checked against advisories: no advisory source was configured."],
    problems: [{ path: "servers/shell/src/broken.ts", message: "syntax error at 3:7" }],
  });
  const text = renderSarif(result, { sha: SHA, owner: "acme", repo: "mcp-tools" });
  const sarif = parse(text);
  const run = sarif.runs[0]!;

  it("is a valid SARIF 2.1.0 log with one run of mcp-warden", () => {
    expect(run.tool.driver.version).toBe(VERSION);
    expect(run.versionControlProvenance).toEqual([{ repositoryUri: "https://github.com/acme/mcp-tools", revisionId: SHA }]);
    expect(run.properties).toEqual({ score: result.score.score, grade: result.score.grade, commit: SHA });
  });

  it("documents every registered rule, sorted by id, each id once", () => {
    const ids = run.tool.driver.rules.map((r) => r.id);
    const registered = new Set(RULE_FAMILIES.flatMap((f) => f.rules.map((r) => r.id)));
    for (const id of registered) expect(ids).toContain(id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(ids);
    const secret = run.tool.driver.rules.find((r) => r.id === "MCPW-SECRET-001")!;
    expect(secret.properties.tags.slice(0, 2)).toEqual(["security", "hardcoded-secret"]);
    // CWE tags come from the findings of the rule.
    const exec = run.tool.driver.rules.find((r) => r.id === "MCPW-EXEC-001")!;
    expect(exec.properties.tags).toEqual(["security", "command-injection", "CWE-78"]);
    expect(secret.properties["security-severity"]).toBe("8.0");
    expect(secret.defaultConfiguration.level).toBe("error");
    expect(secret.help.markdown).toContain("**Remediation.**");
  });

  it("maps each finding to a result with level, location, fingerprint and the finding's fields", () => {
    const byFp = new Map(run.results.map((r) => [r.partialFingerprints[SARIF_FINGERPRINT], r]));
    const levels = Object.fromEntries(result.findings.map((f) => [f.severity, byFp.get(f.fingerprint)!.level]));
    expect(levels).toEqual({ critical: "error", high: "error", medium: "warning", low: "note", info: "note" });
    const poison = byFp.get("fp-poison-1")!;
    expect(poison.ruleId).toBe("MCPW-POISON-001");
    expect(run.tool.driver.rules[poison.ruleIndex]!.id).toBe("MCPW-POISON-001");
    expect(poison.message.text).toBe("The tool description tells the model to read ~/.ssh/id_rsa. Remove the instructions from the description.");
    expect(poison.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: "servers/weather/server.py", uriBaseId: "%SRCROOT%" },
      region: { startLine: 6, endLine: 6 },
    });
    expect(poison.properties).toMatchObject({
      severity: "high",
      confidence: "medium",
      category: "tool-poisoning",
      server: "servers/weather",
      tool: "get_forecast",
      cwe: ["CWE-1427"],
      owasp: ["MCP03"],
    });
    expect(byFp.get("fp-dep-1")!.properties.tool).toBeNull();
  });

  it("lists findings in report order, then suppressed findings with SARIF suppressions", () => {
    const fps = run.results.map((r) => r.partialFingerprints[SARIF_FINGERPRINT]);
    expect(fps).toEqual(["fp-crit-1", "fp-poison-1", "fp-dep-1", "fp-launch-1", "fp-conf-1", "fp-secret-1"]);
    const suppressed = run.results.filter((r) => r.suppressions);
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0]!.suppressions).toEqual([{ kind: "external", justification: "Test fixture with a revoked token" }]);
  });

  it("reports warnings and parse problems as notifications", () => {
    const notes = run.invocations[0]!.toolExecutionNotifications;
    expect(notes.map((n) => n.level)).toEqual(["warning", "note"]);
    expect(notes[1]!.locations![0]!.physicalLocation.artifactLocation.uri).toBe("servers/shell/src/broken.ts");
  });

  it("is byte-stable whatever the input order", () => {
    const shuffled = scanResult({ ...result, findings: [...result.findings].reverse() });
    expect(renderSarif(shuffled, { sha: SHA, owner: "acme", repo: "mcp-tools" })).toBe(text);
  });

  it("omits provenance without a repository, and an invalid sha", () => {
    const local = parse(renderSarif(result, { sha: "local" })).runs[0]!;
    expect(local.versionControlProvenance).toBeUndefined();
    expect(local.properties.commit).toBeUndefined();
  });

  it("keeps GitHub's constraints on odd paths and lines", () => {
    const odd = scanResult({
      findings: [
        finding({ path: "./src/my file#1.ts", line: 0, endLine: -3, fingerprint: "fp-odd-1" }),
        finding({ path: "a\\b\\c.ts", line: 7, endLine: 2, fingerprint: "fp-odd-2" }),
        finding({ path: "src/../../etc/passwd", line: 1.5, endLine: 1, fingerprint: "fp-odd-3" }),
      ],
      suppressed: [],
    });
    const results = parse(renderSarif(odd)).runs[0]!.results;
    const regions = results.map((r) => [r.locations[0]!.physicalLocation.artifactLocation.uri, r.locations[0]!.physicalLocation.region]);
    expect(regions).toEqual([
      ["src/my%20file%231.ts", { startLine: 1, endLine: 1 }],
      ["a/b/c.ts", { startLine: 7, endLine: 7 }],
      ["src/etc/passwd", { startLine: 1, endLine: 1 }],
    ]);
  });

  it("tolerates incomplete rule documentation and rule ids no family documents", () => {
    const families = [
      { id: "partial", rules: [{ id: "MCPW-EXEC-001", title: "" }, { id: "" }, null], run: () => [] },
      { id: "dup", rules: [{ id: "MCPW-EXEC-001", title: "Second copy" }], run: () => [] },
    ] as unknown as RuleFamily[];
    const r = scanResult({ findings: [finding({ ruleId: "MCPW-NEW-009", category: "ssrf", severity: "critical", cwe: ["CWE-918"] }), finding()], suppressed: [] });
    const out = parse(renderSarif(r, { families })).runs[0]!;
    expect(out.tool.driver.rules.map((x) => x.id)).toEqual(["MCPW-EXEC-001", "MCPW-NEW-009"]);
    const undocumented = out.tool.driver.rules[1]!;
    expect(undocumented.properties).toEqual({ tags: ["security", "ssrf", "CWE-918"], "security-severity": "9.5" });
    expect(undocumented.shortDescription.text).toBe("MCPW-NEW-009");
    for (const res of out.results) expect(out.tool.driver.rules[res.ruleIndex]!.id).toBe(res.ruleId);
  });

  it("redacts secrets and reveals invisible characters in text taken from the repository", () => {
    const token = TOKENS.githubClassic;
    const r = scanResult({
      findings: [
        finding({
          message: `The description hides text\u202E and quotes ${token}.`,
          evidence: `const token = "${token}";`,
          tool: "bad\u200Btool",
        }),
      ],
      suppressed: [{ finding: finding({ fingerprint: "fp-s" }), rule: { rule: "*", reason: `reviewed ${token}` } }],
    });
    const out = renderSarif(r);
    expect(out).not.toContain(token.slice(4, 16));
    expect(out).toContain("\\\\u{202E}");
    expect(out).toContain("bad\\\\u{200B}tool");
  });

  it("emits a valid log for an empty scan", () => {
    const empty = parse(renderSarif(scanResult({ findings: [], suppressed: [] })));
    expect(empty.runs[0]!.results).toEqual([]);
  });
});
