/** Small text helpers shared by the manifest and lockfile readers. */

export { LineIndex } from "../line-index.js";

/** Joins a folder ("." for the root) and a relative path into a snapshot path. */
export function joinPath(dir: string, name: string): string {
  return dir === "." || dir === "" ? name : `${dir}/${name}`;
}

/** The parent folder of a snapshot path, "." at the top. */
export function dirOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "." : path.slice(0, i);
}

/** Folders from `dir` up to the root, nearest first: "a/b" -> ["a/b", "a", "."]. */
export function ancestors(dir: string): string[] {
  const out: string[] = [];
  let cur = dir === "" ? "." : dir;
  for (;;) {
    out.push(cur);
    if (cur === ".") return out;
    cur = dirOf(cur);
  }
}

/** `child` relative to `parent` (both snapshot folders), or undefined when it is not inside. */
export function relativeTo(parent: string, child: string): string | undefined {
  if (parent === ".") return child === "." ? "" : child;
  if (child === parent) return "";
  return child.startsWith(parent + "/") ? child.slice(parent.length + 1) : undefined;
}

/** Resolves "." and ".." in a relative snapshot path; undefined when it escapes the root. */
export function normalizePath(path: string): string | undefined {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(part);
  }
  return out.length === 0 ? "." : out.join("/");
}

/** PEP 503 normalised project name: case-folded, runs of `-`, `_`, `.` collapsed to `-`. */
export function normalizePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}
