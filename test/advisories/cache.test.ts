import { CachedAdvisorySource } from "../../lib/advisories/cache.js";
import { OsvDirectorySource } from "../../lib/advisories/osv.js";
import type { AdvisorySource, PackageQuery } from "../../lib/advisories/types.js";
import type { Ecosystem } from "../../lib/deps/types.js";
import { OSV_DIR } from "./helpers.js";

/** Records every lookup made to the real OSV source underneath. */
function counting(inner: AdvisorySource = new OsvDirectorySource(OSV_DIR)) {
  const calls: { ecosystem: Ecosystem; packages: PackageQuery[] }[] = [];
  const source: AdvisorySource = {
    lookup(ecosystem, packages) {
      calls.push({ ecosystem, packages });
      return inner.lookup(ecosystem, packages);
    },
  };
  return { source, calls };
}

describe("CachedAdvisorySource", () => {
  test("a second scan with the same package@version does not ask again", async () => {
    const { source, calls } = counting();
    const cache = new CachedAdvisorySource(source);
    const first = await cache.lookup("npm", [{ name: "mcp-remote", version: "0.1.0" }, { name: "left-pad", version: "1.3.0" }]);
    const second = await cache.lookup("npm", [{ name: "mcp-remote", version: "0.1.0" }, { name: "left-pad", version: "1.3.0" }]);
    expect(calls).toHaveLength(1);
    expect(second).toEqual(first);
    expect(first.map((a) => a.id)).toEqual(["GHSA-6xpm-ggf7-wc3p"]);
  });

  test("only the packages not seen before are asked for", async () => {
    const { source, calls } = counting();
    const cache = new CachedAdvisorySource(source);
    await cache.lookup("npm", [{ name: "mcp-remote", version: "0.1.0" }]);
    const found = await cache.lookup("npm", [{ name: "mcp-remote", version: "0.1.0" }, { name: "ws", version: "8.0.0" }, { name: "mcp-remote", version: "0.1.16" }]);
    expect(calls[1].packages).toEqual([{ name: "ws", version: "8.0.0" }, { name: "mcp-remote", version: "0.1.16" }]);
    // Each advisory once, even though two versions of mcp-remote were asked about.
    expect(found.map((a) => a.id).sort()).toEqual(["GHSA-3h5v-q93c-6h6q", "GHSA-6xpm-ggf7-wc3p"]);
  });

  test("the key includes the ecosystem and the PEP 503 name", async () => {
    const { source, calls } = counting();
    const cache = new CachedAdvisorySource(source);
    await cache.lookup("PyPI", [{ name: "Jinja2", version: "3.1.5" }]);
    const again = await cache.lookup("PyPI", [{ name: "jinja2", version: "3.1.5" }]);
    expect(calls).toHaveLength(1);
    expect(again.map((a) => a.id)).toEqual(["GHSA-cpwx-vrp4-4pq7"]);
    await cache.lookup("npm", [{ name: "jinja2", version: "3.1.5" }]);
    expect(calls).toHaveLength(2);
  });

  test("concurrent lookups of the same package share one request", async () => {
    const { source, calls } = counting();
    const cache = new CachedAdvisorySource(source);
    const [a, b] = await Promise.all([
      cache.lookup("npm", [{ name: "mcp-remote", version: "0.1.0" }]),
      cache.lookup("npm", [{ name: "mcp-remote", version: "0.1.0" }]),
    ]);
    expect(calls).toHaveLength(1);
    expect(a).toEqual(b);
  });

  test("failures are not cached", async () => {
    let fail = true;
    const inner = new OsvDirectorySource(OSV_DIR);
    const { source, calls } = counting({
      lookup: (eco, pkgs) => (fail ? Promise.reject(new Error("boom")) : inner.lookup(eco, pkgs)),
    });
    const cache = new CachedAdvisorySource(source);
    await expect(cache.lookup("npm", [{ name: "mcp-remote", version: "0.1.0" }])).rejects.toThrow("boom");
    fail = false;
    const found = await cache.lookup("npm", [{ name: "mcp-remote", version: "0.1.0" }]);
    expect(found).toHaveLength(1);
    expect(calls).toHaveLength(2);
  });

  test("memory stays bounded: the oldest entries are dropped", async () => {
    const { source, calls } = counting();
    const cache = new CachedAdvisorySource(source, { maxEntries: 2 });
    await cache.lookup("npm", [{ name: "a", version: "1.0.0" }]);
    await cache.lookup("npm", [{ name: "b", version: "1.0.0" }]);
    await cache.lookup("npm", [{ name: "c", version: "1.0.0" }]);
    await cache.lookup("npm", [{ name: "a", version: "1.0.0" }]);
    expect(calls).toHaveLength(4);
    await cache.lookup("npm", [{ name: "c", version: "1.0.0" }]);
    expect(calls).toHaveLength(4);
  });
});
