import type { Declaration, Dependency, DependencyFacts, Ecosystem, ProjectFacts } from "./types.js";
import { normalizePypiName } from "./text.js";

/** Name as the ecosystem compares it: PyPI names per PEP 503, the others as written. */
export function comparableName(ecosystem: Ecosystem, name: string): string {
  return ecosystem === "PyPI" ? normalizePypiName(name) : name;
}

/**
 * Accumulates what the readers find. Deduplicates by ecosystem + name + version + path so a
 * lockfile shared by several servers, or a package installed twice at the same version, is
 * reported once (the first server to claim it keeps it).
 */
export class DependencyCollector {
  private readonly seen = new Set<string>();
  private readonly problemKeys = new Set<string>();
  private readonly facts: DependencyFacts = { dependencies: [], unresolved: [], problems: [] };
  private readonly declarations = new Map<string, Declaration>();
  private readonly projects = new Map<string, ProjectFacts>();

  add(dep: Dependency): void {
    const key = [dep.ecosystem, comparableName(dep.ecosystem, dep.name), dep.version ?? `?${dep.declared ?? ""}`, dep.path].join("\0");
    if (this.seen.has(key)) return;
    this.seen.add(key);
    if (dep.version === undefined) this.facts.unresolved.push(dep);
    else this.facts.dependencies.push(dep);
  }

  /** A manifest declaration; one per manifest + ecosystem + name (the first server keeps it). */
  declare(decl: Declaration): void {
    const key = [decl.path, decl.ecosystem, comparableName(decl.ecosystem, decl.name), decl.spec].join("\0");
    if (!this.declarations.has(key)) this.declarations.set(key, decl);
  }

  /** A server's manifest and its lockfile status; one per manifest. */
  project(p: ProjectFacts): void {
    if (!this.projects.has(p.manifest)) this.projects.set(p.manifest, p);
  }

  problem(path: string, message: string): void {
    const key = `${path}\0${message}`;
    if (this.problemKeys.has(key)) return;
    this.problemKeys.add(key);
    this.facts.problems.push({ path, message });
  }

  result(): DependencyFacts {
    const order = (a: Dependency, b: Dependency) =>
      a.path.localeCompare(b.path) || a.line - b.line || a.name.localeCompare(b.name) || (a.version ?? "").localeCompare(b.version ?? "");
    return {
      dependencies: [...this.facts.dependencies].sort(order),
      unresolved: [...this.facts.unresolved].sort(order),
      problems: [...this.facts.problems].sort((a, b) => a.path.localeCompare(b.path) || a.message.localeCompare(b.message)),
      declarations: [...this.declarations.values()].sort(
        (a, b) => a.path.localeCompare(b.path) || a.line - b.line || a.name.localeCompare(b.name),
      ),
      projects: [...this.projects.values()].sort((a, b) => a.manifest.localeCompare(b.manifest)),
    };
  }
}

/** How a lockfile package was reached: directly (with the declared range) or through a chain. */
export interface LockfileReach {
  direct: boolean;
  declared?: string;
  via?: string[];
  dev: boolean;
  server: string;
}

/** An npm package installed from a lockfile entry at `path`:`line`. */
export function npmLockfileDependency(name: string, version: string, path: string, line: number, how: LockfileReach): Dependency {
  return {
    ecosystem: "npm",
    name,
    version,
    ...(how.declared !== undefined ? { declared: how.declared } : {}),
    resolvedFrom: "lockfile",
    direct: how.direct,
    path,
    line,
    ...(how.via && how.via.length > 1 ? { via: how.via } : {}),
    ...(how.dev ? { dev: true } : {}),
    server: how.server,
  };
}
