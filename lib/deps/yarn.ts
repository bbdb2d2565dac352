import { parseSyml } from "@yarnpkg/parsers";
import semver from "semver";
import { type DependencyCollector, type LockfileReach, npmLockfileDependency } from "./collector.js";
import type { ManifestDep } from "./npm.js";
import { ancestors, joinPath, relativeTo } from "./text.js";

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === "object" && v !== null && !Array.isArray(v);

/** One resolved package of a yarn.lock. */
interface YarnEntry {
  name: string;
  version: string;
  line: number;
  /** A workspace of the repository itself: walked through, never reported. */
  workspace?: boolean;
  /** What it depends on, as descriptors ("name@range") to look up in the same lockfile. */
  requires: string[];
}

interface YarnLock {
  path: string;
  /** Yarn 2+ ("berry") lockfiles prefix registry ranges with `npm:`. */
  berry: boolean;
  /** Every descriptor of the lockfile to its entry; null for entries that are not registry packages. */
  byDescriptor: Map<string, YarnEntry | null>;
  /** Names of the packages of the repository itself (workspaces), never in the registry. */
  workspaces: Set<string>;
}

/** Berry resolutions of things that are not registry packages. */
const NOT_REGISTRY = /@(workspace|link|portal|file|exec|git|github|https?):|\.git#|#commit=/;

/**
 * Reads yarn.lock, classic (v1) and berry (v2+) alike through Yarn's own parser, and walks it
 * from a package's direct dependencies so each transitive package gets the chain that brings it in.
 */
export class YarnReader {
  private readonly locks = new Map<string, YarnLock | null>();

  constructor(
    private readonly files: Map<string, string>,
    private readonly out: DependencyCollector,
  ) {}

  /**
   * The dependencies of the package in `root` from the nearest yarn.lock above it. Returns the
   * lockfile path and the direct dependencies it does not hold (for the manifest fallback), or
   * undefined when no yarn.lock covers the folder.
   */
  collect(root: string, server: string, deps: ManifestDep[]): { path: string; missing: ManifestDep[] } | undefined {
    for (const dir of ancestors(root)) {
      const path = joinPath(dir, "yarn.lock");
      if (!this.files.has(path)) continue;
      const lock = this.lock(path, dir);
      if (!lock) return { path, missing: deps };
      return { path, missing: this.walk(lock, deps, server, relativeTo(dir, root) === "") };
    }
    return undefined;
  }

  private walk(lock: YarnLock, deps: ManifestDep[], server: string, own: boolean): ManifestDep[] {
    const missing: ManifestDep[] = [];
    const chains = new Map<YarnEntry, string[]>();
    const queue: { entry: YarnEntry; dev: boolean }[] = [];
    for (const dep of deps) {
      const entry = this.find(lock, dep.name, dep.spec);
      if (entry === null || (entry === undefined && /^(workspace|link|portal|file):/.test(dep.spec))) continue;
      if (entry === undefined) {
        // Classic yarn leaves the repository's own workspaces out of the lockfile.
        if (!lock.workspaces.has(dep.name)) missing.push(dep);
        continue;
      }
      if (!entry.workspace) this.record(lock, entry, { direct: true, declared: dep.spec, dev: dep.dev, server });
      if (!chains.has(entry)) {
        chains.set(entry, [entry.name]);
        queue.push({ entry, dev: dep.dev });
      }
    }
    // Breadth first so that the recorded chain is a shortest one; nested workspaces add no link to it.
    for (let i = 0; i < queue.length; i++) {
      const { entry, dev } = queue[i];
      const chain = chains.get(entry)!;
      for (const descriptor of entry.requires) {
        const next = lock.byDescriptor.get(descriptor);
        if (!next || chains.has(next) || chain.length >= 64) continue;
        const nextChain = next.workspace ? chain : [...chain, next.name];
        chains.set(next, nextChain);
        if (!next.workspace) this.record(lock, next, { direct: false, via: nextChain, dev, server });
        queue.push({ entry: next, dev });
      }
    }
    // The lockfile of this very package: whatever was not reached is still installed.
    if (own) {
      for (const entry of lock.byDescriptor.values()) {
        if (entry && !entry.workspace && !chains.has(entry)) this.record(lock, entry, { direct: false, dev: false, server });
      }
    }
    return missing;
  }

  /** The entry for `name@spec`: null when it is not a registry package, undefined when absent. */
  private find(lock: YarnLock, name: string, spec: string): YarnEntry | null | undefined {
    const direct = lock.byDescriptor.get(`${name}@${spec}`);
    if (direct !== undefined || !lock.berry || /^[a-z]+:/.test(spec)) return direct;
    return lock.byDescriptor.get(`${name}@npm:${spec}`);
  }

