import { emptyManifests } from "../../lib/manifests/index.js";
import { fetchAdvisories } from "../../lib/advisories/fetch.js";
import { OsvDirectorySource } from "../../lib/advisories/osv.js";
import type { Advisory } from "../../lib/advisories/types.js";
import { collectDependencies } from "../../lib/deps/index.js";
import type { Dependency, DependencyFacts } from "../../lib/deps/types.js";
import type { McpServer } from "../../lib/detect/types.js";
import type { RawFinding } from "../../lib/model.js";
import { vulnerableDependency } from "../../lib/rules/vulnerable-dependency.js";
import { readdirSync } from "node:fs";
import nock from "nock";
import { ProbotOctokit } from "probot";
import { CachedAdvisorySource } from "../../lib/advisories/cache.js";
import { GitHubAdvisorySource } from "../../lib/advisories/github.js";
import { OSV_DIR, advisory, osvJson, toRest } from "../advisories/helpers.js";
import { lineOf, server, snapshotOf } from "../deps/helpers.js";

const osv = new OsvDirectorySource(OSV_DIR);

/** The whole path the scan takes: manifests -> dependencies -> advisories -> findings. */
async function scanFixture(fixture: string | Record<string, string>, servers: McpServer[]): Promise<RawFinding[]> {
  const snapshot = snapshotOf(fixture);
  const deps = collectDependencies(snapshot, servers);
  const advisories = await fetchAdvisories(osv, deps);
  return vulnerableDependency.run({ snapshot, servers, facts: { files: [] }, deps, advisories, manifests: emptyManifests() });
}

function runOn(deps: Dependency[], advisories: Advisory[]): RawFinding[] {
  const facts: DependencyFacts = { dependencies: deps, unresolved: [], problems: [] };
  return vulnerableDependency.run({ snapshot: snapshotOf({}), servers: [], facts: { files: [] }, deps: facts, advisories, manifests: emptyManifests() });
}

const dep = (over: Partial<Dependency> & Pick<Dependency, "name" | "version">): Dependency => ({
  ecosystem: "npm",
  resolvedFrom: "lockfile",
  direct: true,
  path: "package-lock.json",
  line: 7,
  ...over,
});

const byKey = (findings: RawFinding[]) => new Map(findings.map((f) => [f.key, f]));

