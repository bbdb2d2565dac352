import { readFileSync } from "node:fs";
import { join } from "node:path";
import { scanSnapshot } from "../../lib/scan.js";
import type { RepoSnapshot } from "../../lib/snapshot/types.js";

const ROOT = join(process.cwd(), "test/taint/fixtures/notes-server");

function snapshot(): RepoSnapshot {
  const files = new Map<string, string>();
  for (const path of ["package.json", "src/server.js"]) files.set(path, readFileSync(join(ROOT, path), "utf8"));
  return { files, notes: [], truncated: false, totalBytes: [...files.values()].reduce((n, t) => n + t.length, 0) };
}

describe("fixture server with flows through helper functions", () => {
  test("each flow is one finding with its tool and its trace", async () => {
    const result = await scanSnapshot(snapshot(), { config: { raw: {} } });
    const flows = result.findings.filter((f) => ["MCPW-EXEC-001", "MCPW-PATH-001", "MCPW-SSRF-001", "MCPW-SQL-001", "MCPW-PATH-002"].includes(f.ruleId));
    expect(flows.map((f) => [f.ruleId, f.tool, f.severity, f.line])).toEqual([
      ["MCPW-EXEC-001", "export_notes", "critical", 19],
      ["MCPW-SSRF-001", "import_template", "critical", 23],
      ["MCPW-PATH-001", "read_note", "high", 28],
    ]);
    const [shell, ssrf, path] = flows;
    expect(shell.evidence).toContain(
      "trace: `destination` (line 33) -> `archive(destination)` (line 33) -> `destination` (line 17) -> `command` (line 18) -> `exec(command, (err) => (err ? reject(err) : resolve()))` (line 19)",
    );
    expect(ssrf.evidence).toContain("`args.url` (line 38) -> `download(args.url)` (line 38) -> `url` (line 22) -> `fetch(");
    expect(ssrf.message).toContain("server's own credentials");
    expect(path.evidence).toContain("`args.name` (line 28) -> `notePath(args.name)` (line 28) -> `name` (line 13) -> `readFile(notePath(args.name), \"utf8\")` (line 28)");
    expect(path.remediation).toContain("path.sep");
    // search uses a parameterised query; list_folder is contained: neither is reported.
    expect(result.findings.some((f) => f.tool === "search" || f.tool === "list_folder")).toBe(false);
  });
});
