import { GENUINE_GO_OWNERS, GENUINE_NPM_SCOPES, KNOWN_NEIGHBOURS, POPULAR_MCP_PACKAGES } from "./mcp-packages.js";
import { normalizePypiName } from "./text.js";
import type { Ecosystem } from "./types.js";

/**
 * Damerau-Levenshtein distance (optimal string alignment: insertions, deletions, substitutions
 * and swaps of two neighbouring characters each cost 1). Stops early: anything above `max`
 * comes back as max + 1.
 */
export function editDistance(a: string, b: string, max = 2): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > max) return max + 1;
    rows.push(row);
  }
  return Math.min(rows[a.length][b.length], max + 1);
}

/**
 * A name reduced to what a reader sees: characters that pass for others folded (I, 1 -> l;
 * 0 -> o; rn -> m; vv -> w), case folded, separators dropped.
 */
export function visualSkeleton(name: string): string {
  return name
    .replace(/[I1|]/g, "l")
    .replace(/0/g, "o")
    .toLowerCase()
    .replace(/rn/g, "m")
    .replace(/vv/g, "w")
    .replace(/[-_./\s]/g, "");
}

export interface Lookalike {
  /** The popular package it imitates. */
  target: string;
  /** How: "edit distance 1", "look-alike scope", "same letters as". */
  how: string;
}

/** Distance allowed for a target of this length: short names have too many honest neighbours. */
function allowedDistance(target: string): number {
  if (target.length >= 10) return 2;
  if (target.length >= 6) return 1;
  return 0;
}

const comparable = (ecosystem: Ecosystem, name: string) => (ecosystem === "PyPI" ? normalizePypiName(name) : name.toLowerCase());

/**
 * The popular MCP package `name` imitates, if it looks like one without being it. Genuine
 * packages, anything in a genuine npm scope or Go owner, and known legitimate neighbours are not
 * look-alikes.
 */
export function lookalikeOf(ecosystem: Ecosystem, name: string): Lookalike | undefined {
  if (name.length > 214) return undefined;
  const n = comparable(ecosystem, name);
  const targets = POPULAR_MCP_PACKAGES[ecosystem];
  if (targets.some((t) => comparable(ecosystem, t) === n)) return undefined;
  if (KNOWN_NEIGHBOURS[ecosystem].some((k) => comparable(ecosystem, k) === n)) return undefined;
  if (ecosystem === "Go") return goLookalike(name);

  if (ecosystem === "npm" && name.startsWith("@") && name.includes("/")) {
    const scope = name.slice(1, name.indexOf("/"));
    const rest = name.slice(name.indexOf("/") + 1);
    if (GENUINE_NPM_SCOPES.includes(scope)) return undefined;
    const looks = scopeLookalike(scope);
    if (looks) {
      const full = `@${looks}/${rest}`;
      const target = targets.find((t) => t.toLowerCase() === full.toLowerCase()) ?? `@${looks}/*`;
      return { target, how: "look-alike scope" };
    }
  }

  // Same letters once separators, case and look-alike characters are set aside
  // ("mcp_remote", "modelcontextprotocol-sdk", "fastrncp").
  const skeleton = visualSkeleton(name.replace(/^@/, ""));
  for (const t of targets) {
    if (skeleton.length >= 5 && visualSkeleton(t.replace(/^@/, "")) === skeleton) return { target: t, how: "same letters as" };
  }
  // Scoped names are compared by their scope above; the package part alone is too generic.
  if (name.startsWith("@")) return undefined;
  for (const t of targets) {
    if (t.startsWith("@")) continue;
    const d = closeTo(n, comparable(ecosystem, t));
    if (d !== undefined) return { target: t, how: `edit distance ${d}` };
  }
  return undefined;
}

/**
 * The edit distance when `name` is close enough to `target` to pass for it, else undefined.
 * Hyphenated names are compared word by word: "mcp-server-gac" is not "mcp-server-git", because
 * a whole short word differs. Short words only count swapped, dropped or doubled letters.
 */
export function closeTo(name: string, target: string): number | undefined {
  if (name === target) return undefined;
  const a = name.split(/[-_.]/);
  const b = target.split(/[-_.]/);
  if (a.length === b.length && a.length > 1) {
    const differing = a.map((w, i) => i).filter((i) => a[i] !== b[i]);
    if (differing.length !== 1) return undefined;
    return wordClose(a[differing[0]], b[differing[0]], true);
  }
  return wordClose(name, target, false);
}

function wordClose(x: string, y: string, inLongerName: boolean): number | undefined {
  const max = allowedDistance(y);
  const d = editDistance(x, y, 2);
  if (max > 0) return d >= 1 && d <= max ? d : undefined;
  // A short name on its own ("mcp", "mcpo") has too many honest neighbours to judge.
  if (!inLongerName || y.length < 3 || d !== 1) return undefined;
  return minorSlip(x, y) ? 1 : undefined;
}

/** A slip of the finger, not another word: two letters swapped, one dropped, or one doubled. */
function minorSlip(x: string, y: string): boolean {
  if (x.length === y.length) return [...x].sort().join("") === [...y].sort().join("");
  if (x.length === y.length - 1) return true;
  if (x.length === y.length + 1) {
    for (let i = 1; i < x.length; i++) if (x[i] === x[i - 1] && x.slice(0, i) + x.slice(i + 1) === y) return true;
  }
  return false;
}

/** A scope that passes for a genuine one: same skeleton, a small edit, or the genuine one plus a word. */
function scopeLookalike(scope: string): string | undefined {
  const s = visualSkeleton(scope);
  for (const g of GENUINE_NPM_SCOPES) {
    const gs = visualSkeleton(g);
    if (s === gs) return g;
    if (s.length > gs.length && s.length - gs.length <= 12 && (s.startsWith(gs) || s.endsWith(gs))) return g;
    const max = allowedDistance(g);
    if (max > 0 && editDistance(s, gs, max) <= max) return g;
  }
  return undefined;
}

function goLookalike(path: string): Lookalike | undefined {
  const module = path.toLowerCase().replace(/\/v\d+$/, "");
  const owner = module.split("/").slice(0, 2).join("/");
  if (GENUINE_GO_OWNERS.includes(owner)) return undefined;
  for (const t of POPULAR_MCP_PACKAGES.Go) {
    const d = editDistance(module, t, 2);
    if (d >= 1 && d <= 2) return { target: t, how: `edit distance ${d}` };
    // Same repository name under an owner that reads like the genuine one ("mark3lab", "rnark3labs").
    const [tHost, tOwner, tRepo] = t.split("/");
    const [host, own, repo] = module.split("/");
    if (host === tHost && repo === tRepo && own !== tOwner && visualSkeleton(own ?? "") === visualSkeleton(tOwner)) {
      return { target: t, how: "look-alike owner" };
    }
  }
  return undefined;
}