describe("MCPW-DEP-001 on a lockfile v3 project", () => {
  let findings: RawFinding[];
  beforeAll(async () => {
    findings = await scanFixture("npm-v3", [server(".")]);
  });

  test("exactly the vulnerable installed versions are reported", () => {
    expect(findings.map((f) => f.key).sort()).toEqual([
      "npm:@modelcontextprotocol/sdk@1.24.0",
      "npm:express@5.0.0-beta.1",
      "npm:mcp-remote@0.1.15",
      "npm:path-to-regexp@3.2.0",
      "npm:ws@8.17.0",
    ]);
  });

  test("a range whose lockfile resolves a patched version is not a finding", () => {
    // package.json says express ^4.18.0; the lockfile installed 4.21.2 (fixed for both advisories).
    expect(findings.some((f) => f.key === "npm:express@4.21.2")).toBe(false);
    expect(findings.some((f) => f.key.startsWith("npm:path-to-regexp@0.1.12"))).toBe(false);
    expect(findings.some((f) => f.key.startsWith("npm:body-parser"))).toBe(false);
  });

  test("the finding: where, how bad, how sure, what to do", () => {
    const f = byKey(findings).get("npm:mcp-remote@0.1.15")!;
    expect(f).toMatchObject({
      ruleId: "MCPW-DEP-001",
      category: "vulnerable-dependency",
      severity: "critical",
      confidence: "high",
      path: "package-lock.json",
      line: lineOf(snapshotOf("npm-v3"), "package-lock.json", '"node_modules/mcp-remote"'),
      server: ".",
      cwe: ["CWE-78"],
      owasp: ["MCP04"],
    });
    expect(f.endLine).toBe(f.line);
    expect(f.message).toContain("mcp-remote 0.1.15");
    expect(f.message).toContain("1 published security advisory");
    expect(f.evidence).toContain("GHSA-6xpm-ggf7-wc3p / CVE-2025-6514 (critical)");
    expect(f.remediation).toBe("Upgrade mcp-remote to 0.1.16 or later.");
  });

  test("several advisories: one finding listing all, highest severity, smallest upgrade fixing all", () => {
    const sdk = byKey(findings).get("npm:@modelcontextprotocol/sdk@1.24.0")!;
    // 1.24.0 is past GHSA-w48q (fixed 1.24.0) but inside GHSA-8r9q (< 1.25.2) and GHSA-345p (1.10.0 .. < 1.26.0).
    expect(sdk.evidence).toContain("GHSA-8r9q-7v3j-jr4g");
    expect(sdk.evidence).toContain("GHSA-345p-7cg4-v4c7");
    expect(sdk.evidence).not.toContain("GHSA-w48q-cv73-mx4w");
    expect(sdk.message).toContain("2 published security advisories");
    expect(sdk.severity).toBe("high");
    expect(sdk.remediation).toBe("Upgrade @modelcontextprotocol/sdk to 1.26.0 or later.");
  });

  test("transitive: the chain is in the evidence and the remediation", () => {
    const p = byKey(findings).get("npm:path-to-regexp@3.2.0")!;
    expect(p.evidence).toContain("via @modelcontextprotocol/sdk > express > path-to-regexp");
    expect(p.remediation).toMatch(/^Upgrade path-to-regexp to 3\.3\.0 or later\. It comes in through @modelcontextprotocol\/sdk > express > path-to-regexp/);
    const express = byKey(findings).get("npm:express@5.0.0-beta.1")!;
    // Prerelease inside both express ranges; the later fix is 5.0.0.
    expect(express.remediation).toMatch(/^Upgrade express to 5\.0\.0 or later\./);
    expect(express.severity).toBe("medium");
  });
});

describe("workspaces and manifest pins", () => {
  test("monorepo: findings carry the server that uses the package; patched lockfile versions stay quiet", async () => {
    const findings = await scanFixture("monorepo", [server("packages/server-a"), server("packages/server-b")]);
    expect(findings.map((f) => `${f.server} ${f.key}`).sort()).toEqual([
      "packages/server-a npm:@modelcontextprotocol/sdk@1.11.0",
      "packages/server-a npm:minimist@1.2.5",
      "packages/server-a npm:ws@8.17.0",
    ]);
  });

  test("a manifest pin is medium confidence; a range without a lockfile is never a finding", async () => {
    const findings = await scanFixture("npm-pins", [server(".")]);
    const keys = findings.map((f) => f.key).sort();
    expect(keys).toEqual(["npm:express@4.19.1", "npm:mcp-remote@0.1.14", "npm:mcp-remote@0.1.15", "npm:minimist@1.2.5"]);
    const remote = byKey(findings).get("npm:mcp-remote@0.1.15")!;
    expect(remote.confidence).toBe("medium");
    expect(remote.path).toBe("package.json");
    expect(remote.message).toContain("pinned in package.json");
    expect(findings.find((f) => f.key === "npm:minimist@1.2.5")?.message).toMatch(/resolved in package-lock\.json|pinned in package\.json/);
    // ws ~8.17.0 could be 8.17.1 (fixed): unresolved, so silent.
    expect(keys.some((k) => k.startsWith("npm:ws"))).toBe(false);
  });
});

