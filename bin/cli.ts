import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { OsvDirectorySource } from "../lib/advisories/index.js";
import { SEVERITIES, atLeast, type Severity } from "../lib/model.js";
import { renderIssueBody, renderJson, renderSarif } from "../lib/report/index.js";
import { scanSnapshot, type ScanOptions } from "../lib/scan.js";
import { snapshotFromDirectory } from "../lib/snapshot/index.js";
import { VERSION } from "../lib/version.js";

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

const USAGE = `Usage: mcp-warden scan DIR [options]

Scans the MCP server(s) in DIR and prints the report the GitHub App would post, or the
same findings as JSON or SARIF 2.1.0 (for GitHub code scanning).

Options:
  --format FORMAT          markdown (default: the exact issue body), json, or sarif
                           (SARIF 2.1.0 for github/codeql-action/upload-sarif)
  --fail-on SEVERITY       exit 1 when a finding at or above SEVERITY is reported
                           (critical, high, medium, low, info; default: never)
  --advisories DIR         check dependencies against the OSV advisory records (*.json) in DIR
  --config FILE            configuration file (default: DIR/.github/mcp-warden.yml when present)
  --repo OWNER/NAME        render permalinks to github.com for this repository
  --sha SHA                the commit the permalinks point at (with --repo; default: HEAD)
  -h, --help               show this help
  -v, --version            print the version

Exit codes: 0 scan done (and nothing at or above --fail-on), 1 findings at or above --fail-on,
2 usage error or the scan could not run.
`;

/** The command-line front end. Returns the process exit code; never calls process.exit. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: "string", default: "markdown" },
        "fail-on": { type: "string" },
        advisories: { type: "string" },
        config: { type: "string" },
        repo: { type: "string" },
        sha: { type: "string" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
      },
    });
  } catch (err) {
    io.stderr(`mcp-warden: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  if (values.version) {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  const [command, dir, ...extra] = positionals;
  if (command !== "scan" || !dir || extra.length > 0) {
    io.stderr(`mcp-warden: expected \`scan DIR\`\n\n${USAGE}`);
    return 2;
  }
  const format = values.format;
  if (format !== "markdown" && format !== "json" && format !== "sarif") {
    io.stderr(`mcp-warden: --format must be markdown, json or sarif, not ${JSON.stringify(format)}\n`);
    return 2;
  }
  const failOn = values["fail-on"];
  if (failOn !== undefined && !(SEVERITIES as readonly string[]).includes(failOn)) {
    io.stderr(`mcp-warden: --fail-on must be one of ${SEVERITIES.join(", ")}\n`);
    return 2;
  }
  const repoMatch = values.repo === undefined ? undefined : /^([\w.-]+)\/([\w.-]+)$/.exec(values.repo);
  if (values.repo !== undefined && !repoMatch) {
    io.stderr("mcp-warden: --repo must look like OWNER/NAME\n");
    return 2;
  }

  try {
    const snapshot = await snapshotFromDirectory(dir);
    const options: ScanOptions = {};
    if (values.config !== undefined) options.config = { text: await readFile(values.config, "utf8") };
    const osv = values.advisories === undefined ? undefined : new OsvDirectorySource(values.advisories);
    if (osv) options.advisorySource = osv;
    const result = await scanSnapshot(snapshot, options);
    // Skipped advisory files would make the dependency check look cleaner than it is: say so.
    for (const warning of osv?.warnings ?? []) io.stderr(`mcp-warden: advisory file skipped: ${warning}\n`);
    const sha = values.sha ?? (await headCommit(dir)) ?? "local";
    if (format === "json") io.stdout(renderJson(result, { sha }) + "\n");
    else if (format === "sarif") io.stdout(renderSarif(result, { sha, owner: repoMatch?.[1], repo: repoMatch?.[2] }) + "\n");
    else io.stdout(renderIssueBody(result, { owner: repoMatch?.[1], repo: repoMatch?.[2], sha }) + "\n");
    if (failOn !== undefined && result.findings.some((f) => atLeast(f.severity, failOn as Severity))) return 1;
    return 0;
  } catch (err) {
    io.stderr(`mcp-warden: ${(err as Error).message}\n`);
    return 2;
  }
}

/** HEAD of a git checkout, read from .git without running git; undefined when not a checkout. */
async function headCommit(dir: string): Promise<string | undefined> {
  try {
    const head = (await readFile(`${dir}/.git/HEAD`, "utf8")).trim();
    if (/^[0-9a-f]{40}$/.test(head)) return head;
    const ref = /^ref: (refs\/[\w./-]+)$/.exec(head)?.[1];
    if (!ref || ref.includes("..")) return undefined;
    const sha = (await readFile(`${dir}/.git/${ref}`, "utf8").catch(() => "")).trim();
    return /^[0-9a-f]{40}$/.test(sha) ? sha : undefined;
  } catch {
    return undefined;
  }
}
