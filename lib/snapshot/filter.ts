import picomatch from "picomatch";
import type { RepoSnapshot } from "./types.js";
import { NoteCollector } from "./notes.js";
import { parentOf } from "./paths.js";

type Matcher = (path: string) => boolean;

/**
 * Compiles the maintainer's `paths.exclude` globs. A glob that does not compile is ignored
 * rather than failing the scan (the config stage reports invalid values). Leading `./` or `/`
 * and a trailing `/` are accepted as users write them.
 */
export function compileExcludes(globs: readonly unknown[]): Matcher[] {
  const matchers: Matcher[] = [];
  for (const glob of globs) {
    if (typeof glob !== "string") continue;
    const pattern = glob.trim().replace(/^(\.\/)+/, "").replace(/^\/+/, "").replace(/\/+$/, "");
    if (pattern === "" || pattern.startsWith("!")) continue;
    try {
      matchers.push(picomatch(pattern, { dot: true }));
    } catch {
      // invalid glob: ignored
    }
  }
  return matchers;
}

/**
 * Whether a file is excluded: a glob matches the file itself or one of its folders, so
 * `examples` and `examples/**` both exclude everything under `examples/`.
 */
export function isExcluded(matchers: readonly Matcher[], path: string): boolean {
  if (matchers.length === 0) return false;
  for (let current = path; current !== ""; current = parentOf(current)) {
    for (const matches of matchers) {
      if (matches(current)) return true;
    }
  }
  return false;
}

/**
 * A new snapshot without the files matched by `globs`, with an `excluded-by-config` note
 * counting them. The input snapshot is not modified.
 */
export function applyExcludes(snapshot: RepoSnapshot, globs: readonly string[]): RepoSnapshot {
  const matchers = compileExcludes(Array.isArray(globs) ? globs : []);
  if (matchers.length === 0) return { ...snapshot, files: new Map(snapshot.files), notes: [...snapshot.notes] };
  const notes = new NoteCollector(snapshot.notes);
  const files = new Map<string, string>();
  let removedBytes = 0;
  for (const [path, text] of snapshot.files) {
    if (isExcluded(matchers, path)) {
      notes.add("excluded-by-config", path);
      removedBytes += Buffer.byteLength(text, "utf8");
    } else {
      files.set(path, text);
    }
  }
  return {
    files,
    notes: notes.list(),
    truncated: snapshot.truncated,
    totalBytes: Math.max(0, snapshot.totalBytes - removedBytes),
  };
}
