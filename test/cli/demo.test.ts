import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../../bin/cli.js";

/**
 * `npm run demo` scans the example server. Its README table is the contract: every row is
 * reported at its place, nothing else is, and every safe look-alike stays quiet.
 */

const EXAMPLE = "examples/vulnerable-mcp-server";
const ADVISORIES = "examples/advisories";

interface Row {
  ruleId: string;
  path: string;
  tool?: string;
  /** Rows marked "(data-flow rules)": checked for place, not required to be present. */
  dataFlow: boolean;
}

interface JsonFinding {
  ruleId: string;
  path: string;
  line: number;
  endLine: number;
  tool?: string;
  evidence: string;
}

/** The rows of the README's "where | problem | expected rule" table. */
function readmeRows(): Row[] {
  const text = readFileSync(join(EXAMPLE, "README.md"), "utf8");
  const rows: Row[] = [];
  for (const line of text.split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    // "| where | problem | rule |" splits into ["", where, problem, rule, ""].
    if (cells.length !== 5) continue;
    const rule = /^(MCPW-[A-Z]+-\d{3})\b/.exec(cells[3]);
    if (!rule) continue;
    const path = /^`([^`]+)`/.exec(cells[1]);
    if (!path) throw new Error(`README row without a path: ${line}`);
    const tool = /\btool `([^`]+)`/.exec(cells[1]);
    rows.push({ ruleId: rule[1], path: path[1], ...(tool ? { tool: tool[1] } : {}), dataFlow: /\(data-flow rules\)/.test(cells[3]) });
  }
  return rows;
}

/** 1-based line of the only line of `path` containing `text`. */
function lineOf(path: string, text: string): number {
  const lines = readFileSync(join(EXAMPLE, path), "utf8").split("\n");
  const hits = lines.flatMap((l, i) => (l.includes(text) ? [i + 1] : []));
  if (hits.length !== 1) throw new Error(`expected one line with ${JSON.stringify(text)} in ${path}, found ${hits.length}`);
  return hits[0];
}

const covers = (f: JsonFinding, line: number) => f.line <= line && line <= f.endLine;
const label = (f: { ruleId: string; path: string; tool?: string }) => `${f.ruleId} ${f.path}${f.tool ? `:${f.tool}` : ""}`;

/** The line each planted problem must be reported on (or span). */
const PLANTED: Record<string, { path: string; text: string; offset?: number }> = {
  "MCPW-POISON-001": { path: "src/index.ts", text: "<IMPORTANT>" },
  "MCPW-EXFIL-001": { path: "src/index.ts", text: "sidenote: z.string()" },
  "MCPW-EXEC-001": { path: "src/index.ts", text: "exec(cmd," },
  "MCPW-SECRET-001": { path: "src/index.ts", text: "const GITHUB_TOKEN =" },
  "MCPW-LAUNCH-001": { path: ".mcp.json", text: '"remote-calendar"' },
  "MCPW-DEP-001": { path: "package-lock.json", text: '"node_modules/@modelcontextprotocol/sdk"' },
  "MCPW-NET-001": { path: "src/http.ts", text: '"0.0.0.0"' },
  "MCPW-TLS-001": { path: "src/backup.ts", text: "rejectUnauthorized: false" },
  // Reported at the package object's opening brace, the line above.
  "MCPW-LAUNCH-002": { path: "server.json", text: '"registryType": "npm"', offset: -1 },
  "MCPW-MANIFEST-003": { path: "server.json", text: "http://notes.example.com" },
  "MCPW-SUPPLY-004": { path: "Dockerfile", text: "FROM node:latest" },
  "MCPW-PERM-003": { path: "Dockerfile", text: "FROM node:latest" },
  "MCPW-PERM-002": { path: ".mcp.json", text: "--privileged" },
  "MCPW-PATH-001": { path: "src/files.ts", text: "path.join(ATTACHMENTS_DIR, name)" },
  "MCPW-SSRF-001": { path: "src/files.ts", text: "fetch(url)" },
};

