import { load } from "js-yaml";
import semver from "semver";
import type { DependencyCollector } from "./collector.js";
import { ancestors, joinPath, relativeTo } from "./text.js";

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === "object" && v !== null && !Array.isArray(v);

interface PnpmPackage {
  name: string;
  version: string;
  line: number;
  dev: boolean;
  /** Keys ("name@version", peers stripped) of what it depends on. */
  requires: string[];
}

interface PnpmLock {
  path: string;
  /** Keyed "name@version" with peer suffixes stripped. */
  packages: Map<string, PnpmPackage>;
  /** Importer folder (relative to the lockfile, "." for its own) -> direct dependencies. */
  importers: Map<string, { name: string; specifier?: string; key: string; dev: boolean }[]>;
}

/** "1.2.3(peer@2.0.0)" / "1.2.3_peer@2.0.0" -> "1.2.3". */
const stripPeers = (v: string) => v.replace(/\([^]*$/, "").replace(/_[^]*$/, "");

/**
 * A packages/snapshots key of any lockfile version into name and version:
 * v5 "/@scope/name/1.2.3_peer", v6 "/@scope/name@1.2.3(peer)", v9 "@scope/name@1.2.3(peer)".
 */
function splitKey(raw: string): { name: string; version: string } | undefined {
  const key = stripPeers(raw.replace(/^\//, ""));
  const at = key.lastIndexOf("@");
  if (at > 0) return { name: key.slice(0, at), version: key.slice(at + 1) };
  const slash = key.lastIndexOf("/");
  return slash > 0 ? { name: key.slice(0, slash), version: key.slice(slash + 1) } : undefined;
}

/** Reads pnpm-lock.yaml (lockfile versions 5, 6 and 9), each file parsed once per scan. */
export class PnpmReader {
  private readonly locks = new Map<string, PnpmLock | null>();

  constructor(
    private readonly files: Map<string, string>,
    private readonly out: DependencyCollector,
  ) {}

  /** The pnpm lockfile that covered `root` (so npm pins need not be consulted), if one did. */
  collect(root: string, server: string): string | undefined {
    for (const dir of ancestors(root)) {
      const path = joinPath(dir, "pnpm-lock.yaml");
      if (!this.files.has(path)) continue;
      const lock = this.lock(path);
      const rel = relativeTo(dir, root);
      if (!lock || rel === undefined) return undefined;
      const direct = lock.importers.get(rel === "" ? "." : rel);
      if (!direct) continue;
      this.record(lock, direct, server);
      return path;
    }
    return undefined;
  }

  private record(lock: PnpmLock, direct: { name: string; specifier?: string; key: string; dev: boolean }[], server: string): void {
    const chains = new Map<string, string[]>();
    const queue: string[] = [];
    for (const d of direct) {
      const pkg = lock.packages.get(d.key);
      if (!pkg || chains.has(d.key)) continue;
      chains.set(d.key, [pkg.name]);
      queue.push(d.key);
      this.out.add({
        ecosystem: "npm",
        name: pkg.name,
        version: pkg.version,
        ...(d.specifier !== undefined ? { declared: d.specifier } : {}),
        resolvedFrom: "lockfile",
        direct: true,
        path: lock.path,
        line: pkg.line,
        ...(d.dev || pkg.dev ? { dev: true } : {}),
        server,
      });
    }
    for (let i = 0; i < queue.length; i++) {
      const chain = chains.get(queue[i])!;
      for (const key of lock.packages.get(queue[i])?.requires ?? []) {
        const pkg = lock.packages.get(key);
        if (!pkg || chains.has(key) || chain.length >= 64) continue;
        const next = [...chain, pkg.name];
        chains.set(key, next);
        queue.push(key);
        this.out.add({
          ecosystem: "npm",
          name: pkg.name,
          version: pkg.version,
          resolvedFrom: "lockfile",
          direct: false,
          path: lock.path,
          line: pkg.line,
          via: next,
          ...(pkg.dev ? { dev: true } : {}),
          server,
        });
      }
    }
  }

  private lock(path: string): PnpmLock | undefined {
    if (!this.locks.has(path)) this.locks.set(path, this.read(path));
    return this.locks.get(path) ?? undefined;
  }

  private read(path: string): PnpmLock | null {
    const text = this.files.get(path) ?? "";
    let doc: unknown;
    try {
      doc = load(text);
    } catch (err) {
      this.out.problem(path, `invalid YAML: ${(err instanceof Error ? err.message : String(err)).split("\n")[0]}`);
      return null;
    }
    if (!isTable(doc)) {
      this.out.problem(path, "invalid pnpm lockfile: expected a mapping at the top level");
      return null;
    }

    // Lines of the keys of the top-level `packages:` section, found in one pass over the text.
    const keyLines = new Map<string, number>();
    let inPackages = false;
    text.split("\n").forEach((line, i) => {
      if (/^\S/.test(line)) inPackages = /^packages:\s*$/.test(line);
      else if (inPackages) {
        const m = /^ {2}(['"]?)([^\s'"][^'"]*?)\1:\s*$/.exec(line);
        if (m) keyLines.set(m[2], i + 1);
      }
    });

    const packages = new Map<string, PnpmPackage>();
    const entries = isTable(doc.packages) ? doc.packages : {};
    // v9 moved the dependency graph into `snapshots`; earlier versions keep it in `packages`.
    const graph = isTable(doc.snapshots) ? doc.snapshots : entries;
    const requiresOf = new Map<string, string[]>();
    for (const [key, value] of Object.entries(graph)) {
      const id = splitKey(key);
      if (!id || !isTable(value)) continue;
      const reqs = requiresOf.get(`${id.name}@${id.version}`) ?? [];
      for (const field of ["dependencies", "optionalDependencies"]) {
        const deps = value[field];
        if (!isTable(deps)) continue;
        for (const [name, v] of Object.entries(deps)) if (typeof v === "string") reqs.push(depKey(name, v));
      }
      requiresOf.set(`${id.name}@${id.version}`, reqs);
    }
    for (const [key, value] of Object.entries(entries)) {
      const id = splitKey(key);
      if (!id || !semver.valid(id.version)) continue; // git, tarball and link entries
      const k = `${id.name}@${id.version}`;
      if (packages.has(k)) continue;
      packages.set(k, {
        name: isTable(value) && typeof value.name === "string" ? value.name : id.name,
        version: id.version,
        line: keyLines.get(key) ?? 1,
        dev: isTable(value) && value.dev === true,
        requires: requiresOf.get(k) ?? [],
      });
    }

    const importers = new Map<string, { name: string; specifier?: string; key: string; dev: boolean }[]>();
    // Lockfiles without workspaces (v5/v6) put the root importer's fields at the top level.
    const importerTables = isTable(doc.importers) ? doc.importers : { ".": doc };
    for (const [dir, importer] of Object.entries(importerTables)) {
      if (!isTable(importer)) continue;
      const list: { name: string; specifier?: string; key: string; dev: boolean }[] = [];
      const specifiers = isTable(importer.specifiers) ? importer.specifiers : {};
      for (const [field, dev] of [["dependencies", false], ["optionalDependencies", false], ["devDependencies", true]] as const) {
        const deps = importer[field];
        if (!isTable(deps)) continue;
        for (const [name, v] of Object.entries(deps)) {
          const version = typeof v === "string" ? v : isTable(v) && typeof v.version === "string" ? v.version : undefined;
          if (version === undefined || version.startsWith("link:")) continue;
          const specifier = isTable(v) && typeof v.specifier === "string" ? v.specifier : typeof specifiers[name] === "string" ? (specifiers[name] as string) : undefined;
          list.push({ name, ...(specifier !== undefined ? { specifier } : {}), key: depKey(name, version), dev });
        }
      }
      importers.set(dir, list);
    }
    return { path, packages, importers };
  }
}

/** A dependency reference "1.2.3(peer)" or an alias "/real-name/1.2.3" / "real-name@1.2.3" as a key. */
function depKey(name: string, ref: string): string {
  const version = stripPeers(ref);
  if (semver.valid(version)) return `${name}@${version}`;
  const id = splitKey(ref);
  return id ? `${id.name}@${id.version}` : `${name}@${version}`;
}
