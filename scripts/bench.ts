/**
 * Speed and memory of a whole scan on a synthetic repository, from a gzipped tarball in memory
 * (what the App does) to the rendered issue body. Numbers go in docs/performance.md; tests never
 * assert timings (machines here are shared and noisy).
 *
 *   npm run bench            # default size
 *   npm run bench -- 2       # scale factor (2 = twice the files)
 */
import { performance } from "node:perf_hooks";
import { gzipSync } from "node:zlib";
import { pack } from "tar-stream";
import { OsvDirectorySource } from "../lib/advisories/index.js";
import { collectDependencies } from "../lib/deps/index.js";
import { detectServers } from "../lib/detect/index.js";
import { extractFacts } from "../lib/extract/index.js";
import { renderIssueBody } from "../lib/report/index.js";
import { scanSnapshot } from "../lib/scan.js";
import { snapshotFromTarball } from "../lib/snapshot/index.js";

const scale = Number(process.argv[2] ?? "1") || 1;
const TS_FILES = 300 * scale;
const PY_FILES = 100 * scale;
const LOCK_PACKAGES = 3000;
const RUNS = 3;

function tsServerFile(i: number): string {
  const tools = Array.from({ length: 5 }, (_, t) => {
    const name = `tool_${i}_${t}`;
    const risky = t === 0 && i % 10 === 0;
    return `
server.tool(
  "${name}",
  "Looks up record ${t} of collection ${i}. Always provide the id as returned by list_${i}.",
  { id: z.string().describe("Record id"), limit: z.number().optional().describe("Max rows") },
  async ({ id, limit }) => {
    const rows = await db.query("SELECT * FROM t${i} WHERE id = $1 LIMIT $2", [id, limit ?? 10]);
    ${risky ? "const out = execSync(`grep -r ${id} /var/data`).toString();" : 'const out = execSync("uptime").toString();'}
    return { content: [{ type: "text", text: JSON.stringify(rows) + out }] };
  },
);`;
  });
  return `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { execSync } from "node:child_process";
import { z } from "zod";
import { db } from "./db.js";

const server = new McpServer({ name: "bench-${i}", version: "1.0.0" });
${tools.join("\n")}
export default server;
`;
}

function pyServerFile(i: number): string {
  const tools = Array.from({ length: 5 }, (_, t) => `
@mcp.tool()
def lookup_${i}_${t}(key: Annotated[str, Field(description="The key to look up")], limit: int = 10) -> str:
    """Looks up ${t} in table ${i}.

    Always pass the key exactly as the user wrote it.
    """
    ${t === 0 && i % 10 === 0 ? 'return subprocess.check_output(f"grep {key} /srv/data", shell=True).decode()' : 'return subprocess.run(["grep", "--", key, "/srv/data"], capture_output=True, text=True).stdout'}
`);
  return `import subprocess\nfrom typing import Annotated\nfrom pydantic import Field\nfrom mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP("bench-${i}")\n${tools.join("\n")}`;
}

function lockfile(): string {
  const packages: Record<string, unknown> = {
    "": { name: "bench", version: "1.0.0", dependencies: { "@modelcontextprotocol/sdk": "^1.11.0", express: "^4.18.0" } },
    "node_modules/@modelcontextprotocol/sdk": { version: "1.11.0" },
    "node_modules/express": { version: "4.18.2" },
  };
  for (let i = 0; i < LOCK_PACKAGES; i++) {
    packages[`node_modules/pkg-${i}`] = { version: `1.${i % 50}.${i % 7}`, integrity: `sha512-${"A".repeat(86)}==` };
  }
  return JSON.stringify({ name: "bench", version: "1.0.0", lockfileVersion: 3, requires: true, packages }, null, 2);
}

async function buildTarball(): Promise<{ tgz: Buffer; files: number; bytes: number }> {
  const entries: [string, string][] = [
    ["package.json", JSON.stringify({ name: "bench", dependencies: { "@modelcontextprotocol/sdk": "^1.11.0", express: "^4.18.0" } })],
    ["package-lock.json", lockfile()],
    ["py/pyproject.toml", '[project]\nname = "bench-py"\ndependencies = ["mcp==1.9.0"]\n'],
    [".mcp.json", JSON.stringify({ mcpServers: { a: { command: "npx", args: ["-y", "some-mcp"] } } })],
  ];
  for (let i = 0; i < TS_FILES; i++) entries.push([`src/tools/t${i}.ts`, tsServerFile(i)]);
  for (let i = 0; i < PY_FILES; i++) entries.push([`py/tools/t${i}.py`, pyServerFile(i)]);
  const archive = pack();
  const chunks: Buffer[] = [];
  archive.on("data", (c: unknown) => void chunks.push(c as Buffer));
  const done = new Promise<void>((resolve) => archive.on("end", () => resolve()));
  let bytes = 0;
  for (const [name, text] of entries) {
    bytes += Buffer.byteLength(text);
    archive.entry({ name: `octo-bench-0123456/${name}` }, text);
  }
  archive.finalize();
  await done;
  return { tgz: gzipSync(Buffer.concat(chunks)), files: entries.length, bytes };
}

async function timed<T>(fn: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const { tgz, files, bytes } = await buildTarball();
const advisories = new OsvDirectorySource("test/fixtures/advisories/osv");
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 5);

const stages: Record<string, number[]> = { tarball: [], detect: [], extract: [], deps: [], "full scan": [], render: [] };
let summary = "";
for (let run = 0; run < RUNS; run++) {
  const snap = await timed(() => snapshotFromTarball(tgz));
  stages.tarball.push(snap.ms);
  const det = await timed(() => detectServers(snap.value));
  stages.detect.push(det.ms);
  stages.extract.push((await timed(() => extractFacts(snap.value, det.value))).ms);
  stages.deps.push((await timed(() => collectDependencies(snap.value, det.value))).ms);
  const scan = await timed(() => scanSnapshot(snap.value, { advisorySource: advisories }));
  stages["full scan"].push(scan.ms);
  const body = await timed(() => renderIssueBody(scan.value, { owner: "octo", repo: "bench", sha: "0".repeat(40) }));
  stages.render.push(body.ms);
  summary = `${scan.value.servers.length} servers, ${scan.value.servers.reduce((n, s) => n + s.tools.length, 0)} tools, ` +
    `${scan.value.findings.length} findings, score ${scan.value.score.score}, body ${body.value.length} chars`;
}
clearInterval(sampler);

console.log(`repository: ${files} files, ${(bytes / 1024 / 1024).toFixed(1)} MiB of text, tarball ${(tgz.length / 1024).toFixed(0)} KiB gzipped, lockfile ${LOCK_PACKAGES} packages`);
console.log(`result: ${summary}`);
console.log(`median of ${RUNS} runs (ms):`);
for (const [stage, values] of Object.entries(stages)) console.log(`  ${stage.padEnd(10)} ${median(values).toFixed(0).padStart(6)}`);
console.log(`peak RSS: ${(peakRss / 1024 / 1024).toFixed(0)} MiB`);
