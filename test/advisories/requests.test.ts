import { SharedAdvisories } from "../../app/advisories.js";
import type { Octokit } from "../../app/platform/index.js";
import { scanSnapshot } from "../../lib/scan.js";
import { server, snapshotOf } from "../deps/helpers.js";
import { osvJson, toRest } from "./helpers.js";

/** An installation client that answers GET /advisories from real records and logs each request. */
function client(calls: { ecosystem: string; affects: string[] }[]): Octokit {
  const records = ["GHSA-6xpm-ggf7-wc3p", "GHSA-9h52-p55h-vw2f", "GHSA-vvgc-356p-c3xw"].map((id) => toRest(osvJson(id)));
  return {
    request: async (route: string, params: { ecosystem: string; affects: string }) => {
      expect(route).toBe("GET /advisories");
      calls.push({ ecosystem: params.ecosystem, affects: params.affects.split(",") });
      return { data: records.filter((r) => r.vulnerabilities.some((v: any) => v.package.ecosystem === params.ecosystem)), headers: {} };
    },
  } as unknown as Octokit;
}

const files = {
  "servers/node/package.json": JSON.stringify({ name: "node-srv", dependencies: { "mcp-remote": "^0.1.10", zod: "^3.23.0" } }),
  "servers/node/package-lock.json": JSON.stringify({
    lockfileVersion: 3,
    packages: { "": {}, "node_modules/mcp-remote": { version: "0.1.15" }, "node_modules/zod": { version: "3.23.8" } },
  }),
  "servers/py/requirements.txt": "mcp==1.22.0\nhttpx==0.28.1\n",
  "servers/go/go.mod": "module example.com/srv\n\ngo 1.22\n\nrequire golang.org/x/net v0.30.0\n",
};
const servers = [server("servers/node"), server("servers/py", "python"), server("servers/go", "go")];

describe("the App's advisory lookups during a scan", () => {
  test("one batched request per ecosystem per scan, none for a repeated scan of the same versions", async () => {
    const calls: { ecosystem: string; affects: string[] }[] = [];
    const shared = new SharedAdvisories();
    const snapshot = snapshotOf(files);
    const first = await shared.run(client(calls), (advisorySource) => scanSnapshot(snapshot, { advisorySource, servers }));

    expect(calls.map((c) => c.ecosystem)).toEqual(["npm", "pip", "go"]);
    expect(calls.map((c) => c.affects.sort())).toEqual([["mcp-remote@0.1.15", "zod@3.23.8"], ["httpx@0.28.1", "mcp@1.22.0"], ["golang.org/x/net@0.30.0"]]);
    const dep001 = first.findings.filter((f) => f.ruleId === "MCPW-DEP-001").map((f) => f.message.split(" (")[0]).sort();
    expect(dep001).toEqual(["golang.org/x/net v0.30.0", "mcp 1.22.0", "mcp-remote 0.1.15"]);
    // The DNS-rebinding advisory came back for mcp: MCPW-DEP-006 stays quiet rather than repeat it.
    expect(first.findings.filter((f) => f.ruleId === "MCPW-DEP-006")).toEqual([]);

    const second = await shared.run(client(calls), (advisorySource) => scanSnapshot(snapshot, { advisorySource, servers }));
    expect(calls).toHaveLength(3);
    expect(second.findings).toEqual(first.findings);
  });

  test("a scan without advisory data names the protocol-level SDK flaw instead", async () => {
    const result = await scanSnapshot(snapshotOf(files), { servers });
    const dep006 = result.findings.filter((f) => f.ruleId === "MCPW-DEP-006");
    expect(dep006.map((f) => [f.path, f.server])).toEqual([["servers/py/requirements.txt", "servers/py"]]);
    expect(result.warnings).toContain("Dependencies were not checked against advisories: no advisory source was configured.");
  });
});
