import { parse as parseToml } from "smol-toml";
import type { DependencyCollector } from "./collector.js";
import { parseJsonTree, entriesOf, childOf, stringOf } from "./json.js";
import { parseDirectReference, parsePep508, parseRequirements, type Requirement, type RequirementsFile } from "./requirements.js";
import { deploymentFiles, nameFromReference, pythonSource } from "./sources.js";
import { ancestors, dirOf, joinPath, LineIndex, normalizePath, normalizePypiName, relativeTo } from "./text.js";

/** A requirement declared in pyproject.toml, with its line. */
interface DeclaredReq extends Requirement {
  line: number;
}

interface Pyproject {
  path: string;
  /** PEP 503-normalised project name, when [project].name or [tool.poetry].name is set. */
  projectName?: string;
  requirements: DeclaredReq[];
  /** Dependencies from git, URLs or paths (PEP 508 `@`, Poetry tables, [tool.uv.sources]). */
  references: { name: string; reference: string; line: number; git?: boolean; commit?: string }[];
}

interface LockPackage {
  name: string;
  version: string;
  line: number;
  /** PEP 503-normalised names of what this package depends on. */
  requires: string[];
  /** Installed from the folder itself (editable/virtual/path): the project, not a dependency. */
  local: boolean;
}

interface PyLock {
  path: string;
  packages: LockPackage[];
}

type Table = Record<string, unknown>;

const isTable = (v: unknown): v is Table => typeof v === "object" && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

/** Reads pyproject.toml, requirements*.txt, uv.lock and poetry.lock, each parsed once per scan. */
export class PythonReader {
  private readonly pyprojects = new Map<string, Pyproject | null>();
  private readonly locks = new Map<string, PyLock | null>();
  private readonly requirementFiles = new Map<string, RequirementsFile | null>();

  constructor(
    private readonly files: Map<string, string>,
    private readonly out: DependencyCollector,
  ) {}

  collect(root: string, server: string): void {
    const pyproject = this.pyproject(joinPath(root, "pyproject.toml"));
    const pipfile = this.pipfile(joinPath(root, "Pipfile"));
    const directNames = new Set([...(pyproject?.requirements ?? []), ...(pipfile?.requirements ?? [])].map((r) => normalizePypiName(r.name)));
    const { resolved: locked, path: lockPath } = this.fromLock(root, pyproject, directNames, server);
    const requirementPaths = this.requirementPaths(root);
    this.declare(root, server, pyproject, pipfile, requirementPaths, lockPath);

    // Lockfile first: a pin elsewhere for a package the lockfile resolved would only repeat it.
    for (const req of pyproject?.requirements ?? []) {
      if (!locked.has(normalizePypiName(req.name))) this.addRequirement(req, pyproject!.path, req.line, server);
    }
    for (const req of pipfile?.requirements ?? []) {
      if (!locked.has(normalizePypiName(req.name))) this.addRequirement(req, pipfile!.path, req.line, server);
    }
    for (const path of requirementPaths) {
      const file = this.requirements(path);
      for (const req of file?.requirements ?? []) {
        if (locked.has(normalizePypiName(req.name))) continue;
        const transitive = req.via.length > 0 && !req.viaInput;
        this.addRequirement(req, path, req.line, server, transitive ? [req.via[0], req.name] : undefined);
      }
    }
  }