describe("PyPI and Go", () => {
  test("PyPI pins: name normalisation and PEP 440 boundaries", async () => {
    const findings = await scanFixture(
      {
        "requirements.txt": "FastMCP==2.12.5\njinja2==3.1.5\nmcp==1.23.0\nmcp-server-git==2025.12.18\nPydantic==2.4.0\n",
      },
      [server(".", "python")],
    );
    expect(findings.map((f) => f.key).sort()).toEqual(["PyPI:FastMCP@2.12.5", "PyPI:jinja2@3.1.5"]);
    const fastmcp = byKey(findings).get("PyPI:FastMCP@2.12.5")!;
    // Four records: three fixed in 2.13.0, one (GHSA-rcfx) only in 2.14.0.
    expect(fastmcp.message).toContain("4 published security advisories");
    expect(fastmcp.remediation).toBe("Upgrade FastMCP to 2.14.0 or later.");
    expect(fastmcp.severity).toBe("high");
    expect(fastmcp.confidence).toBe("medium");
  });

  test("uv.lock: CalVer last_affected with no fix", async () => {
    const findings = await scanFixture("python-uv", [server(".", "python")]);
    const git = byKey(findings).get("PyPI:mcp-server-git@2025.11.25")!;
    expect(git.confidence).toBe("high");
    expect(git.evidence).toContain("GHSA-9xwc-hfwc-8w59");
    expect(git.evidence).toContain("GHSA-j22h-9j4x-23w5");
    expect(git.evidence).not.toContain("GHSA-5cgr-j3jf-jw3v"); // fixed in 2025.9.25
    expect(git.remediation).toContain("no fixed version is published; remove or replace");
    expect(byKey(findings).get("PyPI:mcp@1.9.4")!.remediation).toBe("Upgrade mcp to 1.23.0 or later.");
  });

  test("Go: v-prefixed versions match and the upgrade keeps the prefix", async () => {
    const findings = await scanFixture("go-server", [server("cmd/mcp", "go")]);
    expect(findings.map((f) => f.key)).toEqual(["Go:golang.org/x/net@v0.30.0"]);
    expect(findings[0].remediation).toBe("Upgrade golang.org/x/net to v0.38.0 or later.");
    expect(findings[0].message).toContain("3 published security advisories");
  });
});

describe("precision", () => {
  test("withdrawn advisories never match", () => {
    const withdrawn = { ...advisory("GHSA-6xpm-ggf7-wc3p"), withdrawn: true };
    expect(runOn([dep({ name: "mcp-remote", version: "0.1.0" })], [withdrawn])).toEqual([]);
  });

  test("a withdrawn record in the folder (jsonwebtoken) is ignored end to end", async () => {
    const findings = await scanFixture({ "package.json": JSON.stringify({ dependencies: { jsonwebtoken: "8.5.1" } }) }, [server(".")]);
    expect(findings).toEqual([]);
  });

  test("boundaries: 0.0.4 and 0.1.16 are clean, 0.0.5 is not", () => {
    const adv = [advisory("GHSA-6xpm-ggf7-wc3p")];
    expect(runOn([dep({ name: "mcp-remote", version: "0.0.4" })], adv)).toEqual([]);
    expect(runOn([dep({ name: "mcp-remote", version: "0.1.16" })], adv)).toEqual([]);
    expect(runOn([dep({ name: "mcp-remote", version: "0.0.5" })], adv)).toHaveLength(1);
  });

  test("same name in another ecosystem does not match; unresolved dependencies are never findings", () => {
    const adv = [advisory("GHSA-6xpm-ggf7-wc3p")];
    expect(runOn([dep({ name: "mcp-remote", version: "0.1.0", ecosystem: "PyPI" })], adv)).toEqual([]);
    expect(runOn([dep({ name: "mcp-remote", version: undefined, declared: "^0.1.0" })], adv)).toEqual([]);
  });

  test("one finding per package+version+path, even when the advisory arrives twice", () => {
    const a = advisory("GHSA-6xpm-ggf7-wc3p");
    const findings = runOn(
      [dep({ name: "mcp-remote", version: "0.1.0" }), dep({ name: "mcp-remote", version: "0.1.0", line: 40 }), dep({ name: "mcp-remote", version: "0.1.0", path: "b/package-lock.json" })],
      [a, { ...a }],
    );
    expect(findings.map((f) => `${f.path}:${f.line}`)).toEqual(["package-lock.json:7", "b/package-lock.json:7"]);
    expect(findings[0].message).toContain("1 published security advisory");
  });

  test("server-filesystem 0.6.2: no fix on its line, but the later CalVer line is named", () => {
    const adv = [advisory("GHSA-q66q-fx2p-7w4m"), advisory("GHSA-hc55-p739-j48w")];
    const [f] = runOn([dep({ name: "@modelcontextprotocol/server-filesystem", version: "0.6.2" })], adv);
    expect(f.remediation).toContain("no fixed version is published; remove or replace @modelcontextprotocol/server-filesystem");
    expect(f.remediation).toContain("Version 2025.7.1 and later are not affected");
    expect(runOn([dep({ name: "@modelcontextprotocol/server-filesystem", version: "0.6.3" })], adv)).toEqual([]);
    expect(runOn([dep({ name: "@modelcontextprotocol/server-filesystem", version: "2025.7.1" })], adv)).toEqual([]);
    const [calver] = runOn([dep({ name: "@modelcontextprotocol/server-filesystem", version: "2025.3.28" })], adv);
    expect(calver.remediation).toBe("Upgrade @modelcontextprotocol/server-filesystem to 2025.7.1 or later.");
  });

  test("the upgrade target is raised when the first fix lands in another advisory's range", () => {
    const a: Advisory = { ...advisory("GHSA-6xpm-ggf7-wc3p"), id: "GHSA-aaaa-aaaa-aaaa", ranges: [{ introduced: "0", fixed: "1.0.0" }] };
    const b: Advisory = { ...a, id: "GHSA-bbbb-bbbb-bbbb", ranges: [{ introduced: "1.0.0", fixed: "1.0.3" }] };
    const [f] = runOn([dep({ name: "mcp-remote", version: "0.9.0" })], [a, b]);
    expect(f.evidence).not.toContain("GHSA-bbbb");
    expect(f.remediation).toBe("Upgrade mcp-remote to 1.0.3 or later.");
  });

  test("many advisories are listed up to a limit, and summaries stay on one line", () => {
    const base = advisory("GHSA-6xpm-ggf7-wc3p");
    const many = Array.from({ length: 14 }, (_, i) => ({ ...base, id: `GHSA-test-${String(i).padStart(4, "0")}-xxxx`, summary: "line one\nline two" }));
    const [f] = runOn([dep({ name: "mcp-remote", version: "0.1.0" })], many);
    expect(f.message).toContain("14 published security advisories");
    expect(f.evidence.split("\n")).toHaveLength(1 + 10 + 1);
    expect(f.evidence).toContain("... and 4 more");
    expect(f.evidence).toContain("line one line two");
  });
});