/** Lines of the safe look-alikes; no finding may span them. */
const LOOK_ALIKES: { path: string; text: string }[] = [
  { path: "src/index.ts", text: '"git_status",' },
  { path: "src/index.ts", text: 'execFile("git"' },
  { path: "src/index.ts", text: 'execSync("df -h")' },
  { path: "src/index.ts", text: "fs.readFile(full" },
  { path: "src/files.ts", text: "fs.readFile(full" },
  { path: "src/files.ts", text: 'fetch("https://zenquotes.io' },
  { path: "src/http.ts", text: '"127.0.0.1"' },
  { path: "src/backup.ts", text: "rejectUnauthorized: true" },
  { path: "server.json", text: '"registryType": "oci"' },
  { path: "server.json", text: "https://notes.example.com/mcp" },
  { path: "Dockerfile", text: "FROM node:22-slim AS build" },
  { path: ".mcp.json", text: '"notes-helper": {' },
  { path: ".mcp.json", text: '"fetch": {' },
  { path: ".mcp.json", text: '"notes-files": {' },
  { path: ".mcp.json", text: '"notes-search": {' },
];
const SAFE_TOOLS = ["git_status", "disk_usage", "read_note", "preview_attachment", "daily_quote"];

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(args, { stdout: (t) => void (out += t), stderr: (t) => void (err += t) });
  return { code, out, err };
}

describe("npm run demo: the example server", () => {
  let findings: JsonFinding[];
  let json: { findings: JsonFinding[]; notes: { warnings: string[]; parseProblems: unknown[] } };
  const rows = readmeRows();

  beforeAll(async () => {
    const { code, out } = await run(["scan", EXAMPLE, "--format", "json", "--advisories", ADVISORIES]);
    expect(code).toBe(0);
    json = JSON.parse(out);
    findings = json.findings;
  }, 120_000);

  it("has a README table that names every planted problem once", () => {
    expect(rows.length).toBeGreaterThanOrEqual(15);
    expect(rows.map((r) => r.ruleId).sort()).toEqual(Object.keys(PLANTED).sort());
    expect(rows.filter((r) => r.dataFlow).map((r) => r.ruleId).sort()).toEqual(["MCPW-PATH-001", "MCPW-SSRF-001"]);
    for (const r of rows) expect(PLANTED[r.ruleId].path).toBe(r.path);
  });

  it("reports exactly the rules of the README table, at the files and tools it names", () => {
    const dataFlowIds = new Set(rows.filter((r) => r.dataFlow).map((r) => r.ruleId));
    const expected = rows.filter((r) => !r.dataFlow).map(label).sort();
    const actual = findings.filter((f) => !dataFlowIds.has(f.ruleId)).map(label).sort();
    expect(actual).toEqual(expected);
    // The data-flow rows, when their rules run, appear once each and nowhere else.
    for (const id of dataFlowIds) {
      const row = rows.find((r) => r.ruleId === id)!;
      expect(findings.filter((f) => f.ruleId === id).length).toBeLessThanOrEqual(1);
      for (const f of findings.filter((x) => x.ruleId === id)) expect(label(f)).toBe(label(row));
    }
  });

  it("reports each planted problem at its line", () => {
    for (const f of findings) {
      const at = PLANTED[f.ruleId];
      expect({ finding: label(f), path: f.path }).toEqual({ finding: label(f), path: at.path });
      const line = lineOf(at.path, at.text) + (at.offset ?? 0);
      expect({ finding: label(f), covers: covers(f, line) }).toEqual({ finding: label(f), covers: true });
    }
  });

  it("keeps every safe look-alike quiet", () => {
    for (const safe of LOOK_ALIKES) {
      const line = lineOf(safe.path, safe.text);
      const hits = findings.filter((f) => f.path === safe.path && covers(f, line)).map(label);
      expect({ lookAlike: `${safe.path}: ${safe.text}`, hits }).toEqual({ lookAlike: `${safe.path}: ${safe.text}`, hits: [] });
    }
    const tools = findings.map((f) => f.tool).filter(Boolean);
    for (const tool of SAFE_TOOLS) expect(tools).not.toContain(tool);
  });

  it("stays small enough to read, with no rule family failing and no file left unparsed", () => {
    expect(findings.length).toBeLessThanOrEqual(rows.length);
    expect(json.notes.warnings).toEqual([]);
    expect(json.notes.parseProblems).toEqual([]);
  });

  it("prints every expected rule in the issue body", async () => {
    const { code, out } = await run(["scan", EXAMPLE, "--advisories", ADVISORIES]);
    expect(code).toBe(0);
    for (const r of rows.filter((x) => !x.dataFlow)) expect(out).toContain(`\`${r.ruleId}\``);
  }, 120_000);
});
