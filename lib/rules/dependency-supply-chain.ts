import { hideUserinfo } from "../redact.js";
import { satisfies as pep440Satisfies, validRange as pep440ValidRange } from "@renovatebot/pep440";
import semver from "semver";
import type { Advisory } from "../advisories/types.js";
import { compareVersions } from "../advisories/versions.js";
import { comparableName } from "../deps/collector.js";
import { lookalikeOf } from "../deps/lookalike.js";
import { MCP_SDKS, PROTOCOL_FIXES, type ProtocolFix } from "../deps/mcp-packages.js";
import type { Declaration, Dependency, Ecosystem } from "../deps/types.js";
import type { RawFinding } from "../model.js";
import type { RuleContext, RuleFamily } from "./types.js";

export const LOCKFILE_RULE = "MCPW-DEP-002";
export const SOURCE_RULE = "MCPW-DEP-003";
export const OPEN_RANGE_RULE = "MCPW-DEP-004";
export const TYPOSQUAT_RULE = "MCPW-DEP-005";
export const OUTDATED_SDK_RULE = "MCPW-DEP-006";

const OWASP = ["MCP04"];
const LOCKFILE_NAMES: Record<Ecosystem, string> = {
  npm: "package-lock.json (npm install), pnpm-lock.yaml or yarn.lock",
  PyPI: "uv.lock (uv lock), poetry.lock (poetry lock) or a fully pinned requirements.txt (pip-compile --generate-hashes)",
  Go: "go.sum",
};

