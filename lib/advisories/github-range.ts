import type { AffectedRange } from "./types.js";

/**
 * Parses GitHub's `vulnerable_version_range` ("< 0.1.16", ">= 1.0.0, < 1.2.3", "<= 0.6.2",
 * ">= 2.0.0", "= 1.2.3") into OSV-style ranges. A `||` between alternatives yields one range
 * each. An exclusive lower bound ("> 1.0") has no OSV event; it is read as inclusive, which can
 * only over-report that one version. Anything unreadable gives [] (no match rather than a guess).
 */
export function parseGitHubRange(range: string): AffectedRange[] {
  const out: AffectedRange[] = [];
  for (const alternative of range.split("||")) {
    const parsed = parseConjunction(alternative);
    if (parsed) out.push(parsed);
  }
  return out;
}

function parseConjunction(text: string): AffectedRange | undefined {
  const parts = text.split(",").map((p) => p.trim()).filter((p) => p !== "");
  if (parts.length === 0) return undefined;
  const range: AffectedRange = {};
  for (const part of parts) {
    const m = /^(>=|<=|>|<|==|=)?\s*v?([0-9A-Za-z][^\s,]*)$/.exec(part);
    if (!m) return undefined;
    const [, op = "=", version] = m;
    // GitHub does not put a `v` on Go versions; keep whatever follows it.
    switch (op) {
      case ">=":
      case ">":
        if (range.introduced !== undefined) return undefined;
        range.introduced = version;
        break;
      case "<":
        if (range.fixed !== undefined || range.lastAffected !== undefined) return undefined;
        range.fixed = version;
        break;
      case "<=":
        if (range.fixed !== undefined || range.lastAffected !== undefined) return undefined;
        range.lastAffected = version;
        break;
      default:
        if (parts.length !== 1) return undefined;
        return { introduced: version, lastAffected: version };
    }
  }
  if (range.introduced === undefined) range.introduced = "0";
  return range;
}
