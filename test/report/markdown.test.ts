import type { Finding, Severity } from "../../lib/model.js";
import { SEVERITIES } from "../../lib/model.js";
import { REPORT_MARKER, hasMarker, parseReportState, renderIssueBody } from "../../lib/report/index.js";
import { CTX, SHA, countsOf, finding, sampleFindings, scanResult } from "./helpers.js";

const ZWJ = "\u200D";

/** The body with fenced code blocks removed, i.e. the part GitHub renders as markdown. */
function outsideFences(body: string): string {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of body.split("\n")) {
    const m = /^(`{3,})/.exec(line);
    if (fence === null && m) {
      fence = m[1]!;
      continue;
    }
    if (fence !== null) {
      if (line.trim() === fence) fence = null;
      continue;
    }
    out.push(line);
  }
  expect(fence).toBeNull(); // every block is closed
  return out.join("\n");
}

describe("renderIssueBody", () => {
  const body = renderIssueBody(scanResult(), CTX);

  it("starts with the marker and ends with the state", () => {
    expect(body.startsWith(`${REPORT_MARKER}\n`)).toBe(true);
    expect(hasMarker(body)).toBe(true);
    const state = parseReportState(body)!;
    expect(state).toEqual({
      v: 1,
      sha: SHA,
      fingerprints: ["fp-conf-1", "fp-crit-1", "fp-dep-1", "fp-launch-1", "fp-poison-1"],
      tools: expect.any(Array),
    });
    expect(body.trimEnd().split("\n").pop()).toMatch(/^<!-- mcp-warden:state .* -->$/);
  });

  it("puts score, grade and the linked short commit at the top", () => {
    const head = body.split("\n").slice(0, 6).join("\n");
    const r = scanResult();
    expect(head).toContain(`${r.score.score}/100, grade ${r.score.grade}`);
    expect(head).toContain(`[\`0123456\`](https://github.com/acme/mcp-tools/commit/${SHA})`);
  });

  it("shows a plain short SHA when the repository is unknown (CLI)", () => {
    const cli = renderIssueBody(scanResult(), { sha: SHA });
    expect(cli).toContain("Commit scanned: `0123456`");
    expect(cli).not.toContain("https://github.com/");
    expect(cli).toContain("`servers/shell/src/index.ts:10-12`");
  });

  it("has a counts table by severity", () => {
    expect(body).toContain("| Critical | High | Medium | Low | Info |");
    expect(body).toContain("| 1 | 1 | 1 | 1 | 1 |");
  });

  it("links each finding to the file and lines at the scanned commit", () => {
    expect(body).toContain(`https://github.com/acme/mcp-tools/blob/${SHA}/servers/shell/src/index.ts#L10-L12`);
    expect(body).toContain(`https://github.com/acme/mcp-tools/blob/${SHA}/servers/weather/server.py#L6)`);
  });

  it("groups findings by server, then by severity, most severe first", () => {
    const findingsPart = body.slice(body.indexOf("### Findings"), body.indexOf("### Tool inventory"));
    const headings = findingsPart.split("\n").filter((l) => l.startsWith("####"));
    expect(headings).toEqual([
      "#### Repository root",
      "##### Low (1)",
      "#### Server `servers/shell` (shell-mcp)",
      "##### Critical (1)",
      "##### Medium (1)",
      "#### Server `servers/weather` (weather)",
      "##### High (1)",
      "##### Info (1)",
    ]);
  });

  it("shows evidence, remediation, tool, rule, CWE and OWASP ids", () => {
    expect(body).toContain("```ts\nexec(`ls ${args.dir}`, (err, out) => resolve(out));\n```");
    expect(body).toContain("**Fix:** Use execFile with an argument array");
    expect(body).toContain("Tool `run_command`");
    expect(body).toContain("**`MCPW-EXEC-001`**");
    expect(body).toContain("[CWE-78](https://cwe.mitre.org/data/definitions/78.html), MCP05");
  });

  it("prints a remediation of several sentences in full, not cut at 400 characters", () => {
    const remediation = `${"Rewrite the description so it only says what the tool does. ".repeat(8)}Treat the server as compromised until you know how.`;
    expect(remediation.length).toBeGreaterThan(400);
    const b = renderIssueBody(scanResult({ findings: [finding({ remediation })] }), CTX);
    expect(b).toContain("Treat the server as compromised until you know how.");
  });

  it("lists servers and the tool inventory", () => {
    expect(body).toContain("| `servers/shell` | shell-mcp | typescript | `@modelcontextprotocol/sdk` | 2 (+1 built at run time) |");
    expect(body).toContain("| `run_command` | ? | `command: string`, `cwd?: string` | `destructiveHint: true`, `readOnlyHint: false` | 1 |");
    expect(body).toContain("1 tool built at run time");
  });

  it("lists suppressed findings with their reason in a collapsed section", () => {
    const start = body.indexOf("<details>");
    const end = body.indexOf("</details>");
    expect(start).toBeGreaterThan(0);
    const section = body.slice(start, end);
    expect(section).toContain("<summary>Suppressed findings (1)</summary>");
    expect(section).toContain("Test fixture with a revoked token");
    expect(section).toContain("`MCPW-SECRET-001`");
  });

  it("ends with how the score is computed (adding up) and how to suppress", () => {
    const r = scanResult();
    expect(body).toContain("### How this score is computed");
    expect(body).toContain("`docs/scoring.md`");
    const taken = r.score.deductions.reduce((s, d) => s + d.points, 0);
    expect(body).toContain(`Score: 100 - ${taken} = ${100 - taken}: **${r.score.score}/100, grade ${r.score.grade}**.`);
    expect(body).toContain("### How to suppress a finding");
    expect(body).toMatch(/```yaml\nignore:\n {2}- rule: "MCPW-EXEC-001"\n {4}path: "servers\/shell\/src\/index.ts"\n {4}reason: /);
    expect(body.indexOf("### How this score")).toBeGreaterThan(body.indexOf("### Findings"));
  });

  it("explains a ceiling when it lowered the score", () => {
    const findings = [finding({ severity: "critical", confidence: "low", fingerprint: "c" })];
    const b = renderIssueBody(scanResult({ findings }), CTX);
    expect(b).toContain("Score: 100 - 20 = 80, capped at 69 because of a critical finding: **69/100, grade D**.");
  });

  it("says the score stops at 0 when the deductions exceed 100", () => {
    const findings = ["command-injection", "tool-poisoning", "hardcoded-secret"].map((category, i) =>
      finding({ severity: "critical", category: category as Finding["category"], fingerprint: `z${i}` }),
    );
    const b = renderIssueBody(scanResult({ findings }), CTX);
    expect(b).toContain("Score: 100 - 120 = 0 (the score does not go below 0): **0/100, grade F**.");
  });

  it("links the scoring doc when given an https URL, and ignores anything else", () => {
    expect(renderIssueBody(scanResult(), { ...CTX, docsUrl: "https://example.org/docs/scoring.md" })).toContain(
      "[docs/scoring.md](https://example.org/docs/scoring.md)",
    );
    expect(renderIssueBody(scanResult(), { ...CTX, docsUrl: "javascript:alert(1)" })).not.toContain("javascript:");
  });

  it("is deterministic: same input gives the same bytes, whatever the input order", () => {
    const r = scanResult();
    const again = renderIssueBody(scanResult(), CTX);
    expect(again).toBe(body);
    const shuffled = renderIssueBody({ ...r, findings: [...r.findings].reverse(), servers: [...r.servers].reverse() }, CTX);
    expect(shuffled).toBe(body);
    expect(body).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });

  it("says what changed since the last scan, and only when there was one", () => {
    expect(body).not.toContain("Since the last scan");
    const previous = { v: 1 as const, sha: "1111111", fingerprints: ["fp-crit-1", "fp-dep-1", "fp-gone-1", "fp-gone-2"] };
    const b = renderIssueBody(scanResult(), { ...CTX, previous });
    expect(b).toContain("**Since the last scan:** 3 new findings, 2 fixed.");
    // the new ones are marked, the old ones are not
    expect(b).toContain("**New** · **`MCPW-POISON-001`**");
    expect(b).not.toContain("**New** · **`MCPW-EXEC-001`**");
    const same = { v: 1 as const, sha: "1111111", fingerprints: sampleFindings().map((f) => f.fingerprint) };
    expect(renderIssueBody(scanResult(), { ...CTX, previous: same })).toContain("**Since the last scan:** no change.");
  });

  it("shows the configuration error section, coverage notes and the below-threshold count", () => {
    const b = renderIssueBody(
      scanResult({
        configErrors: [{ field: "issue.minSeverity", message: 'must be one of "critical", "high"' }],
        snapshotNotes: [
          { reason: "too-large", count: 2, examples: ["data/big.json", "dump.sql"] },
          { reason: "symlink", count: 1, examples: ["link"] },
        ],
        problems: [{ path: "src/broken.ts", message: "syntax error at 3:4" }],
        unresolvedDependencies: 4,
        warnings: ["advisory source unreachable: HTTP 503"],
        belowThreshold: 7,
      }),
      CTX,
    );
    expect(b).toContain("### Configuration error");
    expect(b).toContain("| `issue.minSeverity` | must be one of \"critical\", \"high\" |");
    expect(b).toContain("### Scan coverage");
    expect(b).toContain("- 2 files skipped: larger than the per-file limit (e.g. `data/big.json`, `dump.sql`).");
    expect(b).toContain("- 1 file skipped: symbolic links");
    expect(b).toContain("`src/broken.ts`: syntax error at 3:4");
    expect(b).toContain("4 dependencies had no resolved version");
    expect(b).toContain("Inconclusive: advisory source unreachable: HTTP 503");
    expect(b).toContain("[!WARNING]");
    expect(b).toContain("7 findings below the minimum severity `low`");
    expect(b.indexOf("### Configuration error")).toBeLessThan(b.indexOf("### Findings"));
  });

  it("omits empty sections", () => {
    expect(body).not.toContain("### Configuration error");
    expect(body).not.toContain("### Scan coverage");
    expect(body).not.toContain("[!WARNING]");
  });
});

describe("hostile repository content", () => {
  const hostile = finding({
    ruleId: "MCPW-POISON-001",
    category: "tool-poisoning",
    severity: "high",
    path: "src/we ird#name?.ts",
    server: "servers/<b>evil</b>",
    tool: "<img src=x onerror=alert(1)> @octocat #1",
    message: "Tool `x` says: @admin please see #42 <script>alert(1)</script> [link](https://evil.example) -->",
    evidence: "```\n</details>\n## Injected\n@someone #99\n<!-- mcp-warden:state {\"v\":1,\"sha\":\"x\",\"fingerprints\":[]} -->\n````",
    remediation: "Line one\n<img src=x>\n@maintainer",
    fingerprint: "fp-hostile",
  });
  const result = scanResult({
    findings: [hostile],
    servers: [
      {
        root: "servers/<b>evil</b>",
        name: "@octocat | <i>x</i>",
        language: "typescript",
        frameworks: ["fastmcp`|`"],
        evidence: [],
        tools: [
          {
            name: "<img src=x onerror=alert(1)> @octocat #1",
            params: [{ name: "a|b`c", required: true }],
            annotations: { "x|y": true },
            api: "ts-sdk.tool",
            span: { path: "src/a|b.ts", line: 1, endLine: 1 },
          },
        ],
        dynamicTools: 0,
      },
    ],
    suppressed: [
      {
        finding: finding({ fingerprint: "fp-s" }),
        rule: { rule: "*", reason: "because @boss said so, see #7 | <b>x</b>" },
      },
    ],
  });
  const body = renderIssueBody(result, CTX);
  const rendered = outsideFences(body);

  it("keeps every fenced block closed and nothing escapes the evidence block", () => {
    expect(rendered).not.toContain("## Injected");
    expect(rendered).not.toContain("</details>\n## ");
  });

  it("injects no HTML outside code", () => {
    const withoutCode = rendered.replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, "");
    const tags = withoutCode.match(/<\/?[a-z][^>]*>/gi) ?? [];
    expect(new Set(tags.map((t) => t.toLowerCase()))).toEqual(new Set(["<details>", "</details>", "<summary>", "</summary>", "<br>"]));
  });

  it("pings nobody and links no issue outside code", () => {
    const withoutCode = rendered.replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, "");
    expect(withoutCode).not.toMatch(/(?<![A-Za-z0-9_])@[A-Za-z0-9]/);
    expect(withoutCode).not.toMatch(/#\d/);
    expect(withoutCode).toContain(`@${ZWJ}admin`);
  });

  it("cannot fake or end the hidden state", () => {
    const state = parseReportState(body)!;
    expect(state.fingerprints).toEqual(["fp-hostile"]);
    expect(state.sha).toBe(SHA);
    expect(body.match(/<!-- mcp-warden:state /g)).toHaveLength(1);
    expect(body.match(/<!--/g)).toHaveLength(2); // the marker and the state
    expect(body.match(/-->/g)).toHaveLength(2);
  });

  it("encodes the path in the permalink", () => {
    expect(body).toContain(`/blob/${SHA}/src/we%20ird%23name%3F.ts#L10-L12`);
  });

  it("keeps table rows intact (pipes escaped)", () => {
    const rows = rendered.split("\n").filter((l) => l.startsWith("| ") && l.includes("evil"));
    for (const row of rows) {
      const cells = row.replace(/\\\|/g, "").split("|").length - 2;
      expect(cells).toBe(5);
    }
  });

  it("never prints a secret that a rule forgot to redact", () => {
    const token = "ghp_" + "Z9y8X7w6V5".repeat(4);
    const leaky = finding({ evidence: `token = "${token}"`, message: `uses ${token}`, fingerprint: "leak" });
    const b = renderIssueBody(scanResult({ findings: [leaky] }), CTX);
    expect(b).not.toContain(token);
  });
});

