/** Links from the report to the scanned code, pinned to the commit that was scanned. */
import { codeSpan } from "./sanitize.js";

export interface RepoRef {
  owner?: string;
  repo?: string;
  sha: string;
}

const GITHUB = "https://github.com";

/** A full or abbreviated git object id; anything else is not linked. */
function isSha(sha: string): boolean {
  return /^[0-9a-f]{7,64}$/i.test(sha);
}

function hasRepo(ref: RepoRef): ref is RepoRef & { owner: string; repo: string } {
  return Boolean(ref.owner && ref.repo && isSha(ref.sha));
}

export function shortSha(sha: string): string {
  return isSha(sha) ? sha.slice(0, 7).toLowerCase() : sha;
}

/** Each path segment percent-encoded, so spaces, `#`, `?` and `)` cannot bend the URL. */
export function encodePath(path: string): string {
  return path
    .split("/")
    .filter((s) => s !== "" && s !== "." && s !== "..")
    .map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join("/");
}

function lineAnchor(line: number, endLine: number): string {
  if (!Number.isInteger(line) || line < 1) return "";
  return Number.isInteger(endLine) && endLine > line ? `#L${line}-L${endLine}` : `#L${line}`;
}

/** `https://github.com/OWNER/REPO/blob/SHA/PATH#L10-L12`, or null when the repository is unknown. */
export function permalink(ref: RepoRef, path: string, line: number, endLine: number): string | null {
  if (!hasRepo(ref)) return null;
  const base = `${GITHUB}/${encodeURIComponent(ref.owner)}/${encodeURIComponent(ref.repo)}`;
  return `${base}/blob/${ref.sha.toLowerCase()}/${encodePath(path)}${lineAnchor(line, endLine)}`;
}

export function commitUrl(ref: RepoRef): string | null {
  if (!hasRepo(ref)) return null;
  return `${GITHUB}/${encodeURIComponent(ref.owner)}/${encodeURIComponent(ref.repo)}/commit/${ref.sha.toLowerCase()}`;
}

/** `path:10-12` as text: the link label, and the whole location when there is no repository. */
export function locationText(path: string, line: number, endLine: number): string {
  if (!Number.isInteger(line) || line < 1) return path;
  return endLine > line ? `${path}:${line}-${endLine}` : `${path}:${line}`;
}

/** Markdown for a finding's location: a permalink when possible, plain code otherwise. */
export function locationMarkdown(
  ref: RepoRef,
  path: string,
  line: number,
  endLine: number,
  opts: { table?: boolean } = {},
): string {
  const label = codeSpan(locationText(path, line, endLine), { max: 200, table: opts.table });
  const url = permalink(ref, path, line, endLine);
  return url ? `[${label}](${url})` : label;
}

/** Markdown for the scanned commit: the short SHA, linked when the repository is known. */
export function commitMarkdown(ref: RepoRef): string {
  if (!ref.sha) return "working tree (no commit)";
  const label = codeSpan(shortSha(ref.sha), { max: 64 });
  const url = commitUrl(ref);
  return url ? `[${label}](${url})` : label;
}