describe("with GitHub's REST source (nock), as the App runs it", () => {
  const REST_ECO: Record<string, string> = { npm: "npm", pip: "PyPI", go: "Go" };
  const records = readdirSync(OSV_DIR).filter((n) => n.endsWith(".json")).map((n) => osvJson(n.replace(/\.json$/, "")));

  /** A stand-in for GET /advisories: every fixture record naming one of the `affects` packages. */
  function fakeGitHub() {
    const queries: Record<string, string>[] = [];
    nock("https://api.github.com")
      .persist()
      .get("/advisories")
      .query(true)
      .reply(function (uri) {
        const q = Object.fromEntries(new URL(uri, "https://api.github.com").searchParams);
        queries.push(q);
        const names = new Set(q.affects.split(",").map((a: string) => a.slice(0, a.lastIndexOf("@")).toLowerCase()));
        const body = records
          .filter((r) => r.affected.some((a: any) => a.package.ecosystem === REST_ECO[q.ecosystem] && names.has(a.package.name.toLowerCase())))
          .map(toRest);
        return [200, body];
      });
    return queries;
  }

  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  test("same findings as the offline records, one request per ecosystem, none on a repeated scan", async () => {
    const queries = fakeGitHub();
    const octokit = new ProbotOctokit({ auth: { token: "t" }, retry: { enabled: false }, throttle: { enabled: false } });
    const cache = new CachedAdvisorySource(new GitHubAdvisorySource(octokit));
    const snapshot = snapshotOf("npm-v3");
    const servers = [server(".")];
    const deps = collectDependencies(snapshot, servers);
    const run = async () =>
      vulnerableDependency.run({ snapshot, servers, facts: { files: [] }, deps, advisories: await fetchAdvisories(cache, deps), manifests: emptyManifests() });

    const first = await run();
    expect(queries).toHaveLength(1);
    expect(queries[0].affects.split(",")).toHaveLength(10);
    const offline = await scanFixture("npm-v3", servers);
    expect(first.map((f) => [f.key, f.severity, f.remediation]).sort()).toEqual(offline.map((f) => [f.key, f.severity, f.remediation]).sort());

    const second = await run();
    expect(queries).toHaveLength(1);
    expect(second).toEqual(first);
  });
});

