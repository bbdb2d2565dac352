import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { McpServer } from "../../lib/detect/types.js";
import type { Dependency } from "../../lib/deps/types.js";
import type { RepoSnapshot } from "../../lib/snapshot/types.js";

export const DEPS_FIXTURES = join(process.cwd(), "test", "fixtures", "deps");

/** A snapshot of one fixture folder (paths relative to it), or of in-memory files. */
export function snapshotOf(source: string | Record<string, string>): RepoSnapshot {
  const files = new Map<string, string>();
  if (typeof source === "string") {
    const root = join(DEPS_FIXTURES, source);
    const walk = (dir: string) => {
      for (const name of readdirSync(dir).sort()) {
        const full = join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else files.set(relative(root, full).split(sep).join("/"), readFileSync(full, "utf8"));
      }
    };
    walk(root);
  } else for (const [k, v] of Object.entries(source)) files.set(k, v);
  let totalBytes = 0;
  for (const v of files.values()) totalBytes += v.length;
  return { files, notes: [], truncated: false, totalBytes };
}

export function server(root: string, language: McpServer["language"] = "typescript"): McpServer {
  return { root, name: root, language, frameworks: [], evidence: [] };
}

/** Compact "name@version" view for assertions. */
export function ids(deps: Dependency[]): string[] {
  return deps.map((d) => `${d.name}@${d.version ?? d.declared ?? "?"}`).sort();
}

export function find(deps: Dependency[], name: string, version?: string): Dependency {
  const hit = deps.find((d) => d.name === name && (version === undefined || d.version === version));
  if (!hit) throw new Error(`no ${name}@${version ?? "*"} in ${ids(deps).join(", ")}`);
  return hit;
}

/** 1-based line of the first line containing `needle` (starting with it, when it begins with ^). */
export function lineOf(snapshot: RepoSnapshot, path: string, needle: string, after = 0): number {
  const i = snapshot.files.get(path)!.split("\n").findIndex((l, n) => n >= after && (needle.startsWith("^") ? l.startsWith(needle.slice(1)) : l.includes(needle)));
  if (i < 0) throw new Error(`${needle} not in ${path}`);
  return i + 1;
}
