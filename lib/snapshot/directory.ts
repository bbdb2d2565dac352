import { constants } from "node:fs";
import { lstat, open, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { RepoSnapshot, SnapshotLimits } from "./types.js";
import { SnapshotBuilder } from "./builder.js";
import type { EntryKind } from "./builder.js";
import { VIRTUALENV_MARKER } from "./excluded.js";

export interface DirectorySnapshotOptions {
  limits?: Partial<SnapshotLimits>;
}

/**
 * After a cap stops the snapshot the walk goes on only to count what was left out, and gives
 * up after this many more entries so a huge tree cannot keep it busy.
 */
const COUNT_AFTER_STOP = 50_000;

/**
 * Reads a local directory into a RepoSnapshot. Entries are examined with lstat and opened
 * with O_NOFOLLOW: symlinks are noted, never followed, so a link to `/etc` or `~/.ssh`
 * cannot pull files from outside the tree. Entries are visited in code-unit order of their
 * names, so the result (including which files a cap cut off) is deterministic.
 * Rejects only when `dir` itself is not a readable directory.
 */
export async function snapshotFromDirectory(dir: string, opts: DirectorySnapshotOptions = {}): Promise<RepoSnapshot> {
  const rootStat = await stat(dir).catch((error: unknown) => {
    throw new Error(`cannot read directory ${dir}: ${(error as Error).message}`);
  });
  if (!rootStat.isDirectory()) throw new Error(`not a directory: ${dir}`);

  const builder = new SnapshotBuilder(opts.limits);
  let afterStop = 0;

  async function walk(relative: string): Promise<void> {
    let names: string[];
    try {
      names = (await readdir(join(dir, relative))).sort(compareNames);
    } catch {
      return; // unreadable folder (permissions, vanished): best effort
    }
    if (relative !== "" && names.includes(VIRTUALENV_MARKER)) {
      builder.markVirtualenv(relative);
      return;
    }
    for (const name of names) {
      if (builder.stopped && ++afterStop > COUNT_AFTER_STOP) return;
      const entry = relative === "" ? name : `${relative}/${name}`;
      let info;
      try {
        info = await lstat(join(dir, entry));
      } catch {
        continue;
      }
      const kind = kindOf(info);
      const path = builder.offer(entry, kind, info.size);
      if (path === null) continue;
      if (kind === "directory") {
        await walk(path);
        continue;
      }
      const data = await readBounded(join(dir, entry), builder.maxBytesFor(path) + 1);
      if (data !== null) builder.accept(path, data);
    }
  }

  await walk("");
  return builder.finish();
}

function kindOf(info: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): EntryKind {
  if (info.isSymbolicLink()) return "symlink";
  if (info.isDirectory()) return "directory";
  if (info.isFile()) return "file";
  return "other";
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Reads at most `maxBytes` from a regular file. O_NOFOLLOW and the fstat check close the gap
 * between lstat and open (a file swapped for a symlink or a FIFO in between is not read).
 */
async function readBounded(path: string, maxBytes: number): Promise<Uint8Array | null> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return null;
    const buffer = Buffer.alloc(Math.min(maxBytes, info.size));
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    // A file that grew past the limit since lstat comes back with maxBytes: accept() skips it.
    return buffer.subarray(0, filled);
  } catch {
    return null;
  } finally {
    await handle.close().catch(() => undefined);
  }
}
