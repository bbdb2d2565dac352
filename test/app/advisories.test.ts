import { SharedAdvisories } from "../../app/advisories.js";
import type { Octokit } from "../../app/platform/index.js";

/** A stand-in installation client that answers GET /advisories and counts its calls. */
function client(name: string, calls: string[]): Octokit {
  return {
    request: async (_route: string, params: { affects: string }) => {
      calls.push(`${name}:${params.affects}`);
      return { data: [], headers: {} };
    },
  } as unknown as Octokit;
}

describe("SharedAdvisories", () => {
  it("answers repeated questions from one cache, asking through the scan's own client", async () => {
    const calls: string[] = [];
    const shared = new SharedAdvisories();
    const query = [{ name: "zod", version: "3.23.8" }];
    await shared.run(client("A", calls), (source) => source.lookup("npm", query));
    await shared.run(client("B", calls), (source) => source.lookup("npm", [...query, { name: "semver", version: "7.0.0" }]));
    expect(calls).toEqual(["A:zod@3.23.8", "B:semver@7.0.0"]);
  });

  it("keeps concurrent scans on their own clients", async () => {
    const calls: string[] = [];
    const shared = new SharedAdvisories();
    await Promise.all([
      shared.run(client("A", calls), (source) => source.lookup("npm", [{ name: "a", version: "1.0.0" }])),
      shared.run(client("B", calls), (source) => source.lookup("npm", [{ name: "b", version: "1.0.0" }])),
    ]);
    expect(calls.sort()).toEqual(["A:a@1.0.0", "B:b@1.0.0"]);
  });

  it("starts a fresh cache once it is older than its lifetime, so new advisories are seen", async () => {
    const calls: string[] = [];
    let now = 0;
    const shared = new SharedAdvisories({ ttlMs: 1000, now: () => now });
    const query = [{ name: "zod", version: "3.23.8" }];
    await shared.run(client("A", calls), (source) => source.lookup("npm", query));
    now = 500;
    await shared.run(client("A", calls), (source) => source.lookup("npm", query));
    now = 1501;
    await shared.run(client("A", calls), (source) => source.lookup("npm", query));
    expect(calls).toEqual(["A:zod@3.23.8", "A:zod@3.23.8"]);
  });

  it("refuses lookups made outside a scan", async () => {
    const shared = new SharedAdvisories();
    let escaped: ((...args: never[]) => unknown) | undefined;
    await shared.run(client("A", []), async (source) => {
      escaped = () => source.lookup("npm", [{ name: "x", version: "1.0.0" }]);
    });
    await expect((escaped as () => Promise<unknown>)()).rejects.toThrow("advisory lookup outside of a scan");
  });
});
