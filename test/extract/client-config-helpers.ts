import { extractManifests } from "../../lib/manifests/index.js";
import { extractClientConfigs } from "../../lib/extract/client-config.js";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { RuleContext } from "../../lib/rules/types.js";
import type { RepoSnapshot } from "../../lib/snapshot/types.js";

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures");

/** An in-memory snapshot from a map of path -> text. */
export function snapshotOf(files: Record<string, string>): RepoSnapshot {
  const map = new Map(Object.entries(files));
  let totalBytes = 0;
  for (const text of map.values()) totalBytes += Buffer.byteLength(text);
  return { files: map, notes: [], truncated: false, totalBytes };
}

/** Reads a fixture folder (dotfiles included) into a snapshot with paths relative to it. */
export function snapshotOfDir(dir: string): RepoSnapshot {
  const files: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else files[relative(dir, full).split("\\").join("/")] = readFileSync(full, "utf8");
    }
  };
  walk(dir);
  return snapshotOf(files);
}

/** A rule context with nothing but the snapshot (and optional facts/deps). */
export function contextOf(snapshot: RepoSnapshot, extra: Partial<RuleContext> = {}): RuleContext {
  return {
    snapshot,
    servers: [],
    // As the pipeline does: client configs are extracted once and handed to the rules as facts.
    facts: { files: [], clientConfigs: extractClientConfigs(snapshot) },
    deps: { dependencies: [], unresolved: [], problems: [] },
    advisories: [],
    manifests: extractManifests(snapshot, []),
    ...extra,
  };
}