  /** Declarations and the project entry of this folder, for the supply-chain rules. */
  private declare(root: string, server: string, pyproject: Pyproject | undefined, pipfile: Pyproject | undefined, reqPaths: string[], lockPath: string | undefined): void {
    const manifests: { path: string; requirements: DeclaredReq[]; references: Pyproject["references"] }[] = [];
    if (pyproject) manifests.push(pyproject);
    if (pipfile) manifests.push(pipfile);
    for (const path of reqPaths) {
      const file = this.requirements(path);
      if (!file) continue;
      manifests.push({
        path,
        requirements: file.requirements,
        references: file.references.map((r) => ({ name: r.name ?? nameFromReference(r.reference), reference: r.reference, line: r.line })),
      });
    }
    if (manifests.length === 0) return;
    let registry = 0;
    for (const m of manifests) {
      const dir = dirOf(m.path);
      for (const req of m.requirements) {
        registry++;
        this.out.declare({ ecosystem: "PyPI", name: req.name, spec: req.specifier, source: "registry", path: m.path, line: req.line, server });
      }
      for (const ref of m.references) {
        // Tables name git explicitly (and the commit apart from the URL); strings are read as URLs or paths.
        const info = ref.git ? { source: "git" as const, ...(ref.commit ? { commit: ref.commit } : {}) } : pythonSource(ref.reference, dir);
        this.out.declare({ ecosystem: "PyPI", name: ref.name, spec: ref.reference, ...info, path: m.path, line: ref.line, server });
      }
    }
    // pip-compile output (every requirement pinned with ==) pins as well as a lockfile does.
    const reqFiles = reqPaths.map((p) => this.requirements(p)).filter((f): f is RequirementsFile => f !== undefined);
    const fullyPinned = reqFiles.length > 0 && reqFiles.some((f) => f.requirements.length > 0) && reqFiles.every((f) => f.requirements.every((r) => r.pinned !== undefined));
    const lockfile = lockPath ?? (fullyPinned ? reqPaths[0] : undefined) ?? this.otherLock(root);
    this.out.project({
      ecosystem: "PyPI",
      manifest: manifests[0].path,
      server,
      ...(lockfile ? { lockfile } : {}),
      deployedBy: deploymentFiles(this.files, root),
      registryDependencies: registry,
    });
  }

  /** Lockfiles this reader does not parse still pin what gets installed. */
  private otherLock(root: string): string | undefined {
    return ["pdm.lock", "pylock.toml"].map((n) => joinPath(root, n)).find((p) => this.files.has(p));
  }

  private addRequirement(req: Requirement, path: string, line: number, server: string, via?: string[]): void {
    this.out.add({
      ecosystem: "PyPI",
      name: req.name,
      ...(req.pinned !== undefined ? { version: req.pinned, resolvedFrom: "manifest-pin" as const } : {}),
      ...(req.specifier !== "" ? { declared: req.specifier } : {}),
      direct: via === undefined,
      path,
      line,
      ...(via ? { via } : {}),
      server,
    });
  }

  /**
   * uv.lock or poetry.lock in the server folder (everything in it), or a uv workspace lockfile
   * further up (only what the server's own project pulls in). Returns the names it resolved.
   */
  private fromLock(root: string, pyproject: Pyproject | undefined, directNames: Set<string>, server: string): { resolved: Set<string>; path?: string } {
    for (const dir of ancestors(root)) {
      const own = relativeTo(dir, root) === "";
      for (const name of own ? ["uv.lock", "poetry.lock", "Pipfile.lock"] : ["uv.lock"]) {
        const path = joinPath(dir, name);
        if (!this.files.has(path)) continue;
        const lock = this.lock(path);
        if (!lock) return { resolved: new Set(), path };
        if (own) return { resolved: this.recordLock(lock, directNames, server, undefined), path };
        const project = pyproject?.projectName;
        if (project && lock.packages.some((p) => p.local && normalizePypiName(p.name) === project)) {
          return { resolved: this.recordLock(lock, directNames, server, project), path };
        }
      }
    }
    return { resolved: new Set() };
  }

