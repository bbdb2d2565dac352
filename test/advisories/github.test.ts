import nock from "nock";
import { ProbotOctokit } from "probot";
import { GitHubAdvisorySource, nextCursor } from "../../lib/advisories/github.js";
import { isAffected } from "../../lib/advisories/versions.js";
import { osvJson, toRest } from "./helpers.js";

const API = "https://api.github.com";

function octokit() {
  return new ProbotOctokit({ auth: { token: "test-token" }, retry: { enabled: false }, throttle: { enabled: false } });
}

/** Serves GET /advisories, recording each query; `pages` are the bodies in order. */
function serve(pages: { body: unknown; link?: string; status?: number }[]) {
  const queries: Record<string, string>[] = [];
  const scope = nock(API);
  for (const page of pages) {
    scope
      .get("/advisories")
      .query((q) => {
        queries.push(q as Record<string, string>);
        return true;
      })
      .reply(page.status ?? 200, page.body as nock.Body, page.link ? { Link: page.link } : {});
  }
  return { scope, queries };
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe("GitHubAdvisorySource", () => {
  test("asks for the exact package@version pairs and maps the REST shape", async () => {
    const { scope, queries } = serve([{ body: [toRest(osvJson("GHSA-6xpm-ggf7-wc3p")), toRest(osvJson("GHSA-rv95-896h-c2vc"))] }]);
    const source = new GitHubAdvisorySource(octokit());
    const found = await source.lookup("npm", [
      { name: "mcp-remote", version: "0.1.15" },
      { name: "express", version: "4.19.1" },
    ]);
    scope.done();
    expect(queries).toEqual([{ ecosystem: "npm", affects: "mcp-remote@0.1.15,express@4.19.1", type: "reviewed", per_page: "100" }]);
    expect(source.requests).toBe(1);

    const remote = found.find((a) => a.package === "mcp-remote")!;
    expect(remote).toMatchObject({
      id: "GHSA-6xpm-ggf7-wc3p",
      aliases: ["CVE-2025-6514"],
      severity: "critical",
      ecosystem: "npm",
      ranges: [{ introduced: "0.0.5", fixed: "0.1.16" }],
      withdrawn: false,
      url: "https://github.com/advisories/GHSA-6xpm-ggf7-wc3p",
      cwe: ["CWE-78"],
    });
    expect(isAffected("npm", "0.1.15", remote.ranges)).toBe(true);
    expect(isAffected("npm", "0.1.16", remote.ranges)).toBe(false);

    // Two vulnerabilities[] entries for express become one advisory with both ranges; medium severity.
    const express = found.find((a) => a.package === "express")!;
    expect(express.severity).toBe("medium");
    expect(express.ranges).toEqual([
      { introduced: "0", fixed: "4.19.2" },
      { introduced: "5.0.0-alpha.1", fixed: "5.0.0-beta.3" },
    ]);
    expect(isAffected("npm", "5.0.0-beta.1", express.ranges)).toBe(true);
  });

  test("withdrawn advisories are skipped", async () => {
    const { scope } = serve([{ body: [toRest(osvJson("GHSA-27h2-hvpr-p74q"))] }]);
    const found = await new GitHubAdvisorySource(octokit()).lookup("npm", [{ name: "jsonwebtoken", version: "8.5.1" }]);
    scope.done();
    expect(found).toEqual([]);
  });

  test("a last_affected range comes back as `<= x` with no patched version", async () => {
    const { scope } = serve([{ body: [toRest(osvJson("GHSA-q66q-fx2p-7w4m"))] }]);
    const [a] = await new GitHubAdvisorySource(octokit()).lookup("npm", [{ name: "@modelcontextprotocol/server-filesystem", version: "0.6.2" }]);
    scope.done();
    expect(a.ranges).toEqual([
      { introduced: "0", lastAffected: "0.6.2" },
      { introduced: "2025.1.14", fixed: "2025.7.1" },
    ]);
    expect(isAffected("npm", "0.6.2", a.ranges)).toBe(true);
    expect(isAffected("npm", "0.6.3", a.ranges)).toBe(false);
  });

  test("PyPI is `pip` to GitHub and names match after PEP 503 normalisation", async () => {
    const { scope, queries } = serve([{ body: [toRest(osvJson("GHSA-cpwx-vrp4-4pq7")), toRest(osvJson("GHSA-mxxr-jv3v-6pgc"))] }]);
    const found = await new GitHubAdvisorySource(octokit()).lookup("PyPI", [
      { name: "jinja2", version: "3.1.5" },
      { name: "FastMCP", version: "2.12.5" },
    ]);
    scope.done();
    expect(queries[0].ecosystem).toBe("pip");
    expect(found.map((a) => `${a.package}:${a.severity}`).sort()).toEqual(["Jinja2:medium", "fastmcp:medium"]);
  });

  test("Go is `go` to GitHub and versions are sent without the v prefix", async () => {
    const { scope, queries } = serve([{ body: [toRest(osvJson("GHSA-w32m-9786-jp63"))] }]);
    const [a] = await new GitHubAdvisorySource(octokit()).lookup("Go", [{ name: "golang.org/x/net", version: "v0.30.0" }]);
    scope.done();
    expect(queries[0]).toMatchObject({ ecosystem: "go", affects: "golang.org/x/net@0.30.0" });
    expect(isAffected("Go", "v0.30.0", a.ranges)).toBe(true);
  });

  test("vulnerabilities of packages not asked about are not returned", async () => {
    const rest = toRest(osvJson("GHSA-6xpm-ggf7-wc3p"));
    rest.vulnerabilities.push({ package: { ecosystem: "npm", name: "other-pkg" }, vulnerable_version_range: "< 9.0.0", first_patched_version: "9.0.0" });
    rest.vulnerabilities.push({ package: { ecosystem: "pip", name: "mcp-remote" }, vulnerable_version_range: "< 9.0.0", first_patched_version: "9.0.0" });
    const { scope } = serve([{ body: [rest] }]);
    const found = await new GitHubAdvisorySource(octokit()).lookup("npm", [{ name: "mcp-remote", version: "0.1.0" }]);
    scope.done();
    expect(found).toHaveLength(1);
    expect(found[0].ranges).toEqual([{ introduced: "0.0.5", fixed: "0.1.16" }]);
  });

  test("more than 1000 packages are split into requests of at most 1000", async () => {
    const packages = Array.from({ length: 2500 }, (_, i) => ({ name: `pkg-${i}`, version: "1.0.0" }));
    const { scope, queries } = serve([{ body: [] }, { body: [] }, { body: [toRest(osvJson("GHSA-6xpm-ggf7-wc3p"))] }]);
    packages[2400] = { name: "mcp-remote", version: "0.1.0" };
    const source = new GitHubAdvisorySource(octokit());
    const found = await source.lookup("npm", packages);
    scope.done();
    expect(queries.map((q) => q.affects.split(",").length)).toEqual([1000, 1000, 500]);
    expect(new Set(queries.flatMap((q) => q.affects.split(","))).size).toBe(2500);
    expect(source.requests).toBe(3);
    expect(found.map((a) => a.id)).toEqual(["GHSA-6xpm-ggf7-wc3p"]);
  });

  test("follows the Link header's rel=next cursor until there is none", async () => {
    const link = (cursor: string) =>
      `<${API}/advisories?ecosystem=npm&affects=ws%408.0.0%2Cmcp-remote%400.1.0&type=reviewed&per_page=100&after=${cursor}>; rel="next"`;
    const { scope, queries } = serve([
      { body: [toRest(osvJson("GHSA-3h5v-q93c-6h6q"))], link: link("Y3Vyc29yOnYyOpK0") },
      { body: [toRest(osvJson("GHSA-6xpm-ggf7-wc3p"))], link: `${link("Y3Vyc29yOnYyOpK1")}, <${API}/advisories?before=abc>; rel="prev"` },
      { body: [], link: `<${API}/advisories?before=def>; rel="prev"` },
    ]);
    const source = new GitHubAdvisorySource(octokit());
    const found = await source.lookup("npm", [
      { name: "ws", version: "8.0.0" },
      { name: "mcp-remote", version: "0.1.0" },
    ]);
    scope.done();
    expect(source.requests).toBe(3);
    expect(queries.map((q) => q.after)).toEqual([undefined, "Y3Vyc29yOnYyOpK0", "Y3Vyc29yOnYyOpK1"]);
    expect(found.map((a) => a.id).sort()).toEqual(["GHSA-3h5v-q93c-6h6q", "GHSA-6xpm-ggf7-wc3p"]);
    const ws = found.find((a) => a.package === "ws")!;
    expect(ws.ranges).toHaveLength(4);
    expect(isAffected("npm", "8.17.0", ws.ranges)).toBe(true);
    expect(isAffected("npm", "8.17.1", ws.ranges)).toBe(false);
  });

  test("a repeated cursor stops instead of looping forever", async () => {
    const link = `<${API}/advisories?after=same>; rel="next"`;
    const { scope } = serve([{ body: [], link }, { body: [], link }]);
    await expect(new GitHubAdvisorySource(octokit()).lookup("npm", [{ name: "a", version: "1.0.0" }])).rejects.toThrow(/cursor repeated/);
    scope.done();
  });

  test("an HTTP error becomes an Error naming the status", async () => {
    const { scope } = serve([{ body: { message: "Server Error" }, status: 500 }]);
    await expect(new GitHubAdvisorySource(octokit()).lookup("npm", [{ name: "a", version: "1.0.0" }])).rejects.toThrow(/HTTP 500/);
    scope.done();
  });

  test("a body that is not a list is an error; a malformed advisory is skipped with a warning", async () => {
    const bad = serve([{ body: { unexpected: true } }]);
    await expect(new GitHubAdvisorySource(octokit()).lookup("npm", [{ name: "a", version: "1.0.0" }])).rejects.toThrow(/unexpected response/);
    bad.scope.done();

    const { scope } = serve([{ body: [{ ghsa_id: 42 }, toRest(osvJson("GHSA-6xpm-ggf7-wc3p"))] }]);
    const source = new GitHubAdvisorySource(octokit());
    const found = await source.lookup("npm", [{ name: "mcp-remote", version: "0.1.0" }]);
    scope.done();
    expect(found).toHaveLength(1);
    expect(source.warnings).toHaveLength(1);
  });

  test("nextCursor reads only rel=next", () => {
    expect(nextCursor(`<${API}/advisories?after=abc&per_page=100>; rel="next", <${API}/advisories?before=x>; rel="prev"`)).toBe("abc");
    expect(nextCursor(`<${API}/advisories?before=x>; rel="prev"`)).toBeUndefined();
    expect(nextCursor(undefined)).toBeUndefined();
    expect(nextCursor(`<${API}/advisories?page=2>; rel="next"`)).toBeUndefined();
  });
});
