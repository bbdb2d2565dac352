import { scanSnapshot } from "../../lib/scan.js";
import { TOKENS } from "../rules/secret-tokens.js";
import { fixture, snapshotOf } from "./registry-helpers.js";

describe("manifests in a whole scan", () => {
  it("a repository with only a server.json is scanned and its manifest findings reported", async () => {
    const result = await scanSnapshot(fixture("server-json", "unpinned"));
    expect(result.servers.map((s) => s.root)).toEqual(["."]);
    const rules = result.findings.map((f) => f.ruleId);
    expect(rules.filter((r) => r === "MCPW-LAUNCH-002")).toHaveLength(3);
    expect(rules).toContain("MCPW-MANIFEST-003");
    expect(result.warnings.filter((w) => w.includes("manifests"))).toEqual([]);
  });

  it("a broken manifest is a finding and the scan goes on", async () => {
    const token = TOKENS.githubClassic;
    const snapshot = snapshotOf({
      "smithery.yaml": "startCommand:\n  type: stdio\n  type: http\n",
      "manifest.json": `{ "dxt_version": "0.1", "name": "x", "server": { "type": "node", "entry_point": "i.js", "mcp_config": { "command": "node", "env": { "TOKEN": "${token}" }, } } }`,
      "server.json": JSON.stringify({ name: "io.github.a/b", packages: [{ registryType: "npm", identifier: "a-mcp" }] }),
    });
    const result = await scanSnapshot(snapshot);
    const rules = result.findings.map((f) => `${f.ruleId} ${f.path}`).sort();
    expect(rules).toEqual(
      expect.arrayContaining(["MCPW-LAUNCH-002 server.json", "MCPW-MANIFEST-001 manifest.json", "MCPW-MANIFEST-001 smithery.yaml", "MCPW-SECRET-001 manifest.json"]),
    );
    expect(JSON.stringify(result)).not.toContain(token);
  });
});
