/**
 * Path hygiene for snapshot entries. Every path that enters a RepoSnapshot went through
 * `normaliseEntryPath`, so later stages can trust that keys are relative POSIX paths that
 * stay inside the scanned root.
 */

export type NormalisedPath =
  | { ok: true; path: string }
  | { ok: false };

/**
 * Turns a raw entry name (tar header or directory walk) into a relative POSIX path.
 * Rejects, rather than repairs, anything that could address a file outside the root or be
 * read differently by another tool: absolute paths, drive letters, `..` segments,
 * backslashes and NUL bytes. `.` and empty segments are dropped (`./a//b/` -> `a/b`).
 * The empty string means the root itself.
 */
export function normaliseEntryPath(raw: string): NormalisedPath {
  if (raw.includes("\0") || raw.includes("\\")) return { ok: false };
  if (raw.startsWith("/")) return { ok: false };
  // "C:foo" or "C:/foo" would be absolute on Windows.
  if (/^[A-Za-z]:/.test(raw)) return { ok: false };
  const kept: string[] = [];
  for (const segment of raw.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") return { ok: false };
    kept.push(segment);
  }
  return { ok: true, path: kept.join("/") };
}

/** Parent folder of a relative path, "" for top-level entries. */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}

const MAX_EXAMPLE_LENGTH = 160;

/**
 * Paths shown in notes end up in a public issue: control characters (including newlines that
 * could break Markdown) are replaced and very long names are shortened.
 */
export function displayPath(raw: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = raw.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, "?");
  return clean.length > MAX_EXAMPLE_LENGTH ? `${clean.slice(0, MAX_EXAMPLE_LENGTH - 1)}…` : clean;
}
