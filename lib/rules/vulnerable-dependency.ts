import type { Advisory } from "../advisories/types.js";
import { compareVersions, inRange, isAffected } from "../advisories/versions.js";
import { comparableName } from "../deps/collector.js";
import type { Dependency } from "../deps/types.js";
import { SEVERITY_RANK, type RawFinding, type Severity } from "../model.js";
import type { RuleContext, RuleFamily } from "./types.js";

const RULE_ID = "MCPW-DEP-001";
const MAX_LISTED = 10;

/**
 * A dependency whose resolved version (lockfile, or exact manifest pin) falls in a published
 * advisory's affected range. Declared ranges are never guessed at: a `^1.2.0` whose lockfile
 * resolves a patched 1.2.9 is not a finding, and a range without a lockfile is not either.
 */
export const vulnerableDependency: RuleFamily = {
  id: "vulnerable-dependency",
  rules: [
    {
      id: RULE_ID,
      title: "Dependency version affected by a published security advisory",
      category: "vulnerable-dependency",
      severity: "high",
      looksFor:
        "Installed versions (from package-lock.json, npm-shrinkwrap.json, pnpm-lock.yaml, yarn.lock, uv.lock, poetry.lock, Pipfile.lock, go.mod/go.sum, or exact pins in manifests) inside an affected range of a reviewed GitHub advisory, matched with each ecosystem's own version rules (semver, PEP 440, Go module versions). Several advisories on one package make one finding with every id; the severity is the advisory's (up to critical).",
      ignores:
        "Declared ranges without a resolved version (listed in the report as not resolved, never guessed), ranges whose lockfile resolves a patched version, withdrawn advisories, and local or workspace packages.",
      remediation: "Upgrade the package to the smallest version that leaves every advisory on it behind (named in the finding); for a transitive package, refresh the lockfile or upgrade the direct dependency that brings it in.",
    },
  ],
  run(ctx: RuleContext): RawFinding[] {
    const index = new Map<string, Advisory[]>();
    for (const a of ctx.advisories) {
      if (a.withdrawn) continue;
      const key = `${a.ecosystem}\0${comparableName(a.ecosystem, a.package)}`;
      const list = index.get(key) ?? [];
      // The same advisory may arrive twice (several sources); keep one.
      if (!list.some((b) => b.id === a.id)) list.push(a);
      index.set(key, list);
    }

    const findings: RawFinding[] = [];
    const done = new Set<string>();
    for (const dep of ctx.deps.dependencies) {
      if (dep.version === undefined) continue;
      const name = comparableName(dep.ecosystem, dep.name);
      const once = `${dep.ecosystem}\0${name}\0${dep.version}\0${dep.path}`;
      if (done.has(once)) continue;
      const known = index.get(`${dep.ecosystem}\0${name}`) ?? [];
      const affecting = known.filter((a) => isAffected(dep.ecosystem, dep.version!, a.ranges));
      if (affecting.length === 0) continue;
      done.add(once);
      findings.push(toFinding(dep, dep.version, affecting, known));
    }
    return findings;
  },
};

function toFinding(dep: Dependency, version: string, affecting: Advisory[], known: Advisory[]): RawFinding {
  const sorted = [...affecting].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.id.localeCompare(b.id));
  const severity: Severity = sorted[0].severity;
  const n = sorted.length;
  const file = dep.path.split("/").pop() ?? dep.path;
  const source = dep.resolvedFrom === "lockfile" ? `resolved in ${file}` : `pinned in ${file}`;
  const role = dep.dev ? "development dependency" : dep.direct ? "dependency" : "transitive dependency";
  // The chain that brings a transitive package in is what tells the maintainer where to act.
  const through = !dep.direct && dep.via && dep.via.length > 1 ? ` via ${dep.via.join(" > ")}` : "";

  const evidence = [
    `${dep.name}@${version} (${role}, ${dep.path}:${dep.line}${dep.via ? `, via ${dep.via.join(" > ")}` : ""})`,
    ...sorted.slice(0, MAX_LISTED).map((a) => `${[a.id, ...a.aliases.filter((x) => x.startsWith("CVE-"))].join(" / ")} (${a.severity}): ${oneLine(a.summary)}`),
    ...(n > MAX_LISTED ? [`... and ${n - MAX_LISTED} more`] : []),
  ].join("\n");

  const cwe = [...new Set(sorted.flatMap((a) => a.cwe ?? []))].sort();
  return {
    ruleId: RULE_ID,
    category: "vulnerable-dependency",
    severity,
    confidence: dep.resolvedFrom === "lockfile" ? "high" : "medium",
    path: dep.path,
    line: dep.line,
    endLine: dep.line,
    ...(dep.server !== undefined ? { server: dep.server } : {}),
    message: `${dep.name} ${version} (${role}${through}, ${source}) is affected by ${n} published security ${n === 1 ? "advisory" : "advisories"}, the most severe rated ${severity}.`,
    evidence,
    remediation: remediation(dep, version, sorted, known),
    cwe,
    owasp: ["MCP04"],
    key: `${dep.ecosystem}:${dep.name}@${version}`,
  };
}

/**
 * The smallest upgrade that leaves every advisory behind: the highest `fixed` among the ranges
 * that hold the installed version, raised again while that version itself falls in a range of
 * any advisory known for the package. No fix for a range that holds it means no upgrade to name.
 */
function remediation(dep: Dependency, version: string, affecting: Advisory[], known: Advisory[]): string {
  const eco = dep.ecosystem;
  const show = (v: string) => (eco === "Go" && dep.version?.startsWith("v") && !v.startsWith("v") ? `v${v}` : v);
  const max = (a: string | undefined, b: string) => (a === undefined || (compareVersions(eco, b, a) ?? 0) > 0 ? b : a);
  const transitive =
    !dep.direct && dep.via && dep.via.length > 1
      ? ` It comes in through ${dep.via.join(" > ")}: refresh the lockfile so it resolves the fixed version, or upgrade ${dep.via[0]}.`
      : "";

  let target: string | undefined;
  let noFix = false;
  for (const a of affecting) {
    for (const r of a.ranges) {
      if (!inRange(eco, version, r)) continue;
      if (r.fixed === undefined) noFix = true;
      else target = max(target, r.fixed);
    }
  }
  for (let step = 0; !noFix && target !== undefined && step < 32; step++) {
    const hit = known.flatMap((a) => a.ranges).find((r) => inRange(eco, target!, r));
    if (!hit) break;
    if (hit.fixed === undefined || (compareVersions(eco, hit.fixed, target) ?? 0) <= 0) noFix = true;
    else target = hit.fixed;
  }

  if (!noFix && target !== undefined) return `Upgrade ${dep.name} to ${show(target)} or later.${transitive}`;

  // A later release line may be clean even though this one never got a fix.
  const later = known
    .flatMap((a) => a.ranges.map((r) => r.fixed))
    .filter((v): v is string => v !== undefined && (compareVersions(eco, v, version) ?? 0) > 0)
    .sort((a, b) => compareVersions(eco, a, b) ?? 0)
    .find((v) => !known.some((a) => isAffected(eco, v, a.ranges)));
  const hint = later ? ` Version ${show(later)} and later are not affected by these advisories.` : "";
  return `${dep.name} ${version}: no fixed version is published; remove or replace ${dep.name}.${hint}`;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat || "(no summary)";
}
