import { compare as pep440Compare, valid as pep440Valid } from "@renovatebot/pep440";
import semver from "semver";
import type { Ecosystem } from "../deps/types.js";
import type { AffectedRange } from "./types.js";

/**
 * A version in the form semver can order, or undefined when it is not one.
 * npm: as is (lockfiles hold exact versions). Go: drop the `v`; `+incompatible` is build
 * metadata, which semver ignores when comparing, and pseudo-versions
 * (v0.0.0-20230101120000-abcdef123456) are prereleases that order by their timestamp.
 */
function semverOf(ecosystem: Ecosystem, version: string): string | undefined {
  const v = ecosystem === "Go" ? version.trim().replace(/^v/, "") : version.trim();
  return semver.valid(v) ?? undefined;
}

/** Orders two versions of one ecosystem; undefined when either cannot be read. */
export function compareVersions(ecosystem: Ecosystem, a: string, b: string): number | undefined {
  if (ecosystem === "PyPI") {
    // PEP 440: epochs, pre/post/dev releases and normalisation ("1.0" == "1.0.0").
    if (pep440Valid(a) === null || pep440Valid(b) === null) return undefined;
    return Math.sign(pep440Compare(a, b));
  }
  const x = semverOf(ecosystem, a);
  const y = semverOf(ecosystem, b);
  if (x === undefined || y === undefined) return undefined;
  // compare, not satisfies: satisfies excludes prereleases, and OSV events must include them.
  return semver.compare(x, y);
}

/** True when `version` reads as a version of the ecosystem. */
export function isValidVersion(ecosystem: Ecosystem, version: string): boolean {
  return ecosystem === "PyPI" ? pep440Valid(version) !== null : semverOf(ecosystem, version) !== undefined;
}

/**
 * Whether `version` falls in one range with OSV semantics: `introduced` inclusive ("0" or absent
 * means from the beginning), `fixed` exclusive, `lastAffected` inclusive, neither = no upper end.
 * A bound that cannot be read makes the range not match: a guess would be a false alarm.
 */
export function inRange(ecosystem: Ecosystem, version: string, range: AffectedRange): boolean {
  if (range.introduced !== undefined && range.introduced !== "0") {
    const c = compareVersions(ecosystem, version, range.introduced);
    if (c === undefined || c < 0) return false;
  }
  if (range.fixed !== undefined) {
    const c = compareVersions(ecosystem, version, range.fixed);
    if (c === undefined || c >= 0) return false;
  }
  if (range.lastAffected !== undefined) {
    const c = compareVersions(ecosystem, version, range.lastAffected);
    if (c === undefined || c > 0) return false;
  }
  return isValidVersion(ecosystem, version);
}

/** True when `version` falls in ANY of the ranges. An unreadable version is never affected. */
export function isAffected(ecosystem: Ecosystem, version: string, ranges: AffectedRange[]): boolean {
  if (!isValidVersion(ecosystem, version)) return false;
  return ranges.some((r) => inRange(ecosystem, version, r));
}

/**
 * Turns one OSV range's event list into intervals. Events are sorted by version (OSV does not
 * promise an order); each `introduced` opens an interval that the next `fixed` or
 * `last_affected` closes. An `introduced` never closed stays open to the end.
 */
export function rangesFromEvents(
  ecosystem: Ecosystem,
  events: { introduced?: string; fixed?: string; last_affected?: string }[],
): AffectedRange[] {
  const flat: { kind: "introduced" | "fixed" | "lastAffected"; version: string }[] = [];
  for (const e of events) {
    if (e.introduced !== undefined) flat.push({ kind: "introduced", version: e.introduced });
    if (e.fixed !== undefined) flat.push({ kind: "fixed", version: e.fixed });
    if (e.last_affected !== undefined) flat.push({ kind: "lastAffected", version: e.last_affected });
  }
  const readable = flat.every((e) => e.version === "0" || isValidVersion(ecosystem, e.version));
  // Unreadable versions cannot be sorted; keep the order the record gives.
  if (readable) {
    flat.sort((a, b) => {
      if (a.version === "0" || b.version === "0") return (a.version === "0" ? 0 : 1) - (b.version === "0" ? 0 : 1);
      return compareVersions(ecosystem, a.version, b.version) ?? 0;
    });
  }
  const out: AffectedRange[] = [];
  let open: AffectedRange | undefined;
  for (const e of flat) {
    if (e.kind === "introduced") {
      if (open) out.push(open);
      open = { introduced: e.version };
    } else if (open) {
      out.push(e.kind === "fixed" ? { ...open, fixed: e.version } : { ...open, lastAffected: e.version });
      open = undefined;
    }
    // A fix with nothing introduced before it closes nothing.
  }
  if (open) out.push(open);
  return out;
}
