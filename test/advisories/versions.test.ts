import { compareVersions, isAffected, rangesFromEvents } from "../../lib/advisories/versions.js";
import { advisory } from "./helpers.js";

const affected = (id: string, version: string) => {
  const a = advisory(id);
  return isAffected(a.ecosystem, version, a.ranges);
};

describe("npm boundaries on real records", () => {
  test("mcp-remote: introduced 0.0.5 inclusive, fixed 0.1.16 exclusive", () => {
    expect(affected("GHSA-6xpm-ggf7-wc3p", "0.0.4")).toBe(false);
    expect(affected("GHSA-6xpm-ggf7-wc3p", "0.0.5")).toBe(true);
    expect(affected("GHSA-6xpm-ggf7-wc3p", "0.1.15")).toBe(true);
    expect(affected("GHSA-6xpm-ggf7-wc3p", "0.1.16")).toBe(false);
    expect(affected("GHSA-6xpm-ggf7-wc3p", "0.1.17")).toBe(false);
  });

  test("server-filesystem: last_affected 0.6.2 inclusive, then a CalVer line fixed in 2025.7.1", () => {
    expect(affected("GHSA-q66q-fx2p-7w4m", "0.6.2")).toBe(true);
    expect(affected("GHSA-q66q-fx2p-7w4m", "0.6.3")).toBe(false);
    expect(affected("GHSA-q66q-fx2p-7w4m", "2025.1.13")).toBe(false);
    expect(affected("GHSA-q66q-fx2p-7w4m", "2025.1.14")).toBe(true);
    expect(affected("GHSA-q66q-fx2p-7w4m", "2025.3.28")).toBe(true);
    expect(affected("GHSA-q66q-fx2p-7w4m", "2025.7.1")).toBe(false);
  });

  test("express: prereleases inside and outside the 5.0.0-alpha.1 -> 5.0.0-beta.3 range", () => {
    expect(affected("GHSA-rv95-896h-c2vc", "5.0.0-beta.1")).toBe(true);
    expect(affected("GHSA-rv95-896h-c2vc", "5.0.0-alpha.1")).toBe(true);
    expect(affected("GHSA-rv95-896h-c2vc", "5.0.0-beta.3")).toBe(false);
    expect(affected("GHSA-rv95-896h-c2vc", "5.0.0")).toBe(false);
    expect(affected("GHSA-rv95-896h-c2vc", "4.19.1")).toBe(true);
    expect(affected("GHSA-rv95-896h-c2vc", "4.19.2")).toBe(false);
    // The other express record is fixed only at 5.0.0 final.
    expect(affected("GHSA-qw6h-vgh9-j6wx", "5.0.0-beta.3")).toBe(true);
    expect(affected("GHSA-qw6h-vgh9-j6wx", "5.0.0")).toBe(false);
  });

  test("ws: four ranges, each with its own boundaries", () => {
    const id = "GHSA-3h5v-q93c-6h6q";
    expect(affected(id, "2.0.0")).toBe(false);
    expect(affected(id, "2.1.0")).toBe(true);
    expect(affected(id, "5.2.3")).toBe(true);
    expect(affected(id, "5.2.4")).toBe(false);
    expect(affected(id, "6.2.2")).toBe(true);
    expect(affected(id, "6.2.3")).toBe(false);
    expect(affected(id, "7.5.9")).toBe(true);
    expect(affected(id, "7.5.10")).toBe(false);
    expect(affected(id, "8.17.0")).toBe(true);
    expect(affected(id, "8.17.1")).toBe(false);
    expect(affected(id, "8.18.0")).toBe(false);
  });

  test("path-to-regexp: five ranges given out of order", () => {
    const id = "GHSA-9wv6-86v2-598j";
    expect(affected(id, "0.1.7")).toBe(true);
    expect(affected(id, "0.1.10")).toBe(false);
    expect(affected(id, "0.2.0")).toBe(true);
    expect(affected(id, "1.9.0")).toBe(false);
    expect(affected(id, "3.2.0")).toBe(true);
    expect(affected(id, "3.3.0")).toBe(false);
    expect(affected(id, "6.2.2")).toBe(true);
    // 6.3.0 closes the 6.x range, but this revision of the record also lists 4.0.0 -> 8.0.0.
    expect(affected(id, "6.3.0")).toBe(true);
    expect(affected(id, "7.0.0")).toBe(true);
    expect(affected(id, "8.0.0")).toBe(false);
    expect(affected(id, "8.2.0")).toBe(false);
  });

  test("@modelcontextprotocol/sdk: non-zero introduced", () => {
    expect(affected("GHSA-345p-7cg4-v4c7", "1.9.9")).toBe(false);
    expect(affected("GHSA-345p-7cg4-v4c7", "1.10.0")).toBe(true);
    expect(affected("GHSA-345p-7cg4-v4c7", "1.25.3")).toBe(true);
    expect(affected("GHSA-345p-7cg4-v4c7", "1.26.0")).toBe(false);
  });
});

