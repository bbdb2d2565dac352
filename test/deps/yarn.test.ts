import { collectDependencies } from "../../lib/deps/index.js";
import { find, ids, lineOf, server, snapshotOf } from "./helpers.js";

describe("yarn.lock classic (v1)", () => {
  const snap = snapshotOf("yarn-classic");
  const facts = collectDependencies(snap, [server(".")]);

  test("every registry package at its resolved version; git packages are not registry versions", () => {
    expect(ids(facts.dependencies)).toEqual([
      "@modelcontextprotocol/sdk@1.23.0",
      "body-parser@1.20.2",
      "body-parser@2.2.0",
      "express@4.19.2",
      "express@5.1.0",
      "mcp-remote@0.1.15",
      "path-to-regexp@0.1.7",
      "typescript@5.4.5",
      "zod@3.23.8",
    ]);
    expect(facts.unresolved).toEqual([]);
    expect(facts.problems).toEqual([]);
  });

  test("direct dependencies carry the declared range and the line of their lockfile key", () => {
    expect(find(facts.dependencies, "mcp-remote")).toEqual({
      ecosystem: "npm",
      name: "mcp-remote",
      version: "0.1.15",
      declared: "^0.1.10",
      resolvedFrom: "lockfile",
      direct: true,
      path: "yarn.lock",
      line: lineOf(snap, "yarn.lock", "^mcp-remote@^0.1.10:"),
      server: ".",
    });
    expect(find(facts.dependencies, "typescript")).toMatchObject({ direct: true, dev: true });
  });

  test("transitive packages get the chain that brings them in, per resolved version", () => {
    expect(find(facts.dependencies, "body-parser", "1.20.2")).toMatchObject({ direct: false, via: ["express", "body-parser"] });
    expect(find(facts.dependencies, "body-parser", "2.2.0").via).toEqual(["@modelcontextprotocol/sdk", "express", "body-parser"]);
    expect(find(facts.dependencies, "express", "5.1.0").via).toEqual(["@modelcontextprotocol/sdk", "express"]);
    expect(find(facts.dependencies, "path-to-regexp").line).toBe(lineOf(snap, "yarn.lock", "^path-to-regexp@0.1.7:"));
  });

  test("the git dependency is a declaration for the supply-chain rules, and the lockfile is recorded", () => {
    expect(facts.declarations?.find((d) => d.name === "my-fork")).toMatchObject({ source: "git", spec: "github:someone/my-fork" });
    expect(facts.projects).toEqual([{ ecosystem: "npm", manifest: "package.json", server: ".", lockfile: "yarn.lock", deployedBy: [], registryDependencies: 4 }]);
  });
});

describe("yarn.lock berry (v2+) in a workspaces monorepo", () => {
  const snap = snapshotOf("yarn-berry-workspaces");
  const facts = collectDependencies(snap, [server("packages/server-a"), server("packages/server-b")]);
  const of = (root: string) => facts.dependencies.filter((d) => d.server === root);

  test("each server gets what its own package pulls in, through workspace packages too", () => {
    expect(ids(of("packages/server-a"))).toEqual([
      "@modelcontextprotocol/sdk@1.24.0",
      "body-parser@2.2.0",
      "express@5.1.0",
      "mcp-remote@0.1.15",
      "semver@7.5.1",
      "zod@3.23.8",
    ]);
    expect(ids(of("packages/server-b"))).toEqual(["body-parser@1.20.3", "express@4.21.2", "path-to-regexp@0.1.12"]);
    expect(facts.unresolved).toEqual([]);
    expect(facts.problems).toEqual([]);
  });

  test("chains name the workspace package a dependency comes through", () => {
    const a = of("packages/server-a");
    expect(find(a, "semver").via).toEqual(["shared-utils", "semver"]);
    expect(find(a, "body-parser").via).toEqual(["@modelcontextprotocol/sdk", "express", "body-parser"]);
    expect(find(a, "@modelcontextprotocol/sdk")).toMatchObject({ direct: true, declared: "^1.24.0", path: "yarn.lock" });
    expect(find(of("packages/server-b"), "path-to-regexp").via).toEqual(["express", "path-to-regexp"]);
  });

  test("the workspace lockfile covers both servers; server-b is deployed by its start script", () => {
    expect(facts.projects?.map((p) => [p.manifest, p.lockfile, p.deployedBy.map((d) => d.what)])).toEqual([
      ["packages/server-a/package.json", "yarn.lock", []],
      ["packages/server-b/package.json", "yarn.lock", ["scripts.start"]],
    ]);
  });
});

describe("yarn.lock edge cases", () => {
  test("classic: a sibling workspace missing from the lockfile is not unresolved; a missing registry package is", () => {
    const facts = collectDependencies(
      snapshotOf({
        "yarn.lock": '# yarn lockfile v1\n\nzod@^3.0.0:\n  version "3.23.8"\n',
        "package.json": '{ "private": true, "workspaces": ["packages/*"] }',
        "packages/srv/package.json": '{ "name": "srv", "dependencies": { "zod": "^3.0.0", "utils": "1.0.0", "left-pad": "^1.3.0" } }',
        "packages/utils/package.json": '{ "name": "utils", "version": "1.0.0" }',
      }),
      [server("packages/srv")],
    );
    expect(ids(facts.dependencies)).toEqual(["zod@3.23.8"]);
    expect(ids(facts.unresolved)).toEqual(["left-pad@^1.3.0"]);
  });

  test("berry aliases report the real package", () => {
    const facts = collectDependencies(
      snapshotOf({
        "package.json": '{ "dependencies": { "old-sdk": "npm:@modelcontextprotocol/sdk@1.10.0" } }',
        "yarn.lock":
          '__metadata:\n  version: 8\n\n"old-sdk@npm:@modelcontextprotocol/sdk@1.10.0":\n  version: 1.10.0\n  resolution: "@modelcontextprotocol/sdk@npm:1.10.0"\n  languageName: node\n  linkType: hard\n',
      }),
      [server(".")],
    );
    expect(ids(facts.dependencies)).toEqual(["@modelcontextprotocol/sdk@1.10.0"]);
  });

  test("a broken yarn.lock is a problem; the manifest's exact pins are still used", () => {
    const facts = collectDependencies(
      snapshotOf({ "package.json": '{ "dependencies": { "zod": "3.23.8", "x": "^1.0.0" } }', "yarn.lock": 'zod@^3:\n  version: "3\n  : : :\n\t\x00' }),
      [server(".")],
    );
    expect(facts.problems).toEqual([{ path: "yarn.lock", message: expect.stringMatching(/^invalid yarn\.lock/) }]);
    expect(ids(facts.dependencies)).toEqual(["zod@3.23.8"]);
    expect(ids(facts.unresolved)).toEqual(["x@^1.0.0"]);
  });
});
