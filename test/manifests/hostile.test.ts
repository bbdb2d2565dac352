import { readdirSync } from "node:fs";
import { join } from "node:path";
import { MANIFEST_INVALID_RULE } from "../../lib/rules/manifests.js";
import { MANIFEST_FIXTURES, findingsOf, fixture, snapshotOf } from "./registry-helpers.js";

/**
 * Every hostile fixture must end, fast, in exactly one clear misconfiguration finding, and the
 * scan must go on (other rules keep working on the same snapshot).
 */

const FORMATS: Record<string, string> = {
  "server-json": "server.json",
  smithery: "smithery.yaml",
  mcpb: "manifest.json",
  codex: ".codex/config.toml",
};

const cases: [string, string][] = Object.keys(FORMATS).flatMap((format) =>
  readdirSync(join(MANIFEST_FIXTURES, format, "hostile")).map((name): [string, string] => [format, name]),
);

function timed<T>(fn: () => T): { out: T; ms: number } {
  const start = performance.now();
  const out = fn();
  return { out, ms: performance.now() - start };
}

describe("hostile fixtures", () => {
  it("cover every format with duplicate keys, __proto__, deep nesting and (YAML) an alias bomb", () => {
    for (const format of Object.keys(FORMATS)) {
      const names = cases.filter(([f]) => f === format).map(([, n]) => n);
      expect(names).toEqual(expect.arrayContaining(["duplicate-keys", "proto", "deep"]));
    }
    expect(cases).toContainEqual(["smithery", "alias-bomb"]);
    expect(cases.filter(([, n]) => n === "binary").length).toBeGreaterThanOrEqual(3);
  });

  test.each(cases)("%s/%s ends in a misconfiguration finding", (format, name) => {
    const snapshot = fixture(format, "hostile", name);
    const { out: findings, ms } = timed(() => findingsOf(snapshot));
    expect(ms).toBeLessThan(5000);
    const invalid = findings.filter((f) => f.ruleId === MANIFEST_INVALID_RULE);
    expect(invalid).toHaveLength(1);
    const [f] = invalid;
    expect(f).toMatchObject({ category: "misconfiguration", confidence: "high", path: FORMATS[format] });
    expect(f.line).toBeGreaterThanOrEqual(1);
    expect(f.message).toMatch(/line \d+, column \d+/);
    expect(f.remediation.length).toBeGreaterThan(20);
    expect(f.evidence).not.toMatch(/[\u0000-\u0008\u000e-\u001f\ufffd]/);
  });

  test.each(Object.entries(FORMATS))("a 2 MB %s is refused without parsing", (_format, path) => {
    const pad = "x".repeat(2 * 1024 * 1024);
    const text =
      path.endsWith(".toml") ? `pad = "${pad}"\n` : path.endsWith(".yaml") ? `startCommand:\n  type: stdio\npad: ${pad}\n` : `{"$schema": "https://static.modelcontextprotocol.io/schemas/x/server.schema.json", "name": "io.github.a/b", "manifest_version": "0.3", "dxt_version": "0.1", "mcp_config": {}, "pad": "${pad}"}`;
    const { out: findings, ms } = timed(() => findingsOf(snapshotOf({ [path]: text })));
    expect(ms).toBeLessThan(5000);
    expect(findings).toEqual([expect.objectContaining({ ruleId: MANIFEST_INVALID_RULE, category: "misconfiguration", severity: "low" })]);
    expect(findings[0].message).toContain("over the 256 KiB limit");
    expect(findings[0].evidence.length).toBeLessThan(250);
  });

  it("a hostile manifest does not stop the other manifests from being checked", () => {
    const bomb = fixture("smithery", "hostile", "alias-bomb").files.get("smithery.yaml")!;
    const findings = findingsOf(
      snapshotOf({
        "smithery.yaml": bomb,
        "server.json": JSON.stringify({ name: "io.github.a/b", packages: [{ registryType: "npm", identifier: "a-mcp", version: "latest" }] }),
      }),
    );
    expect(findings.map((f) => f.ruleId).sort()).toEqual(["MCPW-LAUNCH-002", MANIFEST_INVALID_RULE]);
  });
});