describe("PyPI boundaries (PEP 440)", () => {
  test("fastmcp 2.12.5 affected, 2.13.0 not; pre-releases of the fix are still before it", () => {
    expect(affected("GHSA-mxxr-jv3v-6pgc", "2.12.5")).toBe(true);
    expect(affected("GHSA-mxxr-jv3v-6pgc", "2.13.0")).toBe(false);
    expect(affected("GHSA-mxxr-jv3v-6pgc", "2.13")).toBe(false); // normalises to 2.13.0
    expect(affected("GHSA-mxxr-jv3v-6pgc", "2.13.0rc1")).toBe(true);
    expect(affected("GHSA-mxxr-jv3v-6pgc", "2.12.5.post1")).toBe(true);
    expect(affected("GHSA-mxxr-jv3v-6pgc", "2.13.0.post1")).toBe(false);
    expect(affected("GHSA-mxxr-jv3v-6pgc", "1!0.1")).toBe(false); // epoch 1 sorts after everything in epoch 0
  });

  test("mcp-server-git CalVer, last_affected and fixed", () => {
    expect(affected("GHSA-5cgr-j3jf-jw3v", "2025.9.24")).toBe(true);
    expect(affected("GHSA-5cgr-j3jf-jw3v", "2025.9.25")).toBe(false);
    expect(affected("GHSA-9xwc-hfwc-8w59", "2025.11.25")).toBe(true);
    expect(affected("GHSA-9xwc-hfwc-8w59", "2025.12.18")).toBe(false);
    expect(affected("GHSA-j22h-9j4x-23w5", "2025.12.17")).toBe(true);
    expect(affected("GHSA-j22h-9j4x-23w5", "2025.12.18")).toBe(false);
  });

  test("pydantic two ranges", () => {
    expect(affected("GHSA-mr82-8j83-vxmv", "1.10.12")).toBe(true);
    expect(affected("GHSA-mr82-8j83-vxmv", "1.10.13")).toBe(false);
    expect(affected("GHSA-mr82-8j83-vxmv", "2.3.0")).toBe(true);
    expect(affected("GHSA-mr82-8j83-vxmv", "2.4.0")).toBe(false);
  });
});

describe("Go boundaries", () => {
  test("golang.org/x/net versions with the v prefix", () => {
    expect(affected("GHSA-w32m-9786-jp63", "v0.32.0")).toBe(true);
    expect(affected("GHSA-w32m-9786-jp63", "v0.33.0")).toBe(false);
    expect(affected("GHSA-vvgc-356p-c3xw", "v0.37.0")).toBe(true);
    expect(affected("GHSA-vvgc-356p-c3xw", "v0.38.0")).toBe(false);
  });

  test("pseudo-versions order by their base and timestamp; +incompatible is ignored", () => {
    const ranges = [{ introduced: "0", fixed: "0.33.0" }];
    expect(isAffected("Go", "v0.0.0-20230101120000-abcdef123456", ranges)).toBe(true);
    expect(isAffected("Go", "v0.33.1-0.20250101120000-abcdef123456", ranges)).toBe(false);
    expect(compareVersions("Go", "v0.0.0-20230101120000-abcdef123456", "v0.0.0-20240101120000-000000000000")).toBe(-1);
    expect(isAffected("Go", "v2.0.0+incompatible", [{ introduced: "0", fixed: "2.0.1" }])).toBe(true);
    expect(isAffected("Go", "v2.0.1+incompatible", [{ introduced: "0", fixed: "2.0.1" }])).toBe(false);
  });
});

describe("OSV event semantics", () => {
  test("introduced 0 means every version; an open introduced has no end", () => {
    expect(isAffected("npm", "0.0.1", [{ introduced: "0", fixed: "1.0.0" }])).toBe(true);
    expect(isAffected("npm", "99.0.0", [{ introduced: "2.0.0" }])).toBe(true);
    expect(isAffected("npm", "1.9.9", [{ introduced: "2.0.0" }])).toBe(false);
  });

  test("unreadable versions and bounds never match", () => {
    expect(isAffected("npm", "not-a-version", [{ introduced: "0" }])).toBe(false);
    expect(isAffected("npm", "1.0.0", [{ introduced: "0", fixed: "garbage" }])).toBe(false);
    expect(isAffected("Go", "v1.2", [{ introduced: "0", fixed: "2.0.0" }])).toBe(false);
    expect(isAffected("PyPI", "", [{ introduced: "0", fixed: "2.0.0" }])).toBe(false);
    expect(isAffected("npm", "1.0.0", [])).toBe(false);
  });

  test("events are paired after sorting, whatever order the record uses", () => {
    expect(
      rangesFromEvents("npm", [{ fixed: "2.0.0" }, { introduced: "1.5.0" }, { introduced: "0" }, { fixed: "1.0.0" }]),
    ).toEqual([
      { introduced: "0", fixed: "1.0.0" },
      { introduced: "1.5.0", fixed: "2.0.0" },
    ]);
    expect(rangesFromEvents("npm", [{ introduced: "0" }, { last_affected: "0.6.2" }])).toEqual([{ introduced: "0", lastAffected: "0.6.2" }]);
    expect(rangesFromEvents("npm", [{ introduced: "3.0.0" }])).toEqual([{ introduced: "3.0.0" }]);
    expect(rangesFromEvents("npm", [{ fixed: "1.0.0" }])).toEqual([]);
  });
});