describe("every lockfile format, with the chain that brings a package in", () => {
  test("yarn.lock classic: transitive findings name their path", async () => {
    const findings = await scanFixture("yarn-classic", [server(".")]);
    expect(findings.map((f) => f.key).sort()).toEqual([
      "npm:@modelcontextprotocol/sdk@1.23.0",
      "npm:body-parser@1.20.2",
      "npm:express@4.19.2",
      "npm:mcp-remote@0.1.15",
      "npm:path-to-regexp@0.1.7",
    ]);
    const bp = byKey(findings).get("npm:body-parser@1.20.2")!;
    expect(bp.message).toContain("transitive dependency via express > body-parser, resolved in yarn.lock");
    expect(bp.remediation).toBe(
      "Upgrade body-parser to 1.20.3 or later. It comes in through express > body-parser: refresh the lockfile so it resolves the fixed version, or upgrade express.",
    );
    // path-to-regexp 0.1.7: two advisories (< 0.1.10 and < 0.1.12) -> one finding, one upgrade.
    expect(byKey(findings).get("npm:path-to-regexp@0.1.7")!.remediation).toMatch(/^Upgrade path-to-regexp to 0\.1\.12 or later\./);
  });

  test("yarn.lock berry workspaces: each server's findings, patched versions quiet", async () => {
    const findings = await scanFixture("yarn-berry-workspaces", [server("packages/server-a"), server("packages/server-b")]);
    expect(findings.map((f) => `${f.server} ${f.key}`).sort()).toEqual([
      "packages/server-a npm:@modelcontextprotocol/sdk@1.24.0",
      "packages/server-a npm:mcp-remote@0.1.15",
      "packages/server-a npm:semver@7.5.1",
    ]);
    expect(byKey(findings).get("npm:semver@7.5.1")!.message).toContain("via shared-utils > semver");
  });

  test("Pipfile.lock and go.sum", async () => {
    const py = await scanFixture("python-pipenv", [server(".", "python")]);
    expect(py.map((f) => f.key).sort()).toEqual(["PyPI:mcp@1.9.3", "PyPI:starlette@0.39.2"]);
    expect(byKey(py).get("PyPI:mcp@1.9.3")!.remediation).toBe("Upgrade mcp to 1.23.0 or later.");
    const go = await scanFixture("go-legacy", [server(".", "go")]);
    expect(go.map((f) => [f.key, f.path])).toEqual([["Go:golang.org/x/net@v0.23.0", "go.sum"]]);
    expect(go[0].remediation).toBe("Upgrade golang.org/x/net to v0.38.0 or later.");
  });
});

describe("the dependency path in findings, for every format that records the graph", () => {
  test.each([
    ["pnpm", [server("packages/server")], "path-to-regexp 0.1.7 (transitive dependency via express > path-to-regexp, resolved in pnpm-lock.yaml)"],
    ["python-uv", [server(".", "python")], "starlette 0.39.2 (transitive dependency via mcp > starlette, resolved in uv.lock)"],
    ["python-poetry", [server(".", "python")], "mcp 1.22.0 (transitive dependency via fastmcp > mcp, resolved in poetry.lock)"],
    ["python-compiled", [server(".", "python")], "httpx 0.22.0 (transitive dependency via mcp > httpx, pinned in requirements.txt)"],
    ["npm-v3", [server(".")], "path-to-regexp 3.2.0 (transitive dependency via @modelcontextprotocol/sdk > express > path-to-regexp, resolved in package-lock.json)"],
  ] as const)("%s", async (fixture, servers, expected) => {
    const findings = await scanFixture(fixture, [...servers]);
    expect(findings.map((f) => f.message).filter((m) => m.startsWith(expected.split(" (")[0] + " ("))).toEqual([expect.stringContaining(expected)]);
  });
});
