import { collectDependencies } from "../../lib/deps/index.js";
import { find, ids, lineOf, server, snapshotOf } from "./helpers.js";

describe("pnpm-lock.yaml (v9, workspace)", () => {
  const snap = snapshotOf("pnpm");
  const facts = collectDependencies(snap, [server("packages/server")]);

  test("the importer's dependencies and what they pull in, from the root lockfile", () => {
    expect(ids(facts.dependencies)).toEqual(["@modelcontextprotocol/sdk@1.11.0", "express@4.19.1", "mcp-remote@0.1.16", "path-to-regexp@0.1.7", "ws@8.17.0"]);
    expect(facts.unresolved).toEqual([]);
    expect(facts.problems).toEqual([]);
  });

  test("lines, declared specifiers and chains", () => {
    expect(find(facts.dependencies, "mcp-remote")).toMatchObject({
      version: "0.1.16",
      declared: "^0.1.0",
      resolvedFrom: "lockfile",
      direct: true,
      path: "pnpm-lock.yaml",
      line: lineOf(snap, "pnpm-lock.yaml", "^  mcp-remote@0.1.16:"),
    });
    expect(find(facts.dependencies, "path-to-regexp")).toMatchObject({ direct: false, via: ["express", "path-to-regexp"] });
    expect(find(facts.dependencies, "@modelcontextprotocol/sdk").line).toBe(lineOf(snap, "pnpm-lock.yaml", "^  '@modelcontextprotocol/sdk@1.11.0':"));
  });

  test("v6 keys with peer suffixes and a top-level root importer", () => {
    const v6 = [
      "lockfileVersion: '6.0'",
      "dependencies:",
      "  ws:",
      "    specifier: ^8.0.0",
      "    version: 8.17.0(bufferutil@4.0.8)",
      "packages:",
      "  /ws@8.17.0(bufferutil@4.0.8):",
      "    resolution: {integrity: sha512-AAAA}",
      "    dev: false",
      "",
    ].join("\n");
    const facts6 = collectDependencies(snapshotOf({ "package.json": '{"dependencies":{"ws":"^8.0.0"}}', "pnpm-lock.yaml": v6 }), [server(".")]);
    expect(facts6.dependencies).toMatchObject([{ name: "ws", version: "8.17.0", declared: "^8.0.0", line: 7 }]);
  });

  test("invalid YAML is a problem, and the manifest pins are used", () => {
    const bad = collectDependencies(snapshotOf({ "package.json": '{"dependencies":{"ws":"8.17.0"}}', "pnpm-lock.yaml": "importers: [\n  - :" }), [server(".")]);
    expect(bad.problems.map((p) => p.path)).toEqual(["pnpm-lock.yaml"]);
    expect(bad.dependencies).toMatchObject([{ name: "ws", resolvedFrom: "manifest-pin" }]);
  });
});
