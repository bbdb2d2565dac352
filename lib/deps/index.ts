import type { McpServer } from "../detect/types.js";
import type { RepoSnapshot } from "../snapshot/types.js";
import { DependencyCollector } from "./collector.js";
import { GoReader } from "./gomod.js";
import { NpmReader } from "./npm.js";
import { PythonReader } from "./python.js";
import type { DependencyFacts } from "./types.js";

export { comparableName } from "./collector.js";
export type { Declaration, DeclarationSource, Dependency, DependencyFacts, Ecosystem, ProjectFacts } from "./types.js";

/**
 * The dependencies of every MCP server in the snapshot, read from the manifests in each server's
 * folder and from the lockfile that covers it (its own, or a workspace root's above it).
 * Lockfile versions come first; exact manifest pins next; anything else lands in `unresolved`.
 * Never throws: a file that cannot be read becomes a `problems` entry.
 */
export function collectDependencies(snapshot: RepoSnapshot, servers: McpServer[]): DependencyFacts {
  const out = new DependencyCollector();
  const readers = [new NpmReader(snapshot.files, out), new PythonReader(snapshot.files, out), new GoReader(snapshot.files, out)];
  // Deepest folders first: a package shared through a workspace lockfile is attributed to the
  // most specific server that uses it.
  const roots = [...new Set(servers.map((s) => s.root || "."))].sort(
    (a, b) => depth(b) - depth(a) || a.localeCompare(b),
  );
  for (const root of roots) {
    for (const reader of readers) {
      try {
        reader.collect(root, root);
      } catch (err) {
        // A reader bug must cost only that reader's results, not the scan.
        out.problem(root, `dependency reading failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
  return out.result();
}

function depth(root: string): number {
  return root === "." ? 0 : root.split("/").length;
}
