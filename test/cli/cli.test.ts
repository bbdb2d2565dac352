import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../bin/cli.js";
import { VERSION } from "../../lib/version.js";

const EXAMPLE = "examples/vulnerable-mcp-server";
const ADVISORIES = "examples/advisories";
// The fake token planted in the example; it must never be printed in full.
const PLANTED_TOKEN = /ghp_R8mQ2vXk7LpN4tYw9ZbC3dFh6JsA1eGuK0oi/;

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(args, { stdout: (t) => void (out += t), stderr: (t) => void (err += t) });
  return { code, out, err };
}

describe("mcp-warden scan (CLI)", () => {
  it("scans the example server and reports every planted problem as JSON, and nothing else", async () => {
    const { code, out } = await run(["scan", EXAMPLE, "--format", "json", "--advisories", ADVISORIES]);
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(typeof json.score).toBe("number");
    expect(["A", "B", "C", "D", "F"]).toContain(json.grade);
    const rules = json.findings.map((f: { ruleId: string; tool?: string }) => `${f.ruleId}${f.tool ? ":" + f.tool : ""}`);
    expect(rules).toEqual(
      expect.arrayContaining([
        "MCPW-POISON-001:add",
        "MCPW-EXEC-001:git_log",
        "MCPW-SECRET-001",
        "MCPW-LAUNCH-001",
        "MCPW-DEP-001",
      ]),
    );
    // The safe look-alikes stay quiet.
    const tools = json.findings.map((f: { tool?: string }) => f.tool);
    for (const safe of ["git_status", "disk_usage", "read_note"]) expect(tools).not.toContain(safe);
    const launches = json.findings.filter((f: { ruleId: string }) => f.ruleId === "MCPW-LAUNCH-001");
    expect(launches).toHaveLength(1);
    expect(launches[0].evidence).toContain("mcp-remote");

    for (const f of json.findings) {
      for (const field of ["ruleId", "category", "severity", "confidence", "path", "line", "endLine", "server", "message", "evidence", "remediation", "cwe", "owasp", "fingerprint"]) {
        expect(f).toHaveProperty(field);
      }
      expect(f.line).toBeGreaterThanOrEqual(1);
      expect(f.endLine).toBeGreaterThanOrEqual(f.line);
    }
    const dep = json.findings.find((f: { ruleId: string }) => f.ruleId === "MCPW-DEP-001");
    expect(dep.evidence).toMatch(/GHSA-/);
    expect(dep.remediation).toMatch(/1\.26\.0/);
    expect(out).not.toMatch(PLANTED_TOKEN);

    expect(json.servers).toHaveLength(1);
    // The example grows; these tools are the ones the assertions above rely on.
    expect(json.servers[0].tools.map((t: { name: string }) => t.name)).toEqual(
      expect.arrayContaining(["add", "disk_usage", "git_log", "git_status", "read_note"]),
    );
  });

  it("prints the issue body as markdown, with the marker and without the secret", async () => {
    const { code, out } = await run(["scan", EXAMPLE]);
    expect(code).toBe(0);
    expect(out).toContain("<!-- mcp-warden:report -->");
    expect(out).toContain("MCPW-EXEC-001");
    expect(out).not.toMatch(PLANTED_TOKEN);
  });

  it("prints SARIF 2.1.0 with --format sarif: the same findings, located and fingerprinted, without the secret", async () => {
    const sha = "b".repeat(40);
    const { code, out } = await run(["scan", EXAMPLE, "--format", "sarif", "--advisories", ADVISORIES, "--repo", "octo/notes", "--sha", sha]);
    expect(code).toBe(0);
    expect(out).not.toMatch(PLANTED_TOKEN);
    const sarif = JSON.parse(out);
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs).toHaveLength(1);
    const run0 = sarif.runs[0];
    expect(run0.tool.driver.name).toBe("mcp-warden");
    expect(run0.versionControlProvenance).toEqual([{ repositoryUri: "https://github.com/octo/notes", revisionId: sha }]);
    const json = JSON.parse((await run(["scan", EXAMPLE, "--format", "json", "--advisories", ADVISORIES])).out);
    const fromJson = json.findings.map((f: { ruleId: string; path: string; line: number; fingerprint: string }) => [f.ruleId, f.path, f.line, f.fingerprint]);
    const fromSarif = run0.results.map(
      (r: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[]; partialFingerprints: Record<string, string> }) => [
        r.ruleId,
        r.locations[0].physicalLocation.artifactLocation.uri,
        r.locations[0].physicalLocation.region.startLine,
        r.partialFingerprints["mcpWarden/v1"],
      ],
    );
    expect(fromSarif).toEqual(fromJson);
    for (const r of run0.results) expect(run0.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
  });

  it("names sarif in the help text", async () => {
    const { code, out } = await run(["--help"]);
    expect(code).toBe(0);
    expect(out).toMatch(/--format FORMAT\s+markdown .*json, or sarif/);
  });

  it("renders github.com permalinks with --repo and --sha", async () => {
    const sha = "a".repeat(40);
    const { out } = await run(["scan", EXAMPLE, "--repo", "octo/notes", "--sha", sha]);
    expect(out).toMatch(new RegExp(`https://github.com/octo/notes/blob/${sha}/src/index.ts#L\\d+`));
  });

  it("exits 1 with --fail-on when a finding at or above the threshold exists", async () => {
    expect((await run(["scan", EXAMPLE, "--fail-on", "high"])).code).toBe(1);
  });

  it("exits 0 with --fail-on on a clean server", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mcpw-cli-"));
    try {
      writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "ok", dependencies: { "@modelcontextprotocol/sdk": "1.26.0" } }));
      mkdirSync(join(dir, "src"));
      writeFileSync(
        join(dir, "src/index.ts"),
        'import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";\n' +
          'const server = new McpServer({ name: "ok", version: "1.0.0" });\n' +
          'server.tool("echo", "Echoes the text back.", async () => ({ content: [] }));\n',
      );
      const { code, out } = await run(["scan", dir, "--fail-on", "low", "--format", "json"]);
      expect(JSON.parse(out).findings).toEqual([]);
      expect(code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("says on stderr which advisory files it could not read", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mcpw-osv-"));
    try {
      writeFileSync(join(dir, "broken.json"), "{ not json");
      const { code, err } = await run(["scan", EXAMPLE, "--advisories", dir, "--format", "json"]);
      expect(code).toBe(0);
      expect(err).toMatch(/advisory file skipped: broken\.json/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("rejects bad usage with exit code 2", async () => {
    expect((await run([])).code).toBe(2);
    expect((await run(["scan"])).code).toBe(2);
    expect((await run(["scan", EXAMPLE, "--format", "xml"])).code).toBe(2);
    expect((await run(["scan", EXAMPLE, "--format", "xml"])).err).toMatch(/markdown, json or sarif/);
    expect((await run(["scan", EXAMPLE, "--fail-on", "severe"])).code).toBe(2);
    expect((await run(["scan", "/definitely/not/here"])).code).toBe(2);
  });

  it("reports the package version", async () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8"));
    expect(VERSION).toBe(pkg.version);
    expect((await run(["--version"])).out.trim()).toBe(pkg.version);
  });
});
