import { dedupe, MAX_CAPS_PER_TOOL } from "./capabilities.js";
import type { CapabilitySummary, FileFacts, ImportedCallee, ToolCapability } from "./types.js";

/**
 * Second pass over the whole repository: calls a tool's handler makes into functions of other
 * files (`import { runGit } from "./git.js"`, `from .utils import run`, a Go function of the
 * same package) add that function's capabilities, with the chain of functions in `via`.
 * Resolution is deliberately simple (relative specifiers, module paths that name a file,
 * Go package folders); anything else is left unresolved rather than guessed.
 */

/** How many cross-file hops are followed from one tool. */
const MAX_HOPS = 4;
const MAX_FUNCTIONS_PER_TOOL = 50;

type FunctionSummary = CapabilitySummary["functions"][number];

interface Index {
  byPath: Map<string, Map<string, FunctionSummary>>;
  /** Go: package folder -> function name -> (file, summary). */
  goByDir: Map<string, Map<string, { path: string; fn: FunctionSummary }>>;
  /** Python: every .py path, for absolute module names. */
  pyPaths: string[];
}

function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}

function join(dir: string, rel: string): string | undefined {
  const parts = dir === "" ? [] : dir.split("/");
  for (const seg of rel.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.join("/");
}

function buildIndex(files: FileFacts[]): Index {
  const byPath = new Map<string, Map<string, FunctionSummary>>();
  const goByDir = new Map<string, Map<string, { path: string; fn: FunctionSummary }>>();
  const pyPaths: string[] = [];
  for (const f of files) {
    if (f.language === "python") pyPaths.push(f.path);
    const fns = f.capabilitySummary?.functions ?? [];
    const map = new Map<string, FunctionSummary>();
    for (const fn of fns) if (!map.has(fn.name)) map.set(fn.name, fn);
    byPath.set(f.path, map);
    if (f.language === "go") {
      const dir = dirname(f.path);
      const pkg = goByDir.get(dir) ?? new Map();
      for (const fn of fns) if (!pkg.has(fn.name)) pkg.set(fn.name, { path: f.path, fn });
      goByDir.set(dir, pkg);
    }
  }
  return { byPath, goByDir, pyPaths };
}

const JS_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs", ".jsx"];

function jsCandidates(base: string): string[] {
  const out = [base];
  const m = /\.(m|c)?jsx?$/.exec(base);
  if (m) {
    const stem = base.slice(0, -m[0].length);
    out.push(`${stem}.ts`, `${stem}.tsx`, `${stem}.${m[1] ?? ""}ts`.replace("..", "."));
  }
  for (const ext of JS_EXTENSIONS) out.push(`${base}${ext}`, `${base}/index${ext}`);
  return out;
}

function pyCandidates(from: string, module: string, pyPaths: string[]): string[] {
  const dots = /^\.*/.exec(module)![0].length;
  const rest = module.slice(dots).split(".").filter(Boolean).join("/");
  if (dots > 0) {
    let dir: string | undefined = dirname(from);
    for (let i = 1; i < dots && dir !== undefined; i++) dir = dir === "" ? undefined : dirname(dir);
    if (dir === undefined) return [];
    const base = rest ? join(dir, rest) : dir;
    if (base === undefined) return [];
    return rest ? [`${base}.py`, `${base}/__init__.py`] : [`${base}/__init__.py`];
  }
  if (!rest) return [];
  // Absolute: the file whose path ends with the module path, nearest to the importer first.
  const wanted = [`${rest}.py`, `${rest}/__init__.py`];
  const matches = pyPaths.filter((p) => wanted.some((w) => p === w || p.endsWith(`/${w}`)));
  const fromDir = dirname(from);
  return matches.sort((a, b) => commonPrefix(b, fromDir) - commonPrefix(a, fromDir) || (a < b ? -1 : a > b ? 1 : 0));
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** Where a callee's function lives: its file and summary, or undefined when not in the repository. */
function resolveCallee(index: Index, from: FileFacts, callee: ImportedCallee): { path: string; fn: FunctionSummary } | undefined {
  if (from.language === "go") {
    let dir: string | undefined;
    if (callee.module === "") dir = dirname(from.path);
    else {
      let best = -1;
      for (const d of index.goByDir.keys()) {
        if (d !== "" && (callee.module === d || callee.module.endsWith(`/${d}`)) && d.length > best) {
          best = d.length;
          dir = d;
        }
      }
    }
    return dir === undefined ? undefined : index.goByDir.get(dir)?.get(callee.name);
  }
  const candidates =
    from.language === "python"
      ? [...pyCandidates(from.path, callee.module, index.pyPaths)]
      : (() => {
          const base = join(dirname(from.path), callee.module);
          return base === undefined ? [] : jsCandidates(base);
        })();
  for (const path of candidates) {
    const fn = index.byPath.get(path)?.get(callee.name);
    if (fn) return { path, fn };
  }
  if (from.language === "python") {
    // `from .pkg import helper` where `helper` is a module: `helper.run()` was recorded as ".pkg.helper".
    return undefined;
  }
  return undefined;
}

/** Add the capabilities of functions in other files to the tools that call them. Frees the summaries. */
export function linkCapabilities(files: FileFacts[]): void {
  const index = buildIndex(files);
  const byPath = new Map(files.map((f) => [f.path, f]));
  for (const file of files) {
    const summary = file.capabilitySummary;
    if (!summary) continue;
    file.tools.forEach((tool, i) => {
      const pending = summary.toolCallees[i] ?? [];
      if (pending.length === 0 || !tool.capabilities) return;
      const added: ToolCapability[] = [];
      const seen = new Set<string>();
      const queue: { callee: ImportedCallee; from: FileFacts; hops: number }[] = pending.map((callee) => ({ callee, from: file, hops: 1 }));
      for (let q = 0; q < queue.length && seen.size < MAX_FUNCTIONS_PER_TOOL; q++) {
        const { callee, from, hops } = queue[q]!;
        const found = resolveCallee(index, from, callee);
        if (!found) continue;
        const key = `${found.path}#${callee.name}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const name = callee.name.replace(/^#/, "");
        const via = [...callee.via, name];
        for (const c of found.fn.capabilities) added.push({ ...c, via: [...via, ...c.via] });
        const next = byPath.get(found.path);
        if (!next || hops >= MAX_HOPS) continue;
        for (const c of found.fn.callees) queue.push({ callee: { ...c, via: [...via, ...c.via] }, from: next, hops: hops + 1 });
      }
      if (added.length > 0) tool.capabilities = dedupe([...tool.capabilities, ...added]).slice(0, MAX_CAPS_PER_TOOL);
    });
  }
  for (const file of files) delete file.capabilitySummary;
}
