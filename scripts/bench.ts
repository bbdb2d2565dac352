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
import { fetchAdvisories } from "../lib/advisories/fetch.js";
import type { Advisory, AdvisorySource, PackageQuery } from "../lib/advisories/types.js";
import type { Ecosystem } from "../lib/deps/types.js";
import type { ExtractedFacts } from "../lib/extract/types.js";
import { emptyManifests } from "../lib/manifests/index.js";
import { dependencySupplyChain } from "../lib/rules/dependency-supply-chain.js";
import { vulnerableDependency } from "../lib/rules/vulnerable-dependency.js";

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

// ---- Dependencies: resolving and matching a 3,000-package lockfile --------------------------
// A lockfile with a real dependency graph (each package needs two others, some installed twice
// at different versions), in npm and yarn form, matched against the real advisory records plus
// a synthetic set the size of a busy ecosystem's (two advisories, two ranges each, on every
// fifth package), then run through the dependency rules.

const DEP_RUNS = 5;

function graphVersion(i: number, nested = false): string {
  return nested ? `2.${i % 40}.${i % 5}` : `1.${i % 50}.${i % 7}`;
}

function graphLockfiles(): { npm: string; yarn: string; manifest: string } {
  const deps = (i: number) => [2 * i + 1, 2 * i + 2].filter((j) => j < LOCK_PACKAGES);
  const direct = { "@modelcontextprotocol/sdk": "^1.11.0", "pkg-0": "^1.0.0" };
  const packages: Record<string, unknown> = {
    "": { name: "bench-deps", version: "1.0.0", dependencies: direct },
    "node_modules/@modelcontextprotocol/sdk": { version: "1.11.0", dependencies: { "pkg-1": "^1.0.0" } },
  };
  const yarn: string[] = ["# yarn lockfile v1", "", '"@modelcontextprotocol/sdk@^1.11.0":', '  version "1.11.0"', "  dependencies:", '    pkg-1 "^1.0.0"', ""];
  for (let i = 0; i < LOCK_PACKAGES; i++) {
    const needs = Object.fromEntries(deps(i).map((j) => [`pkg-${j}`, j % 10 === 0 ? "^2.0.0" : "^1.0.0"]));
    packages[`node_modules/pkg-${i}`] = { version: graphVersion(i), integrity: `sha512-${"A".repeat(86)}==`, dependencies: needs };
    yarn.push(`pkg-${i}@^1.0.0:`, `  version "${graphVersion(i)}"`, `  integrity sha512-${"A".repeat(86)}==`);
    if (deps(i).length > 0) yarn.push("  dependencies:", ...Object.entries(needs).map(([n, r]) => `    ${n} "${r}"`));
    yarn.push("");
    // Every tenth package is also installed at a second major version, nested under its parent.
    if (i % 10 === 0 && i > 0) {
      const parent = Math.floor((i - 1) / 2);
      packages[`node_modules/pkg-${parent}/node_modules/pkg-${i}`] = { version: graphVersion(i, true) };
      yarn.push(`pkg-${i}@^2.0.0:`, `  version "${graphVersion(i, true)}"`, "");
    }
  }
  return {
    npm: JSON.stringify({ name: "bench-deps", version: "1.0.0", lockfileVersion: 3, requires: true, packages }, null, 2),
    yarn: yarn.join("\n"),
    manifest: JSON.stringify({ name: "bench-deps", dependencies: direct }),
  };
}

/** Advisories held in memory, answered by name like the OSV and GitHub sources. */
class MemoryAdvisories implements AdvisorySource {
  private readonly byName = new Map<string, Advisory[]>();
  constructor(list: Advisory[]) {
    for (const a of list) this.byName.set(`${a.ecosystem}\0${a.package}`, [...(this.byName.get(`${a.ecosystem}\0${a.package}`) ?? []), a]);
  }
  async lookup(ecosystem: Ecosystem, packages: PackageQuery[]): Promise<Advisory[]> {
    return [...new Set(packages.map((p) => p.name))].flatMap((n) => this.byName.get(`${ecosystem}\0${n}`) ?? []);
  }
  get size(): number {
    return [...this.byName.values()].reduce((n, l) => n + l.length, 0);
  }
}

async function advisorySet(): Promise<MemoryAdvisories> {
  const real: Advisory[] = [];
  const osv = new OsvDirectorySource("test/fixtures/advisories/osv");
  for (const [eco, names] of [["npm", ["@modelcontextprotocol/sdk", "mcp-remote", "express", "ws", "path-to-regexp", "semver", "undici"]], ["PyPI", ["mcp"]]] as const) {
    real.push(...(await osv.lookup(eco, names.map((name) => ({ name, version: "0" })))));
  }
  const synthetic: Advisory[] = [];
  for (let i = 0; i < LOCK_PACKAGES; i += 5) {
    for (const k of [0, 1]) {
      synthetic.push({
        id: `GHSA-bench-${i}-${k}`,
        aliases: [`CVE-2099-${i * 2 + k}`],
        summary: `Synthetic advisory ${k} for pkg-${i}`,
        severity: k === 0 ? "high" : "medium",
        ecosystem: "npm",
        package: `pkg-${i}`,
        ranges: k === 0 ? [{ introduced: "0", fixed: "1.10.0" }, { introduced: "1.20.0", fixed: "1.30.5" }] : [{ introduced: "1.40.0", lastAffected: "1.45.9" }, { introduced: "2.0.0", fixed: "2.20.0" }],
        withdrawn: false,
      });
    }
  }
  return new MemoryAdvisories([...real, ...synthetic]);
}

async function dependencyBench(): Promise<void> {
  const locks = graphLockfiles();
  const source = await advisorySet();
  const servers = [{ root: ".", name: "bench-deps", language: "typescript" as const, frameworks: [], evidence: [] }];
  const emptyFacts = { files: [] } as unknown as ExtractedFacts;
  for (const [format, lockName, lockText] of [["package-lock.json", "package-lock.json", locks.npm], ["yarn.lock", "yarn.lock", locks.yarn]] as const) {
    const files = new Map([["package.json", locks.manifest], [lockName, lockText]]);
    const snapshot = { files, notes: [], truncated: false, totalBytes: lockText.length };
    const resolve: number[] = [];
    const match: number[] = [];
    let line = "";
    for (let run = 0; run < DEP_RUNS; run++) {
      const deps = await timed(() => collectDependencies(snapshot, servers));
      resolve.push(deps.ms);
      const matched = await timed(async () => {
        const advisories = await fetchAdvisories(source, deps.value);
        const ctx = { snapshot, servers, facts: emptyFacts, deps: deps.value, advisories, manifests: emptyManifests() };
        return [...vulnerableDependency.run(ctx), ...dependencySupplyChain.run(ctx)];
      });
      match.push(matched.ms);
      const deepest = Math.max(...deps.value.dependencies.map((d) => d.via?.length ?? 1));
      line = `${deps.value.dependencies.length} packages resolved (longest chain ${deepest}), ${matched.value.length} findings`;
    }
    console.log(`dependencies (${format}, ${source.size} advisories): ${line}; median of ${DEP_RUNS} runs: resolve ${median(resolve).toFixed(0)} ms, match ${median(match).toFixed(0)} ms`);
  }
}

await dependencyBench();
