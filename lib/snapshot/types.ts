/** An in-memory, read-only view of a repository at one commit. */

export interface SnapshotLimits {
  /** Files larger than this are skipped (bytes). */
  maxFileBytes: number;
  /**
   * Lockfiles (package-lock.json, poetry.lock, ...) may be larger: they are data the dependency
   * check needs, and a real application's lockfile often passes 1 MiB.
   */
  maxLockfileBytes: number;
  /** Reading stops once this many bytes of file content were kept. */
  maxTotalBytes: number;
  /** Reading stops once this many files were kept. */
  maxFiles: number;
}

export const DEFAULT_LIMITS: SnapshotLimits = {
  maxFileBytes: 1024 * 1024,
  maxLockfileBytes: 16 * 1024 * 1024,
  maxTotalBytes: 64 * 1024 * 1024,
  maxFiles: 20_000,
};

export type SkipReason =
  | "excluded-directory" // node_modules, vendor, dist, build, .git, ...
  | "binary"
  | "too-large"
  | "symlink"
  | "unsafe-path" // absolute, `..`, or otherwise escaping the root
  | "total-size-cap"
  | "file-count-cap"
  | "excluded-by-config";

/** A limit or rule that made the snapshot incomplete; shown in the report. */
export interface SnapshotNote {
  reason: SkipReason;
  /** How many entries were skipped for this reason. */
  count: number;
  /** A few example paths (at most 5), for the report. */
  examples: string[];
}

export interface RepoSnapshot {
  /** Relative POSIX path -> UTF-8 text. Only text files within the limits. */
  files: Map<string, string>;
  notes: SnapshotNote[];
  /** True when a cap stopped reading before the end. */
  truncated: boolean;
  totalBytes: number;
}

/** File names read under `maxLockfileBytes` instead of `maxFileBytes`. */
export const LOCKFILE_NAMES: ReadonlySet<string> = new Set([
  "package-lock.json",
  "npm-shrinkwrap.json",
  "pnpm-lock.yaml",
  "yarn.lock",
  "poetry.lock",
  "uv.lock",
  "Pipfile.lock",
  "go.sum",
]);
