import type { Node } from "jsonc-parser";
import semver from "semver";
import { type DependencyCollector, type LockfileReach, npmLockfileDependency } from "./collector.js";
import { childOf, entriesOf, isTrue, parseJsonTree, stringMap, stringOf } from "./json.js";
import { PnpmReader } from "./pnpm.js";
import { deploymentFiles, npmSource } from "./sources.js";
import { ancestors, dirOf, joinPath, LineIndex, relativeTo } from "./text.js";
import { YarnReader } from "./yarn.js";

/** One dependency as package.json declares it. */
export interface ManifestDep {
  name: string;
  spec: string;
  line: number;
  dev: boolean;
}

interface PackageJson {
  path: string;
  deps: ManifestDep[];
  /** Line of `scripts.start`, when the package has one. */
  startLine?: number;
}

/** One installed package as the lockfile records it, addressed by its install location. */
interface LockEntry {
  location: string;
  name?: string;
  version?: string;
  line: number;
  dev: boolean;
  link: boolean;
  resolved?: string;
  /** Names this package needs at run time (dependencies, optional and peer dependencies). */
  requires: string[];
}

interface NpmLock {
  path: string;
  dir: string;
  /** Keyed like lockfile v2/v3 `packages`: "" (root), "node_modules/a/node_modules/b", "packages/x". */
  entries: Map<string, LockEntry>;
}

type SpecKind =
  | { kind: "exact"; name?: string; version: string }
  | { kind: "range"; name?: string }
  | { kind: "local" };

const LOCKFILES = ["npm-shrinkwrap.json", "package-lock.json"] as const;
const EXACT = /^=?\s*v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$/;
const NM = "node_modules/";

/** What a package.json version spec means for resolution. */
export function classifyNpmSpec(raw: string): SpecKind {
  const spec = raw.trim();
  if (spec.startsWith("npm:")) {
    // Alias: "npm:real-name@spec"; the advisory database knows the real name.
    const rest = spec.slice(4);
    const at = rest.lastIndexOf("@");
    if (at <= 0) return { kind: "range", name: rest };
    const inner = classifyNpmSpec(rest.slice(at + 1));
    return inner.kind === "local" ? inner : { ...inner, name: rest.slice(0, at) };
  }
  if (/^(file|link|workspace|portal|patch):/.test(spec)) return { kind: "local" };
  const m = EXACT.exec(spec);
  if (m) {
    const version = semver.valid(m[1]);
    if (version) return { kind: "exact", version };
  }
  return { kind: "range" };
}

/** Package name from a lockfile location: the part after the last `node_modules/`. */
function nameFromLocation(location: string): string | undefined {
  const i = location.lastIndexOf(NM);
  return i < 0 ? undefined : location.slice(i + NM.length);
}

/**
 * Reads package.json with package-lock.json / npm-shrinkwrap.json, or else pnpm-lock.yaml; each
 * file parsed once per scan.
 */
export class NpmReader {
  private readonly manifests = new Map<string, PackageJson | null>();
  private readonly locks = new Map<string, NpmLock | null>();
  private readonly pnpm: PnpmReader;
  private readonly yarn: YarnReader;

  constructor(
    private readonly files: Map<string, string>,
    private readonly out: DependencyCollector,
  ) {
    this.pnpm = new PnpmReader(files, out);
    this.yarn = new YarnReader(files, out);
  }

  /** Dependencies of the npm package in `root`, if there is one. */
  collect(root: string, server: string): void {
    const manifest = this.manifest(joinPath(root, "package.json"));
    if (!manifest) return;
    this.declare(manifest, server);
    const found = this.lockFor(root);
    if (found) {
      this.describe(root, manifest, server, found.lock.path);
      for (const dep of this.fromLock(found.lock, found.start, manifest, server)) this.fromManifest(manifest, dep, server);
      return;
    }
    // pnpm lists every direct dependency of the importer; what it leaves out is local (link:).
    const pnpm = this.pnpm.collect(root, server);
    if (pnpm) {
      this.describe(root, manifest, server, pnpm);
      return;
    }
    const yarn = this.yarn.collect(root, server, manifest.deps);
    if (yarn) {
      this.describe(root, manifest, server, yarn.path);
      for (const dep of yarn.missing) this.fromManifest(manifest, dep, server);
      return;
    }
    this.describe(root, manifest, server, this.unreadLock(root));
    for (const dep of manifest.deps) this.fromManifest(manifest, dep, server);
  }

  /** Every declaration, whatever its source, for the supply-chain rules. */
  private declare(manifest: PackageJson, server: string): void {
    const dir = dirOf(manifest.path);
    for (const dep of manifest.deps) {
      const info = npmSource(dep.spec, dir);
      this.out.declare({ ecosystem: "npm", name: dep.name, spec: dep.spec, ...info, path: manifest.path, line: dep.line, ...(dep.dev ? { dev: true } : {}), server });
    }
  }

