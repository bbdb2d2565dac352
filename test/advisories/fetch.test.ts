import { fetchAdvisories } from "../../lib/advisories/fetch.js";
import { OsvDirectorySource } from "../../lib/advisories/osv.js";
import type { AdvisorySource, PackageQuery } from "../../lib/advisories/types.js";
import type { Dependency, DependencyFacts, Ecosystem } from "../../lib/deps/types.js";
import { OSV_DIR } from "./helpers.js";

const dep = (ecosystem: Ecosystem, name: string, version: string | undefined, path = "x"): Dependency => ({
  ecosystem,
  name,
  ...(version ? { version } : { declared: "^1.0.0" }),
  direct: true,
  path,
  line: 1,
});

const facts = (deps: Dependency[]): DependencyFacts => ({
  dependencies: deps.filter((d) => d.version),
  unresolved: deps.filter((d) => !d.version),
  problems: [],
});

describe("fetchAdvisories", () => {
  test("one batched lookup per ecosystem, resolved versions only, each pair once", async () => {
    const calls: { ecosystem: Ecosystem; packages: PackageQuery[] }[] = [];
    const inner = new OsvDirectorySource(OSV_DIR);
    const source: AdvisorySource = {
      lookup(ecosystem, packages) {
        calls.push({ ecosystem, packages });
        return inner.lookup(ecosystem, packages);
      },
    };
    const found = await fetchAdvisories(
      source,
      facts([
        dep("npm", "mcp-remote", "0.1.0", "a/package-lock.json"),
        dep("npm", "mcp-remote", "0.1.0", "b/package-lock.json"),
        dep("npm", "ws", "8.0.0"),
        dep("npm", "express", undefined),
        dep("PyPI", "fastmcp", "2.12.5"),
        dep("Go", "golang.org/x/net", "v0.30.0"),
      ]),
    );
    expect(calls.map((c) => c.ecosystem)).toEqual(["npm", "PyPI", "Go"]);
    expect(calls[0].packages).toEqual([{ name: "mcp-remote", version: "0.1.0" }, { name: "ws", version: "8.0.0" }]);
    expect(found.filter((a) => a.ecosystem === "npm").map((a) => a.id).sort()).toEqual(["GHSA-3h5v-q93c-6h6q", "GHSA-6xpm-ggf7-wc3p"]);
    expect(found.filter((a) => a.ecosystem === "PyPI")).toHaveLength(4);
    expect(found.filter((a) => a.ecosystem === "Go")).toHaveLength(3);
  });

  test("no resolved dependency means no lookup at all", async () => {
    const source: AdvisorySource = { lookup: () => Promise.reject(new Error("should not be called")) };
    expect(await fetchAdvisories(source, facts([dep("npm", "express", undefined)]))).toEqual([]);
  });

  test("a failing source becomes an Error naming the ecosystem", async () => {
    const source: AdvisorySource = { lookup: () => Promise.reject(new Error("HTTP 503")) };
    await expect(fetchAdvisories(source, facts([dep("PyPI", "mcp", "1.0.0")]))).rejects.toThrow("advisory lookup for PyPI failed: HTTP 503");
  });
});