  private recordLock(lock: PyLock, directNames: Set<string>, server: string, project: string | undefined): Set<string> {
    const byName = new Map<string, LockPackage>();
    for (const p of lock.packages) if (!byName.has(normalizePypiName(p.name))) byName.set(normalizePypiName(p.name), p);

    // Shortest chains from the direct dependencies (or from the workspace member's own entry).
    const starts = project ? (byName.get(project)?.requires ?? []) : [...directNames];
    const chains = new Map<string, string[]>();
    const queue: string[] = [];
    for (const n of starts) {
      const p = byName.get(n);
      if (p && !chains.has(n)) {
        chains.set(n, [p.name]);
        queue.push(n);
      }
    }
    for (let i = 0; i < queue.length; i++) {
      const chain = chains.get(queue[i])!;
      for (const req of byName.get(queue[i])?.requires ?? []) {
        const p = byName.get(req);
        if (!p || chains.has(req) || chain.length >= 64) continue;
        chains.set(req, [...chain, p.name]);
        queue.push(req);
      }
    }

    const resolved = new Set<string>();
    for (const p of lock.packages) {
      const key = normalizePypiName(p.name);
      const chain = chains.get(key);
      if (p.local || (project && !chain)) continue;
      resolved.add(key);
      this.out.add({
        ecosystem: "PyPI",
        name: p.name,
        version: p.version,
        resolvedFrom: "lockfile",
        direct: directNames.has(key) || chain?.length === 1,
        path: lock.path,
        line: p.line,
        ...(chain && chain.length > 1 ? { via: chain } : {}),
        server,
      });
    }
    return resolved;
  }

  /** requirements*.txt and requirements/*.txt in the folder, plus files they include with -r. */
  private requirementPaths(root: string): string[] {
    const prefix = root === "." ? "" : `${root}/`;
    const start: string[] = [];
    for (const path of this.files.keys()) {
      if (!path.startsWith(prefix)) continue;
      const rest = path.slice(prefix.length);
      if (/^requirements[^/]*\.txt$/i.test(rest) || /^requirements\/[^/]+\.txt$/i.test(rest)) start.push(path);
    }
    start.sort();
    const seen = new Set<string>();
    const order: string[] = [];
    const queue = [...start];
    while (queue.length > 0 && seen.size < 200) {
      const path = queue.shift()!;
      if (seen.has(path) || !this.files.has(path)) continue;
      seen.add(path);
      order.push(path);
      for (const inc of this.requirements(path)?.includes ?? []) {
        const target = normalizePath(joinPath(dirOf(path), inc));
        if (target && target !== "." && !seen.has(target)) queue.push(target);
      }
    }
    return order;
  }

  private requirements(path: string): RequirementsFile | undefined {
    if (!this.requirementFiles.has(path)) {
      const text = this.files.get(path);
      this.requirementFiles.set(path, text === undefined ? null : parseRequirements(text));
    }
    return this.requirementFiles.get(path) ?? undefined;
  }

  private pyproject(path: string): Pyproject | undefined {
    if (!this.pyprojects.has(path)) this.pyprojects.set(path, this.readPyproject(path));
    return this.pyprojects.get(path) ?? undefined;
  }

  private readPyproject(path: string): Pyproject | null {
    const text = this.files.get(path);
    if (text === undefined) return null;
    const doc = this.toml(path, text);
    if (!doc) return null;
    const lines = new LineIndex(text);
    const finder = new LineFinder(text, lines);
    const requirements: DeclaredReq[] = [];
    const project = isTable(doc.project) ? doc.project : {};

    const references: Pyproject["references"] = [];
    const pep508 = (list: unknown) => {
      for (const s of strings(list)) {
        const req = parsePep508(s);
        if (req) requirements.push({ ...req, line: finder.literal(s) });
        else {
          const direct = parseDirectReference(s);
          if (direct) references.push({ ...direct, line: finder.literal(s) });
        }
      }
    };
    pep508(project.dependencies);
    if (isTable(project["optional-dependencies"])) for (const list of Object.values(project["optional-dependencies"])) pep508(list);
    // PEP 735 groups; `{ include-group = ... }` entries are tables and are skipped by strings().
    if (isTable(doc["dependency-groups"])) for (const list of Object.values(doc["dependency-groups"])) pep508(list);

    const tool = isTable(doc.tool) ? doc.tool : {};
    const poetry = isTable(tool.poetry) ? tool.poetry : {};
    const poetryTables: unknown[] = [poetry.dependencies, poetry["dev-dependencies"]];
    if (isTable(poetry.group)) for (const g of Object.values(poetry.group)) if (isTable(g)) poetryTables.push(g.dependencies);
    for (const table of poetryTables) {
      if (!isTable(table)) continue;
      for (const [name, value] of Object.entries(table)) {
        if (name.toLowerCase() === "python") continue;
        const spec = typeof value === "string" ? value : isTable(value) && typeof value.version === "string" ? value.version : undefined;
        if (spec === undefined) {
          // git / path / url dependencies
          if (isTable(value)) references.push(tableReference(name, value, finder.key(name)));
          continue;
        }
        requirements.push({ ...poetryRequirement(name, spec), line: finder.key(name) });
      }
    }
    // uv: [tool.uv.sources] sends a declared dependency to git, a URL or a path instead of PyPI.
    const uv = isTable(tool.uv) ? tool.uv : {};
    if (isTable(uv.sources)) {
      for (const [name, value] of Object.entries(uv.sources)) {
        if (!isTable(value) || value.workspace === true || typeof value.index === "string") continue;
        references.push(tableReference(name, value, finder.key(name)));
      }
    }

    const rawName = typeof project.name === "string" ? project.name : typeof poetry.name === "string" ? poetry.name : undefined;
    return { path, ...(rawName ? { projectName: normalizePypiName(rawName) } : {}), requirements, references };
  }

