/**
 * Parsing speed and memory on a generated 5,000-file repository (mixed TypeScript, Python and
 * Go, realistic file sizes, one tool file in five, helpers imported across files): what
 * `extractFacts` costs (tree-sitter parse, tools, shell calls, data flows, capabilities and the
 * cross-file pass). Numbers go in docs/performance.md; tests never assert timings.
 *
 *   npm run build && node dist/scripts/bench-parse.js          # 5,000 files
 *   node dist/scripts/bench-parse.js 2000                       # another size
 */
import { performance } from "node:perf_hooks";
import { detectServers } from "../lib/detect/index.js";
import { extractFacts } from "../lib/extract/index.js";
import type { RepoSnapshot } from "../lib/snapshot/types.js";

const FILES = Number(process.argv[2] ?? "5000") || 5000;
const RUNS = 3;

/** A pseudo-random but repeatable sequence, so every run measures the same repository. */
let seed = 42;
function rand(n: number): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
}

function tsLibrary(i: number): string {
  const fns = Array.from({ length: 8 + rand(8) }, (_, f) => `
/** Formats record ${f} of module ${i}, trimming and normalising the fields the API returns. */
export function format${f}(input: { id: string; name?: string; tags?: string[] }, options: { upper?: boolean } = {}): string {
  const name = (input.name ?? "").trim();
  const tags = (input.tags ?? []).filter((t) => t.length > 0).map((t) => t.toLowerCase()).join(", ");
  const label = options.upper ? name.toUpperCase() : name;
  if (!label) {
    return \`#\${input.id}\`;
  }
  return \`\${label} (\${input.id})\${tags ? \` [\${tags}]\` : ""}\`;
}`);
  return `import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

const CACHE_DIR = process.env.CACHE_DIR ?? "/tmp/cache";

export async function load${i}(key: string): Promise<string | undefined> {
  try {
    return await readFile(join(CACHE_DIR, key), "utf8");
  } catch {
    return undefined;
  }
}

export async function store${i}(key: string, value: string): Promise<void> {
  await writeFile(join(CACHE_DIR, key), value);
}
${fns.join("\n")}
`;
}

function tsTools(i: number, libs: number): string {
  const lib = rand(libs);
  const tools = Array.from({ length: 4 }, (_, t) => `
server.registerTool(
  "records_${i}_${t}",
  {
    title: "Records ${t}",
    description: "Looks up records in collection ${i}. Always pass the id exactly as returned by the list tool.",
    inputSchema: { id: z.string().describe("Record id"), limit: z.number().optional().describe("Maximum rows") },
    annotations: { readOnlyHint: ${t !== 3} },
  },
  async ({ id, limit }) => {
    const cached = await load${lib}(id);
    if (cached) return { content: [{ type: "text", text: cached }] };
    const res = await fetch(\`https://api.example.com/records/\${encodeURIComponent(id)}?limit=\${limit ?? 10}\`);
    const text = await res.text();
    ${t === 3 ? "await store" + lib + "(id, text);" : ""}
    ${t === 0 && i % 10 === 0 ? 'const out = execSync(`grep -r ${id} /var/data`).toString();' : 'const out = "";'}
    return { content: [{ type: "text", text: text + out }] };
  },
);`);
  return `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { execSync } from "node:child_process";
import { z } from "zod";
import { load${lib}, store${lib} } from "../lib/lib${lib}.js";

export function register${i}(server: McpServer): void {
${tools.join("\n")}
}
`;
}

function pyLibrary(i: number): string {
  const fns = Array.from({ length: 8 + rand(8) }, (_, f) => `

def normalise_${f}(record: dict, *, upper: bool = False) -> str:
    """Normalise record ${f} of module ${i}: trim the fields and join the tags."""
    name = (record.get("name") or "").strip()
    tags = ", ".join(t.lower() for t in record.get("tags", []) if t)
    label = name.upper() if upper else name
    if not label:
        return f"#{record['id']}"
    return f"{label} ({record['id']})" + (f" [{tags}]" if tags else "")`);
  return `import os
import shutil
from pathlib import Path

CACHE = Path(os.environ.get("CACHE_DIR", "/tmp/cache"))


def load_${i}(key: str) -> str | None:
    path = CACHE / key
    return path.read_text() if path.exists() else None


def purge_${i}(key: str) -> None:
    shutil.rmtree(CACHE / key, ignore_errors=True)
${fns.join("")}
`;
}

function pyTools(i: number, libs: number): string {
  const lib = rand(libs);
  const tools = Array.from({ length: 4 }, (_, t) => `

@mcp.tool(annotations={"readOnlyHint": ${t !== 3 ? "True" : "False"}})
async def lookup_${i}_${t}(key: Annotated[str, Field(description="The key to look up")], limit: int = 10) -> str:
    """Looks up ${t} in table ${i}.

    Always pass the key exactly as the user wrote it.
    """
    cached = lib${lib}.load_${lib}(key)
    if cached:
        return cached
    async with httpx.AsyncClient() as client:
        res = await client.get(f"https://api.example.com/{key}", params={"limit": limit})
    ${t === 3 ? `lib${lib}.purge_${lib}(key)` : "pass"}
    ${t === 0 && i % 10 === 0 ? 'return subprocess.check_output(f"grep {key} /srv/data", shell=True).decode()' : "return res.text"}`);
  return `import subprocess
from typing import Annotated

import httpx
from pydantic import Field

from .app import mcp
from .lib import lib${lib}
${tools.join("")}
`;
}