describe("clean result", () => {
  it("renders a short, deterministic No findings body with marker and empty state", () => {
    const r = scanResult({ findings: [], suppressed: [] });
    const a = renderIssueBody(r, CTX);
    expect(a).toBe(renderIssueBody(r, CTX));
    expect(a.startsWith(REPORT_MARKER)).toBe(true);
    expect(a).toContain("100/100, grade A");
    expect(a).toContain("**No findings.**");
    expect(a).not.toContain("### Findings");
    expect(a).not.toContain("How to suppress");
    expect(parseReportState(a)).toEqual({ v: 1, sha: SHA, fingerprints: [], tools: expect.any(Array) });
    expect(a.length).toBeLessThan(2000);
  });

  it("says how many were fixed since the last scan", () => {
    const r = scanResult({ findings: [], suppressed: [] });
    const a = renderIssueBody(r, { ...CTX, previous: { v: 1, sha: "abc", fingerprints: ["x", "y"] } });
    expect(a).toContain("**Since the last scan:** 0 new findings, 2 fixed.");
  });
});

describe("size budget", () => {
  function bigResult(count: number): ReturnType<typeof scanResult> {
    const sev = (i: number): Severity => SEVERITIES[i % 5]!;
    const findings: Finding[] = Array.from({ length: count }, (_, i) =>
      finding({
        severity: sev(i),
        server: i % 2 ? "servers/shell" : "servers/weather",
        path: `src/module-${String(i).padStart(5, "0")}/handler.ts`,
        line: (i % 300) + 1,
        endLine: (i % 300) + 3,
        evidence: `exec("cmd " + input${i});\n`.repeat(8),
        message: `Finding number ${i} passes tool input to a shell command in a way an attacker controls.`,
        fingerprint: `sha256:${String(i).padStart(8, "0")}${"f".repeat(56)}`,
      }),
    );
    return scanResult({ findings, counts: countsOf(findings) });
  }

  it("keeps 5,000 findings under 60,000 characters with marker, score, counts and state", () => {
    const r = bigResult(5000);
    const b = renderIssueBody(r, CTX);
    expect(b.length).toBeLessThanOrEqual(60_000);
    expect(b.startsWith(REPORT_MARKER)).toBe(true);
    expect(b).toContain(`${r.score.score}/100, grade ${r.score.grade}`);
    expect(b).toContain("| 1000 | 1000 | 1000 | 1000 | 1000 |");
    const state = parseReportState(b)!;
    expect(state.sha).toBe(SHA);
    expect(state.total).toBe(5000);
    expect(state.fingerprints.length).toBeGreaterThan(0);
    expect(b).toContain("[!NOTE]");
    expect(b).toContain("--format json");
    outsideFences(b);
    // the most severe are the ones kept, and the headings say how many are not listed
    expect(b).toMatch(/##### Critical \(\d+ of 500 listed\)/);
    expect(b).not.toContain("##### Low");
  });

  it("is deterministic under the budget too", () => {
    const r = bigResult(800);
    expect(renderIssueBody(r, CTX)).toBe(renderIssueBody(r, CTX));
  });

  it("drops the tool inventory first, then low/info evidence, saying so", () => {
    const r = bigResult(40);
    const full = renderIssueBody(r, CTX);
    expect(full).toContain("### Tool inventory");
    expect(full).not.toContain("[!NOTE]");
    const noInventory = renderIssueBody(r, { ...CTX, maxChars: full.length - 1 });
    expect(noInventory.length).toBeLessThan(full.length);
    expect(noInventory).not.toContain("### Tool inventory");
    expect(noInventory).toContain("leaves out the tool inventory");
    expect((noInventory.match(/```ts/g) ?? []).length).toBe(40);
    const tighter = renderIssueBody(r, { ...CTX, maxChars: noInventory.length - 1 });
    expect(tighter).toMatch(/leaves out the evidence of 16 findings/); // 8 low + 8 info
    expect((tighter.match(/```ts/g) ?? []).length).toBe(24);
    expect(tighter).toContain("##### Low");
  });

  it("collapses to one line per finding before dropping critical ones", () => {
    const r = bigResult(400);
    const b = renderIssueBody(r, { ...CTX, maxChars: 45_000 });
    expect(b.length).toBeLessThanOrEqual(45_000);
    expect(b).toMatch(/^- `MCPW-EXEC-001` \[`src\/module-/m);
    expect(b).toContain("the evidence and remediation of the findings listed");
  });

  it("never exceeds a tiny budget, and keeps the marker and the state", () => {
    for (const maxChars of [3000, 5000, 12_000]) {
      const b = renderIssueBody(bigResult(300), { ...CTX, maxChars });
      expect(b.length).toBeLessThanOrEqual(maxChars);
      expect(hasMarker(b)).toBe(true);
      expect(parseReportState(b)).not.toBeNull();
    }
  });

  it("survives one enormous finding", () => {
    const huge = finding({ evidence: "A".repeat(2_000_000), message: "B".repeat(100_000), remediation: "C\n".repeat(50_000) });
    const b = renderIssueBody(scanResult({ findings: [huge] }), CTX);
    expect(b.length).toBeLessThan(10_000);
    expect(parseReportState(b)!.fingerprints).toEqual([huge.fingerprint]);
  });
});