function clip(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** `https://user:token@host/...` -> `https://***@host/...`: specs in output never carry credentials. */
// ---------- MCPW-DEP-002: lockfile missing for a deployed server ----------

function lockfileFindings(ctx: RuleContext): RawFinding[] {
  const out: RawFinding[] = [];
  for (const p of ctx.deps.projects ?? []) {
    if (p.lockfile !== undefined || p.deployedBy.length === 0 || p.registryDependencies === 0) continue;
    const what = p.deployedBy.map((d) => (d.what === "scripts.start" ? `a start script (${d.path}:${d.line})` : d.path));
    out.push({
      ruleId: LOCKFILE_RULE,
      category: "supply-chain",
      severity: "medium",
      confidence: "high",
      path: p.manifest,
      line: 1,
      endLine: 1,
      server: p.server,
      message: `${p.manifest} declares ${p.registryDependencies} ${p.ecosystem} ${p.registryDependencies === 1 ? "dependency" : "dependencies"} but no lockfile pins them, and this server is deployed from the repository, so every build installs whatever versions are newest that day.`,
      evidence: `no lockfile for ${p.manifest}; deployed through ${what.join(", ")}`,
      remediation: `Commit a lockfile next to ${p.manifest}: ${LOCKFILE_NAMES[p.ecosystem]}, and install from it in the build (npm ci, uv sync --locked, poetry install, pip install --require-hashes -r requirements.txt).`,
      cwe: ["CWE-1357"],
      owasp: OWASP,
      key: `${p.ecosystem}:no-lockfile`,
    });
  }
  return out;
}

// ---------- MCPW-DEP-003: dependencies from git, URLs or paths outside the repository ----------

function sourceFindings(ctx: RuleContext): RawFinding[] {
  const out: RawFinding[] = [];
  for (const d of ctx.deps.declarations ?? []) {
    const finding = sourceFinding(d);
    if (finding) out.push(finding);
  }
  return out;
}

function sourceFinding(d: Declaration): RawFinding | undefined {
  const spec = hideUserinfo(d.spec);
  const base = {
    ruleId: SOURCE_RULE,
    category: "supply-chain" as const,
    path: d.path,
    line: d.line,
    endLine: d.line,
    ...(d.server !== undefined ? { server: d.server } : {}),
    evidence: clip(`${d.name}: ${spec}`),
    cwe: ["CWE-829"],
    owasp: OWASP,
    key: `${d.ecosystem}:${d.name}:${d.source}:${clip(spec, 200)}`,
  };
  const role = d.dev ? "development dependency" : "dependency";
  if (d.source === "git") {
    if (d.commit) {
      return {
        ...base,
        severity: "low",
        confidence: "high",
        message: `${d.name} is installed from a git repository pinned to commit ${d.commit.slice(0, 12)}, which bypasses the registry's advisories, provenance and integrity checks.`,
        remediation: `Prefer a published release of ${d.name} from the registry; if the fork is needed, keep the full commit hash and review every update to it.`,
      };
    }
    return {
      ...base,
      severity: "medium",
      confidence: "high",
      message: `${d.name} (${role}) is installed from a git repository without a commit hash, so each install takes whatever the branch or tag points to at that moment.`,
      remediation: `Use a published release of ${d.name} from the registry, or pin the git dependency to a full 40-character commit hash (e.g. github:owner/repo#<commit>, git+https://host/repo.git@<commit>).`,
    };
  }
  if (d.source === "tarball") {
    const insecure = /^http:\/\//i.test(d.spec);
    return {
      ...base,
      severity: insecure ? "high" : "medium",
      confidence: "high",
      message: `${d.name} (${role}) is downloaded from ${insecure ? "a plain-HTTP URL that anyone on the network path can replace" : "a URL outside the package registry"}, which bypasses the registry's advisories and integrity checks.`,
      remediation: `Depend on a published release of ${d.name} from the registry; if the archive is needed, serve it over HTTPS and pin its hash (npm lockfile integrity, pip --require-hashes).`,
    };
  }
  if (d.source === "local" && d.outsideRepo) {
    return {
      ...base,
      severity: "medium",
      confidence: "high",
      message: `${d.name} (${role}) is installed from a local path outside this repository, so a build uses whatever happens to be in that folder on the build machine.`,
      remediation: `Publish ${d.name} to the registry and depend on a version, or move it into this repository (a workspace package) so it is reviewed with the server.`,
    };
  }
  return undefined;
}

// ---------- MCPW-DEP-004: open ranges on MCP SDKs without a lockfile ----------

/** True when a declared range has no upper bound (any future release satisfies it). */
export function isOpenRange(ecosystem: Ecosystem, spec: string | undefined): boolean {
  const s = (spec ?? "").trim();
  if (ecosystem === "PyPI") {
    // "*" is Poetry's and Pipenv's "any version".
    if (s === "" || s === "*") return true;
    if (pep440ValidRange(s) === null) return false;
    return pep440Satisfies("99999.0", s);
  }
  if (ecosystem !== "npm") return false;
  if (s === "" || s === "*" || s === "x" || s.toLowerCase() === "latest") return true;
  if (semver.validRange(s) === null) {
    // A dist-tag ("next", "beta", "canary") follows whatever is published under it.
    return /^[a-z][a-z0-9-]*$/i.test(s);
  }
  return semver.satisfies("99999.0.0", s);
}

function openRangeFindings(ctx: RuleContext): RawFinding[] {
  const out: RawFinding[] = [];
  for (const d of ctx.deps.unresolved) {
    const sdks = MCP_SDKS[d.ecosystem].map((n) => comparableName(d.ecosystem, n));
    if (!sdks.includes(comparableName(d.ecosystem, d.name)) || !isOpenRange(d.ecosystem, d.declared)) continue;
    const shown = d.declared === undefined || d.declared === "" ? "no version constraint" : `"${d.declared}"`;
    out.push({
      ruleId: OPEN_RANGE_RULE,
      category: "supply-chain",
      severity: "medium",
      confidence: "high",
      path: d.path,
      line: d.line,
      endLine: d.line,
      ...(d.server !== undefined ? { server: d.server } : {}),
      message: `The MCP SDK ${d.name} is declared with ${shown}, which has no upper bound, and no lockfile pins it: any future release, including a breaking or compromised one, is installed on the next build.`,
      evidence: clip(`${d.name} ${d.declared ?? ""}`.trim()),
      remediation:
        d.ecosystem === "npm"
          ? `Declare a bounded range such as "^<current major>.<minor>.0" for ${d.name} and commit the lockfile (package-lock.json, pnpm-lock.yaml or yarn.lock).`
          : `Declare a bounded range such as "${d.name}>=X.Y,<NEXT_MAJOR" and lock it (uv lock, poetry lock, or pip-compile).`,
      cwe: ["CWE-1357"],
      owasp: OWASP,
      key: `${d.ecosystem}:${d.name}:${d.declared ?? ""}`,
    });
  }
  return out;
}

// ---------- MCPW-DEP-005: typosquats of MCP packages ----------

function typosquatFindings(ctx: RuleContext): RawFinding[] {
  const out: RawFinding[] = [];
  const seen = new Set<string>();
  const candidates: { ecosystem: Ecosystem; name: string; path: string; line: number; server?: string; via?: string[] }[] = [
    ...(ctx.deps.declarations ?? []),
    ...ctx.deps.dependencies,
    ...ctx.deps.unresolved,
  ];
  for (const c of candidates) {
    // One finding per package and server: the manifest line where it is declared when there is
    // one (listed first), else the lockfile entry that brings it in.
    const id = `${c.ecosystem}\0${comparableName(c.ecosystem, c.name)}\0${c.server ?? ""}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const looks = lookalikeOf(c.ecosystem, c.name);
    if (!looks) continue;
    const through = c.via && c.via.length > 1 ? ` (brought in via ${c.via.join(" > ")})` : "";
    out.push({
      ruleId: TYPOSQUAT_RULE,
      category: "supply-chain",
      severity: "high",
      confidence: "medium",
      path: c.path,
      line: c.line,
      endLine: c.line,
      ...(c.server !== undefined ? { server: c.server } : {}),
      message: `${c.name}${through} looks like the popular MCP package ${looks.target} (${looks.how}) without being it: a typosquat runs its own code at install and at run time.`,
      evidence: `${c.name} ~ ${looks.target} (${looks.how})`,
      remediation: `Check that ${c.name} is the package you meant; if you wanted ${looks.target}, replace it, refresh the lockfile, and rotate any credentials the server had while the other package was installed.`,
      cwe: ["CWE-1357"],
      owasp: OWASP,
      key: `${c.ecosystem}:${comparableName(c.ecosystem, c.name)}`,
    });
  }
  return out;
}

// ---------- MCPW-DEP-006: SDK below the release that fixed a protocol-level flaw ----------

/**
 * When the scan has the advisory that announced the fix and it matches, MCPW-DEP-001 reports it
 * with the advisory's own severity; this rule names the flaw only when that did not happen (no
 * advisory source, an offline mirror without the record, or a failed lookup).
 */
function outdatedSdkFindings(ctx: RuleContext): RawFinding[] {
  const out: RawFinding[] = [];
  const done = new Set<string>();
  for (const d of ctx.deps.dependencies) {
    if (d.version === undefined) continue;
    for (const fix of PROTOCOL_FIXES) {
      if (fix.ecosystem !== d.ecosystem || comparableName(d.ecosystem, fix.name) !== comparableName(d.ecosystem, d.name)) continue;
      const below = compareVersions(d.ecosystem, d.version, fix.fixed);
      if (below === undefined || below >= 0) continue;
      if (advisoryCovers(ctx.advisories, fix, d)) continue;
      const once = `${d.path}\0${d.name}\0${d.version}\0${fix.fixed}`;
      if (done.has(once)) continue;
      done.add(once);
      out.push(outdatedFinding(d, fix));
    }
  }
  return out;
}

function advisoryCovers(advisories: Advisory[], fix: ProtocolFix, d: Dependency): boolean {
  return advisories.some(
    (a) =>
      !a.withdrawn &&
      a.ecosystem === d.ecosystem &&
      comparableName(a.ecosystem, a.package) === comparableName(d.ecosystem, d.name) &&
      (fix.advisories.includes(a.id) || a.aliases.some((x) => fix.advisories.includes(x))),
  );
}

function outdatedFinding(d: Dependency, fix: ProtocolFix): RawFinding {
  const where = d.resolvedFrom === "lockfile" ? "resolved in" : "pinned in";
  return {
    ruleId: OUTDATED_SDK_RULE,
    category: "vulnerable-dependency",
    severity: "medium",
    confidence: d.resolvedFrom === "lockfile" ? "high" : "medium",
    path: d.path,
    line: d.line,
    endLine: d.line,
    ...(d.server !== undefined ? { server: d.server } : {}),
    message: `${d.name} ${d.version} (${where} ${d.path}) is older than ${fix.fixed}, the release that fixed a protocol-level flaw: ${fix.flaw}.`,
    evidence: `${d.name}@${d.version} < ${fix.fixed}${d.via ? ` (via ${d.via.join(" > ")})` : ""}; ${fix.advisories.join(" / ")}`,
    remediation: `Upgrade ${d.name} to ${fix.fixed} or later. Until then, bind HTTP transports to localhost only behind authentication, and validate the Host and Origin headers (allowedHosts / allowedOrigins).`,
    cwe: ["CWE-1188", "CWE-350"],
    owasp: ["MCP04", "MCP07"],
    key: `${d.ecosystem}:${d.name}@${d.version}:${fix.fixed}`,
  };
}

export const dependencySupplyChain: RuleFamily = {
  id: "dependency-supply-chain",
  rules: [
    {
      id: LOCKFILE_RULE,
      title: "Lockfile missing for a server deployed from the repository",
      category: "supply-chain",
      severity: "medium",
      looksFor:
        "A package.json, pyproject.toml, Pipfile or requirements file with registry dependencies and no lockfile covering it, in a folder that is deployed as an application: it has a Dockerfile, Containerfile, smithery.yaml, Procfile or fly.toml, or package.json has a start script.",
      ignores:
        "Libraries (no deployment evidence: a `bin` alone does not count, since npx and pip installs never read the repository's lockfile); folders covered by package-lock.json, npm-shrinkwrap.json, pnpm-lock.yaml, yarn.lock, bun.lock, uv.lock, poetry.lock, Pipfile.lock, pdm.lock or pylock.toml, including a workspace lockfile above them; requirements files where every line is an exact == pin; Go, whose go.mod already fixes every version.",
      remediation: "Commit a lockfile and install from it in the build (npm ci, uv sync --locked, poetry install, pip install --require-hashes).",
    },
    {
      id: SOURCE_RULE,
      title: "Dependency installed from git, a URL, or a path outside the repository",
      category: "supply-chain",
      severity: "medium",
      looksFor:
        "Dependencies declared as git repositories without a full commit hash (github:user/repo, git+https://..., Poetry/uv/Pipfile git tables without rev), tarball or wheel URLs (high over plain http), and local paths that leave the repository (file:../.., absolute paths, go.mod replace with such a folder). A git dependency pinned to a full commit hash is reported as low.",
      ignores:
        "Registry versions, workspace: and file: paths inside the repository, editable installs of the project itself, go.mod replace directives that point to another published module version.",
      remediation: "Depend on published registry releases; pin unavoidable git dependencies to a full commit hash; move local packages into the repository.",
    },
    {
      id: OPEN_RANGE_RULE,
      title: "MCP SDK declared with an open version range and no lockfile",
      category: "supply-chain",
      severity: "medium",
      looksFor:
        "An MCP SDK or framework (@modelcontextprotocol/sdk, fastmcp, mcp-framework, mcp-handler on npm; mcp, fastmcp on PyPI) declared with *, latest, a dist-tag, >=x, or no constraint at all, when no lockfile resolves it.",
      ignores:
        "Bounded ranges (^1.2.0, ~=1.2, >=1,<2), exact pins, and any range a lockfile resolves; Go modules (go.mod names exact versions).",
      remediation: "Declare a bounded range for the SDK and commit a lockfile.",
    },
    {
      id: TYPOSQUAT_RULE,
      title: "Dependency name imitating a popular MCP package",
      category: "supply-chain",
      severity: "high",
      looksFor:
        "Declared or installed packages whose name is within Damerau-Levenshtein distance 1 (names of 6+ characters) or 2 (10+ characters) of a popular MCP SDK or server, with hyphenated names compared word by word; names with the same letters once separators, case and look-alike characters (I/1/l, 0/o, rn/m) are set aside; npm scopes that imitate @modelcontextprotocol or @anthropic-ai (@modelcontextprotocoI, @model-context-protocol, @modelcontextprotocol-sdk); Go modules one or two edits from mark3labs/mcp-go, modelcontextprotocol/go-sdk or metoro-io/mcp-golang.",
      ignores:
        "The genuine packages, every package in the genuine scopes and Go owners, short names such as mcp and mcpo on their own, short words of hyphenated names that differ by more than a swapped, dropped or doubled letter (mcp-server-gac is not mcp-server-git), and a list of legitimate neighbours checked against the registries (fastmap, fastcp, fastgcp...). Over the npm (226,994 names) and PyPI (886,324 names) package lists it flags 0 and 2 names.",
      remediation: "Check the name; replace an impostor with the genuine package, refresh the lockfile and rotate credentials the server held.",
    },
    {
      id: OUTDATED_SDK_RULE,
      title: "MCP SDK older than the release that fixed a protocol-level flaw",
      category: "vulnerable-dependency",
      severity: "medium",
      looksFor:
        "A resolved @modelcontextprotocol/sdk below 1.24.0 (GHSA-w48q-cv73-mx4w), mcp below 1.23.0 (GHSA-9h52-p55h-vw2f) or github.com/modelcontextprotocol/go-sdk below v1.4.0 (GHSA-xw59-hvm2-8pj6): releases without DNS-rebinding protection by default on their HTTP transports.",
      ignores:
        "Versions at or above the fix, declared ranges that are not resolved, and any case where the scan's advisory data already holds that advisory for the package: MCPW-DEP-001 then reports it, once, with the advisory's severity.",
      remediation: "Upgrade the SDK to the fixed release; meanwhile validate Host and Origin headers on HTTP transports.",
    },
  ],
  run(ctx: RuleContext): RawFinding[] {
    return [...lockfileFindings(ctx), ...sourceFindings(ctx), ...openRangeFindings(ctx), ...typosquatFindings(ctx), ...outdatedSdkFindings(ctx)];
  },
};