function goFile(i: number, tools: boolean): string {
  const helpers = Array.from({ length: 6 + rand(6) }, (_, f) => `
// format${i}x${f} renders record ${f} for display.
func format${i}x${f}(id string, name string, tags []string) string {
	name = strings.TrimSpace(name)
	if name == "" {
		return "#" + id
	}
	return fmt.Sprintf("%s (%s) [%s]", name, id, strings.Join(tags, ", "))
}`);
  const tool = tools
    ? `
func register${i}(s *server.MCPServer) {
	tool := mcp.NewTool("fetch_${i}",
		mcp.WithDescription("Fetches record ${i} from the upstream API."),
		mcp.WithString("id", mcp.Required(), mcp.Description("Record id")),
	)
	s.AddTool(tool, handle${i})
}

func handle${i}(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	id, _ := req.RequireString("id")
	resp, err := http.Get("https://api.example.com/records/" + id)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	_ = os.Getenv("API_TOKEN")
	return mcp.NewToolResultText(format${i}x0(id, "", nil)), nil
}
`
    : "";
  return `package tools

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

var _ = context.Background
var _ = http.Get
var _ = os.Getenv
var _ = mcp.NewTool
var _ *server.MCPServer
${helpers.join("\n")}
${tool}`;
}

function buildSnapshot(): { snapshot: RepoSnapshot; bytes: number; byLang: Record<string, number> } {
  const files = new Map<string, string>();
  const ts = Math.round(FILES * 0.5);
  const py = Math.round(FILES * 0.3);
  const go = FILES - ts - py;
  const tsLibs = Math.round(ts * 0.8);
  const pyLibs = Math.round(py * 0.8);
  files.set("ts/package.json", JSON.stringify({ name: "bench-ts", dependencies: { "@modelcontextprotocol/sdk": "^1.24.0", zod: "^3.23.8" } }));
  files.set("py/pyproject.toml", '[project]\nname = "bench-py"\ndependencies = ["mcp>=1.9"]\n');
  files.set("py/bench/app.py", 'from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP("bench")\n');
  files.set("go/go.mod", "module example.com/bench\n\ngo 1.22\n\nrequire github.com/mark3labs/mcp-go v0.32.0\n");
  for (let i = 0; i < tsLibs; i++) files.set(`ts/src/lib/lib${i}.ts`, tsLibrary(i));
  for (let i = 0; i < ts - tsLibs; i++) files.set(`ts/src/tools/tools${i}.ts`, tsTools(i, tsLibs));
  for (let i = 0; i < pyLibs; i++) files.set(`py/bench/lib/lib${i}.py`, pyLibrary(i));
  for (let i = 0; i < py - pyLibs - 1; i++) files.set(`py/bench/tools/tools${i}.py`, pyTools(i, pyLibs));
  for (let i = 0; i < go; i++) files.set(`go/tools/f${i}.go`, goFile(i, i % 5 === 0));
  let bytes = 0;
  const byLang: Record<string, number> = { ts: 0, py: 0, go: 0 };
  for (const [path, text] of files) {
    bytes += Buffer.byteLength(text);
    const ext = path.slice(path.lastIndexOf(".") + 1);
    if (ext in byLang) byLang[ext]++;
  }
  return { snapshot: { files, notes: [], truncated: false, totalBytes: bytes }, bytes, byLang };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const { snapshot, bytes, byLang } = buildSnapshot();
const servers = detectServers(snapshot);
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 5);
const times: number[] = [];
let summary = "";
for (let run = 0; run < RUNS; run++) {
  const start = performance.now();
  const facts = await extractFacts(snapshot, servers);
  times.push(performance.now() - start);
  const tools = facts.files.flatMap((f) => f.tools);
  const withCaps = tools.filter((t) => t.capabilities !== undefined);
  const crossFile = withCaps.filter((t) => t.capabilities!.some((c) => c.span.path !== t.span.path)).length;
  summary =
    `${facts.files.length} files parsed, ${tools.length} tools (${withCaps.length} with a located handler, ` +
    `${crossFile} with capabilities from another file), ${facts.files.reduce((n, f) => n + f.problems.length, 0)} parse problems`;
}
clearInterval(sampler);

const snapshotFiles = [...snapshot.files.keys()].length;
console.log(`repository: ${snapshotFiles} files (${byLang.ts} .ts, ${byLang.py} .py, ${byLang.go} .go), ${(bytes / 1024 / 1024).toFixed(1)} MiB of source, ${servers.length} servers detected`);
console.log(`result: ${summary}`);
console.log(`extractFacts, median of ${RUNS} runs: ${median(times).toFixed(0)} ms (${((median(times) / snapshotFiles) * 1000).toFixed(0)} µs per file); runs: ${times.map((t) => t.toFixed(0)).join(", ")} ms`);
console.log(`peak RSS: ${(peakRss / 1024 / 1024).toFixed(0)} MiB`);
