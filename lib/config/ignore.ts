import picomatch from "picomatch";
import type { IgnoreEntry, WardenConfig } from "./types.js";

type Matcher = (path: string) => boolean;

// Configs are small and scans match many findings against the same globs: compile once.
const cache = new Map<string, Matcher>();
const CACHE_LIMIT = 1000;

function matcher(glob: string): Matcher {
  let m = cache.get(glob);
  if (!m) {
    try {
      m = picomatch(glob, { dot: true });
    } catch {
      // An uncompilable glob matches nothing rather than stopping the scan.
      m = () => false;
    }
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(glob, m);
  }
  return m;
}

/** True when `path` (relative, forward slashes) matches the glob; dotfiles included. */
export function matchesGlob(path: string, glob: string): boolean {
  return matcher(glob)(path.replace(/^(\.\/)+/, ""));
}

/** The first `ignore` entry that suppresses this finding: rule id exact or "*", path by glob. */
export function findIgnore(finding: { ruleId: string; path: string }, config: WardenConfig): IgnoreEntry | undefined {
  return config.ignore.find(
    (entry) =>
      (entry.rule === "*" || entry.rule === finding.ruleId) &&
      (entry.path === undefined || matchesGlob(finding.path, entry.path)),
  );
}

/** True when `paths.exclude` removes this file from the scan. A folder glob `dir` also covers `dir/**`. */
export function isExcluded(path: string, config: WardenConfig): boolean {
  return config.paths.exclude.some((glob) => matchesGlob(path, glob) || matchesGlob(path, `${glob.replace(/\/+$/, "")}/**`));
}