  private describe(root: string, manifest: PackageJson, server: string, lockfile: string | undefined): void {
    const deployedBy = deploymentFiles(this.files, root);
    if (manifest.startLine !== undefined) deployedBy.push({ path: manifest.path, line: manifest.startLine, what: "scripts.start" });
    const dir = dirOf(manifest.path);
    this.out.project({
      ecosystem: "npm",
      manifest: manifest.path,
      server,
      ...(lockfile ? { lockfile } : {}),
      deployedBy,
      registryDependencies: manifest.deps.filter((d) => npmSource(d.spec, dir).source === "registry").length,
    });
  }

  /**
   * A lockfile that gave no versions still pins what gets installed: one this reader does not
   * parse (bun), or a broken one next to the manifest (already reported as a problem).
   */
  private unreadLock(root: string): string | undefined {
    const own = [...LOCKFILES, "pnpm-lock.yaml", "yarn.lock"].map((n) => joinPath(root, n)).find((p) => this.files.has(p));
    if (own) return own;
    for (const dir of ancestors(root)) {
      for (const name of ["bun.lock", "bun.lockb"]) if (this.files.has(joinPath(dir, name))) return joinPath(dir, name);
    }
    return undefined;
  }

  /** The nearest lockfile that covers `root`: in the folder itself, or a workspace root above it. */
  private lockFor(root: string): { lock: NpmLock; start: string } | undefined {
    for (const dir of ancestors(root)) {
      for (const name of LOCKFILES) {
        const path = joinPath(dir, name);
        if (!this.files.has(path)) continue;
        const lock = this.lock(path, dir);
        const rel = relativeTo(dir, root);
        // A broken lockfile next to the manifest: fall back to pins rather than a lockfile further up.
        if (!lock) {
          if (rel === "") return undefined;
          continue;
        }
        if (rel === "" || (rel !== undefined && lock.entries.has(rel))) return { lock, start: rel ?? "" };
      }
    }
    return undefined;
  }

  /**
   * Walks the install tree from the server's package the way Node resolves modules, recording
   * every package reached with the chain that pulled it in. Returns direct dependencies that the
   * lockfile does not contain (an out-of-date lockfile), for the manifest fallback.
   */
  private fromLock(lock: NpmLock, start: string, manifest: PackageJson, server: string): ManifestDep[] {
    const missing: ManifestDep[] = [];
    const visited = new Set<string>([start]);
    const queue: { location: string; chain: string[]; dev: boolean }[] = [];

    for (const dep of manifest.deps) {
      const spec = classifyNpmSpec(dep.spec);
      if (spec.kind === "local") continue;
      const entry = resolve(lock.entries, start, dep.name);
      if (!entry) {
        missing.push(dep);
        continue;
      }
      if (!entry.link) this.record(lock, entry, { direct: true, declared: dep.spec, dev: dep.dev || entry.dev, server });
      if (!visited.has(entry.location)) {
        visited.add(entry.location);
        queue.push({ location: entry.location, chain: [entry.name ?? dep.name], dev: dep.dev || entry.dev });
      }
    }

    // Breadth first so that the recorded chain is a shortest one.
    for (let i = 0; i < queue.length; i++) {
      const { location, chain, dev } = queue[i];
      const entry = lock.entries.get(location);
      if (!entry) continue;
      for (const req of entry.requires) {
        const next = resolve(lock.entries, location, req);
        if (!next || visited.has(next.location)) continue;
        visited.add(next.location);
        const name = next.name ?? req;
        const nextChain = next.link ? chain : [...chain, name];
        if (!next.link) this.record(lock, next, { direct: false, via: nextChain, dev: dev || next.dev, server });
        if (nextChain.length < 64) queue.push({ location: next.location, chain: nextChain, dev: dev || next.dev });
      }
    }

    // A lockfile that belongs to this very package: anything not reached (extraneous entries,
    // resolution quirks) is still installed, so it is still reported, without a chain.
    if (start === "") {
      for (const entry of lock.entries.values()) {
        if (!visited.has(entry.location) && !entry.link && entry.location.includes(NM)) {
          this.record(lock, entry, { direct: false, dev: entry.dev, server });
        }
      }
    }
    return missing;
  }

  private record(lock: NpmLock, entry: LockEntry, how: LockfileReach): void {
    const name = entry.name ?? nameFromLocation(entry.location);
    if (!name || !entry.version) return;
    this.out.add(npmLockfileDependency(name, entry.version, lock.path, entry.line, how));
  }

  /** No lockfile entry: an exact pin is what gets installed; anything else is unresolved. */
  private fromManifest(manifest: PackageJson, dep: ManifestDep, server: string): void {
    const spec = classifyNpmSpec(dep.spec);
    if (spec.kind === "local") return;
    this.out.add({
      ecosystem: "npm",
      name: spec.name ?? dep.name,
      ...(spec.kind === "exact" ? { version: spec.version, resolvedFrom: "manifest-pin" as const } : {}),
      declared: dep.spec,
      direct: true,
      path: manifest.path,
      line: dep.line,
      ...(dep.dev ? { dev: true } : {}),
      server,
    });
  }

