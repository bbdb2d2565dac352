import { DEFAULT_LIMITS, LOCKFILE_NAMES } from "./types.js";
import type { RepoSnapshot, SnapshotLimits } from "./types.js";
import { excludedAncestor, VIRTUALENV_MARKER } from "./excluded.js";
import { NoteCollector } from "./notes.js";
import { normaliseEntryPath, parentOf } from "./paths.js";
import { decodeText } from "./text.js";

/** What a source (directory walk, tar entry) says an entry is. */
export type EntryKind = "file" | "directory" | "symlink" | "hardlink" | "other";

type CapReason = "total-size-cap" | "file-count-cap";

export function resolveLimits(limits: Partial<SnapshotLimits> = {}): SnapshotLimits {
  const pick = (value: number | undefined, fallback: number): number =>
    typeof value === "number" && Number.isFinite(value) && value >= 0 ? Math.floor(value) : fallback;
  return {
    maxFileBytes: pick(limits.maxFileBytes, DEFAULT_LIMITS.maxFileBytes),
    maxLockfileBytes: pick(limits.maxLockfileBytes, DEFAULT_LIMITS.maxLockfileBytes),
    maxTotalBytes: pick(limits.maxTotalBytes, DEFAULT_LIMITS.maxTotalBytes),
    maxFiles: pick(limits.maxFiles, DEFAULT_LIMITS.maxFiles),
  };
}

/**
 * The one place where snapshot rules live, so a directory and a tarball of the same tree give
 * the same snapshot. Sources call `offer` for every entry they meet, in a deterministic order;
 * when it returns a path, they read the content (at most `maxBytesFor(path) + 1` bytes) and
 * hand it to `accept`.
 *
 * Rules, in order: unsafe path -> excluded directory (incl. virtualenvs) -> link -> not a
 * regular file -> too large -> caps -> binary. Once a cap is reached nothing more is kept
 * (the snapshot is a clean prefix of the tree, not a random sample), but later entries are
 * still counted in the note.
 */
export class SnapshotBuilder {
  readonly limits: SnapshotLimits;
  private readonly files = new Map<string, string>();
  private readonly sizes = new Map<string, number>();
  private readonly notes = new NoteCollector();
  private readonly excludedDirs = new Set<string>();
  private readonly virtualenvs = new Set<string>();
  private totalBytes = 0;
  private stoppedBy: CapReason | null = null;

  constructor(limits?: Partial<SnapshotLimits>) {
    this.limits = resolveLimits(limits);
  }

  /** The size limit of one file: lockfiles get their own, larger one. */
  maxBytesFor(path: string): number {
    return LOCKFILE_NAMES.has(lastSegment(path)) ? Math.max(this.limits.maxLockfileBytes, this.limits.maxFileBytes) : this.limits.maxFileBytes;
  }

  /** True once a cap stopped the snapshot; sources may stop reading content. */
  get stopped(): boolean {
    return this.stoppedBy !== null;
  }

  /**
   * Registers an entry. Returns the normalised path when the caller should read the file's
   * content and pass it to `accept` (for a directory: may descend into it), or null when the
   * entry is skipped (and noted when that matters).
   */
  offer(rawPath: string, kind: EntryKind, size: number): string | null {
    const normalised = normaliseEntryPath(rawPath);
    if (!normalised.ok) {
      this.notes.add("unsafe-path", rawPath);
      return null;
    }
    const path = normalised.path;
    if (path === "") return null; // the root folder itself

    const excluded = excludedAncestor(path, kind === "directory") ?? this.virtualenvOf(path);
    if (excluded !== null) {
      this.excludeDirectory(excluded);
      return null;
    }
    if (kind === "directory") return path;
    if (kind === "symlink" || kind === "hardlink") {
      this.notes.add("symlink", path);
      return null;
    }
    // Devices, FIFOs and sockets have no content worth scanning; reading a FIFO would block.
    if (kind !== "file") return null;

    if (lastSegment(path) === VIRTUALENV_MARKER && parentOf(path) !== "") {
      this.markVirtualenv(parentOf(path));
      return null;
    }
    if (size > this.maxBytesFor(path)) {
      this.notes.add("too-large", path);
      return null;
    }
    if (this.stoppedBy !== null) {
      this.notes.add(this.stoppedBy, path);
      return null;
    }
    if (!this.files.has(path) && this.files.size >= this.limits.maxFiles) {
      this.stop("file-count-cap", path);
      return null;
    }
    if (this.projectedTotal(path, size) > this.limits.maxTotalBytes) {
      this.stop("total-size-cap", path);
      return null;
    }
    return path;
  }

  /** Content of a path that `offer` returned. The actual size is checked again. */
  accept(path: string, data: Uint8Array): void {
    if (data.length > this.maxBytesFor(path)) {
      this.notes.add("too-large", path);
      return;
    }
    const decoded = decodeText(data);
    if (decoded === null) {
      this.notes.add("binary", path);
      return;
    }
    if (this.stoppedBy !== null) {
      this.notes.add(this.stoppedBy, path);
      return;
    }
    if (this.projectedTotal(path, decoded.bytes) > this.limits.maxTotalBytes) {
      this.stop("total-size-cap", path);
      return;
    }
    // A tar may hold the same path twice; as when extracting, the later entry wins.
    this.totalBytes += decoded.bytes - (this.sizes.get(path) ?? 0);
    this.files.set(path, decoded.text);
    this.sizes.set(path, decoded.bytes);
  }

  /** Notes an entry that must not enter the snapshot because of where it points. */
  rejectUnsafe(rawPath: string): void {
    this.notes.add("unsafe-path", rawPath);
  }

  /** Skips a whole directory (the directory walker calls this instead of descending). */
  excludeDirectory(path: string): void {
    if (this.excludedDirs.has(path)) return;
    this.excludedDirs.add(path);
    this.notes.add("excluded-directory", path);
  }

  /** A folder holding `pyvenv.cfg` is a virtualenv, whatever its name. */
  markVirtualenv(path: string): void {
    this.virtualenvs.add(path);
    this.excludeDirectory(path);
  }

  /** Stops keeping files, e.g. when a source hit its own read limit. */
  stop(reason: CapReason, example: string): void {
    if (this.stoppedBy === null) this.stoppedBy = reason;
    this.notes.add(reason, example);
  }

  finish(): RepoSnapshot {
    // Files read before their folder turned out to be a virtualenv (tar order) are dropped now.
    for (const path of [...this.files.keys()]) {
      if (this.virtualenvOf(path) !== null) {
        this.totalBytes -= this.sizes.get(path) ?? 0;
        this.files.delete(path);
        this.sizes.delete(path);
      }
    }
    const files = new Map<string, string>();
    for (const path of [...this.files.keys()].sort()) files.set(path, this.files.get(path) as string);
    return {
      files,
      notes: this.notes.list(),
      truncated: this.stoppedBy !== null,
      totalBytes: this.totalBytes,
    };
  }

  private projectedTotal(path: string, size: number): number {
    return this.totalBytes - (this.sizes.get(path) ?? 0) + size;
  }

  private virtualenvOf(path: string): string | null {
    if (this.virtualenvs.size === 0) return null;
    for (let folder = parentOf(path); folder !== ""; folder = parentOf(folder)) {
      if (this.virtualenvs.has(folder)) return folder;
    }
    return null;
  }
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}