  private lock(path: string): PyLock | undefined {
    if (!this.locks.has(path)) this.locks.set(path, this.readLock(path));
    return this.locks.get(path) ?? undefined;
  }

  /** uv.lock and poetry.lock share the `[[package]]` name/version layout; Pipfile.lock is JSON. */
  private readLock(path: string): PyLock | null {
    const text = this.files.get(path) ?? "";
    if (path.endsWith("Pipfile.lock")) return this.readPipfileLock(path, text);
    const doc = this.toml(path, text);
    if (!doc) return null;
    const lines = new LineIndex(text);
    const headers: number[] = [];
    for (const m of text.matchAll(/^\[\[package\]\][ \t]*\r?$/gm)) headers.push(lines.lineAt(m.index));
    const list = Array.isArray(doc.package) ? doc.package.filter(isTable) : [];
    const finder = new LineFinder(text, lines);
    const packages: LockPackage[] = [];
    list.forEach((p, i) => {
      if (typeof p.name !== "string" || typeof p.version !== "string") return;
      const source = isTable(p.source) ? p.source : undefined;
      const local =
        source !== undefined &&
        ("editable" in source || "virtual" in source || "directory" in source || "path" in source ||
          ["directory", "file", "git", "url"].includes(String(source.type)));
      const requires = Array.isArray(p.dependencies)
        ? p.dependencies.filter(isTable).map((d) => String(d.name ?? ""))
        : isTable(p.dependencies) ? Object.keys(p.dependencies) : [];
      packages.push({
        name: p.name,
        version: p.version,
        // Headers line up with entries unless a multi-line string fooled the scan.
        line: headers.length === list.length ? headers[i] : finder.literal(p.name),
        requires: requires.filter(Boolean).map(normalizePypiName),
        local,
      });
    });
    return { path, packages };
  }

  /**
   * Pipfile.lock: `default` and `develop` map each installed project to `"version": "==x"`; it
   * records no graph, so only what the Pipfile names is direct. VCS and path entries carry no version.
   */
  private readPipfileLock(path: string, text: string): PyLock | null {
    const lines = new LineIndex(text);
    const json = parseJsonTree(text, lines);
    if (!json.ok) {
      this.out.problem(path, json.message);
      return null;
    }
    const packages: LockPackage[] = [];
    for (const section of ["default", "develop"]) {
      for (const e of entriesOf(childOf(json.root, section))) {
        const version = /^===?\s*(\S+)$/.exec(stringOf(e.value, "version") ?? "")?.[1];
        if (!version) continue;
        packages.push({ name: e.key, version, line: lines.lineAt(e.offset), requires: [], local: false });
      }
    }
    return { path, packages };
  }

  private pipfile(path: string): Pyproject | undefined {
    if (!this.pyprojects.has(path)) this.pyprojects.set(path, this.readPipfile(path));
    return this.pyprojects.get(path) ?? undefined;
  }