  private manifest(path: string): PackageJson | undefined {
    const cached = this.manifests.get(path);
    if (cached !== undefined) return cached ?? undefined;
    const text = this.files.get(path);
    let parsed: PackageJson | null = null;
    if (text !== undefined) {
      const lines = new LineIndex(text);
      const json = parseJsonTree(text, lines);
      if (!json.ok) this.out.problem(path, json.message);
      else {
        const deps: ManifestDep[] = [];
        const seen = new Set<string>();
        for (const [field, dev] of [
          ["dependencies", false],
          ["optionalDependencies", false],
          ["devDependencies", true],
        ] as const) {
          for (const d of stringMap(json.root, field)) {
            // npm installs a name once; the first field that declares it wins.
            if (seen.has(d.name)) continue;
            seen.add(d.name);
            deps.push({ name: d.name, spec: d.value, line: lines.lineAt(d.offset), dev });
          }
        }
        const start = childOf(childOf(json.root, "scripts"), "start");
        parsed = { path, deps, ...(start?.type === "string" && start.parent ? { startLine: lines.lineAt(start.parent.offset) } : {}) };
      }
    }
    this.manifests.set(path, parsed);
    return parsed ?? undefined;
  }

  private lock(path: string, dir: string): NpmLock | undefined {
    const cached = this.locks.get(path);
    if (cached !== undefined) return cached ?? undefined;
    const text = this.files.get(path) ?? "";
    const lines = new LineIndex(text);
    const json = parseJsonTree(text, lines);
    let parsed: NpmLock | null = null;
    if (!json.ok) this.out.problem(path, json.message);
    else {
      const packages = childOf(json.root, "packages");
      const entries = packages?.type === "object" ? readPackagesMap(packages, lines) : readV1Tree(childOf(json.root, "dependencies"), lines);
      parsed = { path, dir, entries };
    }
    this.locks.set(path, parsed);
    return parsed ?? undefined;
  }
}

function requiresOf(node: Node): string[] {
  const names = new Set<string>();
  for (const field of ["dependencies", "optionalDependencies", "peerDependencies"]) {
    for (const e of entriesOf(childOf(node, field))) names.add(e.key);
  }
  return [...names];
}

/** Lockfile v2/v3: a flat `packages` map keyed by install location. */
function readPackagesMap(packages: Node, lines: LineIndex): Map<string, LockEntry> {
  const entries = new Map<string, LockEntry>();
  for (const e of entriesOf(packages)) {
    if (e.value.type !== "object") continue;
    const version = stringOf(e.value, "version");
    entries.set(e.key, {
      location: e.key,
      name: stringOf(e.value, "name") ?? nameFromLocation(e.key),
      version: version && semver.valid(version) ? version : undefined,
      line: lines.lineAt(e.offset),
      dev: isTrue(e.value, "dev"),
      link: isTrue(e.value, "link"),
      resolved: stringOf(e.value, "resolved"),
      requires: requiresOf(e.value),
    });
  }
  return entries;
}

/** Lockfile v1: a nested `dependencies` tree, flattened into v2-style locations. */
function readV1Tree(root: Node | undefined, lines: LineIndex): Map<string, LockEntry> {
  const entries = new Map<string, LockEntry>();
  // Explicit stack: a hostile lockfile may nest deeper than the call stack allows.
  const stack: { node: Node | undefined; parent: string }[] = [{ node: root, parent: "" }];
  while (stack.length > 0) {
    const { node, parent } = stack.pop()!;
    for (const e of entriesOf(node)) {
      if (e.value.type !== "object") continue;
      const location = parent === "" ? `${NM}${e.key}` : `${parent}/${NM}${e.key}`;
      let name = e.key;
      let version = stringOf(e.value, "version");
      if (version?.startsWith("npm:")) {
        const at = version.lastIndexOf("@");
        if (at > 4) {
          name = version.slice(4, at);
          version = version.slice(at + 1);
        }
      }
      entries.set(location, {
        location,
        name,
        // Git and file dependencies carry a URL here, not a registry version.
        version: version && semver.valid(version) ? version : undefined,
        line: lines.lineAt(e.offset),
        dev: isTrue(e.value, "dev"),
        link: false,
        requires: entriesOf(childOf(e.value, "requires")).map((r) => r.key),
      });
      stack.push({ node: childOf(e.value, "dependencies"), parent: location });
    }
  }
  return entries;
}

/**
 * Node's module resolution over lockfile locations: look in `from/node_modules/name`, then in
 * each parent folder's node_modules, up to the lockfile root. Links are followed to their target.
 */
function resolve(entries: Map<string, LockEntry>, from: string, name: string): LockEntry | undefined {
  const parts = from === "" ? [] : from.split("/");
  for (let n = parts.length; n >= 0; n--) {
    if (n > 0 && parts[n - 1] === "node_modules") continue;
    const base = parts.slice(0, n).join("/");
    const hit = entries.get(base === "" ? `${NM}${name}` : `${base}/${NM}${name}`);
    if (!hit) continue;
    if (hit.link && hit.resolved !== undefined) {
      const target = entries.get(hit.resolved);
      return target ? { ...target, link: true } : hit;
    }
    return hit;
  }
  return undefined;
}