  private record(lock: YarnLock, entry: YarnEntry, how: LockfileReach): void {
    this.out.add(npmLockfileDependency(entry.name, entry.version, lock.path, entry.line, how));
  }

  private lock(path: string, dir: string): YarnLock | undefined {
    if (!this.locks.has(path)) this.locks.set(path, this.read(path, dir));
    return this.locks.get(path) ?? undefined;
  }

  private read(path: string, dir: string): YarnLock | null {
    const text = this.files.get(path) ?? "";
    let doc: unknown;
    try {
      doc = parseSyml(text);
    } catch (err) {
      this.out.problem(path, `invalid yarn.lock: ${(err instanceof Error ? err.message : String(err)).split("\n")[0].slice(0, 200)}`);
      return null;
    }
    if (!isTable(doc)) {
      this.out.problem(path, "invalid yarn.lock: expected a mapping at the top level");
      return null;
    }
    const berry = isTable(doc.__metadata);

    // Lines of the top-level keys, one pass; a classic key line lists several descriptors.
    const lineOf = new Map<string, number>();
    text.split("\n").forEach((raw, i) => {
      if (!/^[^\s#].*:\s*$/.test(raw)) return;
      for (const part of raw.replace(/:\s*$/, "").split(/,\s*/)) lineOf.set(part.trim().replace(/^"|"$/g, ""), i + 1);
    });

    const byDescriptor = new Map<string, YarnEntry | null>();
    for (const [key, value] of Object.entries(doc)) {
      if (key === "__metadata" || !isTable(value)) continue;
      const descriptors = key.split(/,\s*/).map((d) => d.trim()).filter(Boolean);
      const entry = toEntry(descriptors[0], value, berry, lineOf.get(descriptors[0]) ?? 1);
      for (const d of descriptors) byDescriptor.set(d, entry);
    }
    return { path, berry, byDescriptor, workspaces: this.workspaceNames(dir) };
  }

  /** Names of the package.json files under the lockfile's folder: the repository's own packages. */
  private workspaceNames(dir: string): Set<string> {
    const names = new Set<string>();
    const prefix = dir === "." ? "" : `${dir}/`;
    for (const [path, text] of this.files) {
      if (!path.startsWith(prefix) || !(path === `${prefix}package.json` || path.endsWith("/package.json"))) continue;
      const m = /"name"\s*:\s*"([^"]+)"/.exec(text.slice(0, 2000));
      if (m) names.add(m[1]);
    }
    return names;
  }
}

/** Descriptor "name@range" -> name; scoped names keep their leading @. */
function descriptorName(descriptor: string): string {
  const at = descriptor.indexOf("@", 1);
  return at < 0 ? descriptor : descriptor.slice(0, at);
}

function toEntry(descriptor: string, value: Table, berry: boolean, line: number): YarnEntry | null {
  const version = typeof value.version === "string" ? value.version : undefined;
  const resolution = typeof value.resolution === "string" ? value.resolution : "";
  const workspace = berry && /@workspace:/.test(resolution);
  if (!workspace && (!version || !semver.valid(version))) return null;
  let name = descriptorName(descriptor);
  if (berry && !workspace) {
    if (NOT_REGISTRY.test(resolution) || !/@(npm|patch):/.test(resolution)) return null;
    // An alias resolves to the real package ("alias@npm:real@^1" -> resolution "real@npm:1.2.3").
    if (/@npm:/.test(resolution)) name = resolution.slice(0, resolution.indexOf("@npm:", 1));
  } else {
    const resolved = typeof value.resolved === "string" ? value.resolved : "";
    if (/^(git|file:|link:)|codeload\.github\.com|\.git#/.test(resolved)) return null;
    const alias = /@npm:(@?[^@]+)@/.exec(descriptor);
    if (alias) name = alias[1];
  }
  const requires: string[] = [];
  for (const field of ["dependencies", "optionalDependencies"]) {
    const deps = value[field];
    if (!isTable(deps)) continue;
    for (const [dep, range] of Object.entries(deps)) {
      if (typeof range !== "string") continue;
      requires.push(berry && !/^[a-z]+:/.test(range) ? `${dep}@npm:${range}` : `${dep}@${range}`);
    }
  }
  return { name, version: version ?? "", line, requires, ...(workspace ? { workspace: true } : {}) };
}