  /** Pipfile [packages] / [dev-packages]: "*" or a PEP 440 specifier, or a table (git, path, version). */
  private readPipfile(path: string): Pyproject | null {
    const text = this.files.get(path);
    if (text === undefined) return null;
    const doc = this.toml(path, text);
    if (!doc) return null;
    const finder = new LineFinder(text, new LineIndex(text));
    const requirements: DeclaredReq[] = [];
    const references: Pyproject["references"] = [];
    for (const section of ["packages", "dev-packages"]) {
      const table = doc[section];
      if (!isTable(table)) continue;
      for (const [name, value] of Object.entries(table)) {
        const line = finder.key(name);
        const spec = typeof value === "string" ? value : isTable(value) && typeof value.version === "string" ? value.version : undefined;
        if (isTable(value) && (typeof value.git === "string" || typeof value.path === "string" || typeof value.file === "string")) {
          references.push(tableReference(name, value, line));
          continue;
        }
        if (spec === undefined) continue;
        const s = spec.trim() === "*" ? "" : spec.trim();
        requirements.push({ ...(parsePep508(`${name} ${s}`) ?? { name, specifier: s }), line });
      }
    }
    return { path, requirements, references };
  }

  private toml(path: string, text: string): Table | undefined {
    try {
      const doc = parseToml(text);
      return isTable(doc) ? doc : undefined;
    } catch (err) {
      const message = err instanceof Error ? err.message.split("\n")[0] : String(err);
      this.out.problem(path, `invalid TOML: ${message}`);
      return undefined;
    }
  }
}

/** A `{ git = ..., rev = ... }` / `{ path = ... }` / `{ url = ... }` table (Poetry, uv, Pipfile). */
function tableReference(name: string, value: Table, line: number): Pyproject["references"][number] {
  if (typeof value.git === "string") {
    const rev = [value.rev, value.ref, value.commit].find((v): v is string => typeof v === "string");
    const commit = rev && /^[0-9a-f]{40}$/i.test(rev) ? rev.toLowerCase() : undefined;
    return { name, reference: `git+${value.git}${rev ? `@${rev}` : ""}`, line, git: true, ...(commit ? { commit } : {}) };
  }
  const path = [value.path, value.file].find((v): v is string => typeof v === "string");
  if (path !== undefined) return { name, reference: path, line };
  return { name, reference: typeof value.url === "string" ? value.url : "", line };
}

/** Poetry's own version syntax: a bare version is an exact pin; ^, ~, * and lists are ranges. */
function poetryRequirement(name: string, spec: string): Requirement {
  const s = spec.trim();
  // One character class after the first digit: nested runs would backtrack quadratically.
  const bare = /^v?(\d[a-z0-9.+-]*)$/i.exec(s);
  if (bare && !s.includes("*")) return { name, specifier: `==${bare[1]}`, pinned: bare[1] };
  return parsePep508(`${name} ${s}`) ?? { name, specifier: s };
}

/** Finds the line where a TOML value was written, scanning forward so repeats map in order. */
class LineFinder {
  private readonly used = new Set<number>();
  constructor(
    private readonly text: string,
    private readonly lines: LineIndex,
  ) {}

  /** Line of a string literal with that exact content. */
  literal(value: string): number {
    for (const q of ['"', "'"]) {
      let from = 0;
      for (;;) {
        const i = this.text.indexOf(q + value + q, from);
        if (i < 0) break;
        if (!this.used.has(i)) {
          this.used.add(i);
          return this.lines.lineAt(i);
        }
        from = i + 1;
      }
    }
    return 1;
  }

  /** Line of a `key = ...` assignment. */
  key(name: string): number {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const re = new RegExp(`^[ \\t]*["']?${escaped}["']?[ \\t]*=`, "gm");
    for (const m of this.text.matchAll(re)) {
      if (!this.used.has(m.index)) {
        this.used.add(m.index);
        return this.lines.lineAt(m.index);
      }
    }
    return 1;
  }
}
