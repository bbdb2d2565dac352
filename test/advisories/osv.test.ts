import { join } from "node:path";
import { advisoriesFromOsv, OsvDirectorySource, parseOsvRecord } from "../../lib/advisories/osv.js";
import { isAffected } from "../../lib/advisories/versions.js";
import { osvJson, OSV_DIR } from "./helpers.js";

const BROKEN = join(process.cwd(), "test", "fixtures", "advisories", "broken");

describe("advisoriesFromOsv", () => {
  test("maps id, aliases, severity, ranges, cwe and url", () => {
    const parsed = parseOsvRecord(osvJson("GHSA-6xpm-ggf7-wc3p"));
    if (!parsed.ok) throw new Error(parsed.message);
    expect(advisoriesFromOsv(parsed.record)).toEqual([
      {
        id: "GHSA-6xpm-ggf7-wc3p",
        aliases: ["CVE-2025-6514"],
        summary: "mcp-remote exposed to OS command injection via untrusted MCP server connections",
        severity: "critical",
        ecosystem: "npm",
        package: "mcp-remote",
        ranges: [{ introduced: "0.0.5", fixed: "0.1.16" }],
        withdrawn: false,
        url: "https://github.com/advisories/GHSA-6xpm-ggf7-wc3p",
        cwe: ["CWE-78"],
      },
    ]);
  });

  test.each([
    ["GHSA-xvch-5gv4-984h", "critical"],
    ["GHSA-3h5v-q93c-6h6q", "high"],
    ["GHSA-qw6h-vgh9-j6wx", "medium"], // MODERATE
    ["GHSA-cxrh-j4jr-qwg3", "low"],
  ])("%s severity is %s", (id, severity) => {
    const parsed = parseOsvRecord(osvJson(id));
    if (!parsed.ok) throw new Error(parsed.message);
    expect(advisoriesFromOsv(parsed.record)[0].severity).toBe(severity);
  });

  test("a record without aliases, CVSS or CWE still maps", () => {
    const parsed = parseOsvRecord(osvJson("GHSA-rcfx-77hg-w2wv"));
    if (!parsed.ok) throw new Error(parsed.message);
    const [a] = advisoriesFromOsv(parsed.record);
    expect(a.aliases).toEqual([]);
    expect(a.cwe).toBeUndefined();
    expect(a.ecosystem).toBe("PyPI");
    expect(isAffected("PyPI", "2.13.3", a.ranges)).toBe(true);
    expect(isAffected("PyPI", "2.14.0", a.ranges)).toBe(false);
  });

  test("withdrawn records give nothing", () => {
    const parsed = parseOsvRecord(osvJson("GHSA-27h2-hvpr-p74q"));
    if (!parsed.ok) throw new Error(parsed.message);
    expect(advisoriesFromOsv(parsed.record)).toEqual([]);
  });

  test("explicit versions lists and unknown ecosystems", () => {
    const parsed = parseOsvRecord({
      id: "GHSA-test-only-case",
      affected: [
        { package: { ecosystem: "npm", name: "a" }, versions: ["1.0.0", "1.0.1"] },
        { package: { ecosystem: "crates.io", name: "b" }, ranges: [{ type: "SEMVER", events: [{ introduced: "0" }] }] },
        { package: { ecosystem: "npm", name: "c" }, ranges: [{ type: "GIT", repo: "x", events: [{ introduced: "abc" }] }] },
      ],
    });
    if (!parsed.ok) throw new Error(parsed.message);
    const list = advisoriesFromOsv(parsed.record);
    expect(list.map((a) => a.package)).toEqual(["a", "c"]);
    expect(isAffected("npm", "1.0.1", list[0].ranges)).toBe(true);
    expect(isAffected("npm", "1.0.2", list[0].ranges)).toBe(false);
    expect(list[1].ranges).toEqual([]);
  });

  test("the shape is validated", () => {
    expect(parseOsvRecord({ id: "x" }).ok).toBe(false);
    expect(parseOsvRecord(null).ok).toBe(false);
    expect(parseOsvRecord({ id: "x", affected: [{ package: { ecosystem: "npm" } }] }).ok).toBe(false);
  });
});

describe("OsvDirectorySource", () => {
  test("answers by ecosystem and name, loading the folder once", async () => {
    const source = new OsvDirectorySource(OSV_DIR);
    const npm = await source.lookup("npm", [{ name: "mcp-remote", version: "0.1.0" }]);
    expect(npm.map((a) => a.id)).toEqual(["GHSA-6xpm-ggf7-wc3p"]);
    // Same name, other ecosystem: nothing.
    expect(await source.lookup("PyPI", [{ name: "mcp-remote", version: "0.1.0" }])).toEqual([]);
    // PyPI names compare after PEP 503 normalisation.
    const jinja = await source.lookup("PyPI", [{ name: "jinja2", version: "3.1.5" }]);
    expect(jinja.map((a) => a.id)).toEqual(["GHSA-cpwx-vrp4-4pq7"]);
    const fastmcp = await source.lookup("PyPI", [{ name: "FastMCP", version: "2.12.5" }]);
    expect(fastmcp.map((a) => a.id).sort()).toEqual(["GHSA-c2jp-c369-7pvx", "GHSA-mxxr-jv3v-6pgc", "GHSA-rcfx-77hg-w2wv", "GHSA-rj5c-58rq-j5g5"]);
    const go = await source.lookup("Go", [{ name: "golang.org/x/net", version: "v0.30.0" }]);
    expect(go).toHaveLength(3);
    expect(source.warnings).toEqual([]);
  });

  test("withdrawn records are never returned", async () => {
    const source = new OsvDirectorySource(OSV_DIR);
    expect(await source.lookup("npm", [{ name: "jsonwebtoken", version: "8.5.1" }])).toEqual([]);
  });

  test("invalid files are skipped with a warning; non-JSON files are not read", async () => {
    const source = new OsvDirectorySource(BROKEN);
    const found = await source.lookup("npm", [
      { name: "mcp-remote", version: "0.1.0" },
      { name: "jsonwebtoken", version: "8.5.1" },
    ]);
    expect(found.map((a) => a.id)).toEqual(["GHSA-6xpm-ggf7-wc3p"]);
    expect(source.warnings).toHaveLength(2);
    expect(source.warnings.join("\n")).toMatch(/not-osv\.json/);
    expect(source.warnings.join("\n")).toMatch(/truncated\.json/);
  });

  test("a missing folder is an error the caller can report", async () => {
    const source = new OsvDirectorySource(join(BROKEN, "does-not-exist"));
    await expect(source.lookup("npm", [{ name: "a", version: "1.0.0" }])).rejects.toThrow(/cannot read OSV advisories/);
  });
});
