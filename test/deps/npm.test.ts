import { collectDependencies } from "../../lib/deps/index.js";
import { classifyNpmSpec } from "../../lib/deps/npm.js";
import { find, ids, lineOf, server, snapshotOf } from "./helpers.js";

describe("package-lock.json v3", () => {
  const snap = snapshotOf("npm-v3");
  const facts = collectDependencies(snap, [server(".")]);

  test("every installed package, at its resolved version, from the lockfile", () => {
    expect(ids(facts.dependencies)).toEqual([
      "@modelcontextprotocol/sdk@1.24.0",
      "body-parser@1.20.3",
      "express@4.21.2",
      "express@5.0.0-beta.1",
      "mcp-remote@0.1.15",
      "path-to-regexp@0.1.12",
      "path-to-regexp@3.2.0",
      "typescript@5.4.5",
      "ws@8.17.0",
      "zod@3.23.8",
    ]);
    expect(facts.unresolved).toEqual([]);
    expect(facts.problems).toEqual([]);
  });

  test("direct dependencies carry what package.json declared and the line of their lockfile key", () => {
    expect(find(facts.dependencies, "mcp-remote")).toEqual({
      ecosystem: "npm",
      name: "mcp-remote",
      version: "0.1.15",
      declared: "^0.1.10",
      resolvedFrom: "lockfile",
      direct: true,
      path: "package-lock.json",
      line: lineOf(snap, "package-lock.json", '"node_modules/mcp-remote"'),
      server: ".",
    });
  });

  test("nested installs resolve the Node way and get the chain that pulled them in", () => {
    const nested = find(facts.dependencies, "express", "5.0.0-beta.1");
    expect(nested.direct).toBe(false);
    expect(nested.via).toEqual(["@modelcontextprotocol/sdk", "express"]);
    expect(nested.line).toBe(lineOf(snap, "package-lock.json", '"node_modules/@modelcontextprotocol/sdk/node_modules/express"'));
    expect(find(facts.dependencies, "path-to-regexp", "3.2.0").via).toEqual(["@modelcontextprotocol/sdk", "express", "path-to-regexp"]);
    expect(find(facts.dependencies, "path-to-regexp", "0.1.12").via).toEqual(["express", "path-to-regexp"]);
  });

  test("dev and extraneous packages are kept, flagged", () => {
    expect(find(facts.dependencies, "typescript")).toMatchObject({ direct: true, dev: true, declared: "^5.4.0" });
    const ws = find(facts.dependencies, "ws");
    expect(ws.direct).toBe(false);
    expect(ws.via).toBeUndefined();
  });
});

describe("package-lock.json v1", () => {
  const snap = snapshotOf("npm-v1");
  const facts = collectDependencies(snap, [server(".")]);

  test("the nested dependencies tree is read, aliases resolve to the real name, git deps are skipped", () => {
    expect(ids(facts.dependencies)).toEqual([
      "body-parser@1.19.0",
      "debug@2.6.8",
      "debug@2.6.9",
      "express@4.17.1",
      "minimist@1.2.5",
      "path-to-regexp@0.1.7",
      "string-width@4.2.3",
      "ws@7.4.6",
    ]);
    expect(facts.problems).toEqual([]);
  });

  test("requires are followed through nested folders first", () => {
    const nested = find(facts.dependencies, "debug", "2.6.8");
    expect(nested.via).toEqual(["express", "debug"]);
    const express = lineOf(snap, "package-lock.json", '"express": {');
    expect(nested.line).toBe(lineOf(snap, "package-lock.json", '"debug": {', express));
    expect(nested.line).toBeGreaterThan(express);
    expect(find(facts.dependencies, "debug", "2.6.9").via).toEqual(["express", "body-parser", "debug"]);
    expect(find(facts.dependencies, "express")).toMatchObject({ direct: true, declared: "^4.17.1", line: lineOf(snap, "package-lock.json", '"express": {') });
    expect(find(facts.dependencies, "minimist")).toMatchObject({ direct: true, dev: true });
    expect(find(facts.dependencies, "string-width")).toMatchObject({ direct: true, declared: "npm:string-width@^4.2.0" });
  });
});

describe("workspaces: a root lockfile covers the servers below it", () => {
  const snap = snapshotOf("monorepo");
  const facts = collectDependencies(snap, [server("packages/server-a"), server("packages/server-b")]);

  test("each server gets what its own package pulls in, not the root's tooling", () => {
    const a = facts.dependencies.filter((d) => d.server === "packages/server-a");
    const b = facts.dependencies.filter((d) => d.server === "packages/server-b");
    expect(ids(a)).toEqual(["@modelcontextprotocol/sdk@1.11.0", "minimist@1.2.5", "ws@8.17.0"]);
    expect(ids(b)).toEqual(["@modelcontextprotocol/sdk@1.26.0", "mcp-remote@0.1.16"]);
    expect(facts.dependencies.some((d) => d.name === "typescript")).toBe(false);
    expect(facts.unresolved).toEqual([]);
  });

  test("paths and lines point into the root lockfile; sibling workspaces are traversed, not reported", () => {
    expect(find(facts.dependencies, "minimist")).toMatchObject({
      path: "package-lock.json",
      line: lineOf(snap, "package-lock.json", '"packages/server-a/node_modules/minimist"'),
      direct: true,
    });
    expect(find(facts.dependencies, "ws")).toMatchObject({ direct: false, via: ["shared-utils", "ws"] });
    expect(facts.dependencies.some((d) => d.name === "shared-utils")).toBe(false);
    // A range in package.json is answered by the lockfile's version.
    expect(find(facts.dependencies, "mcp-remote")).toMatchObject({ version: "0.1.16", declared: "^0.1.0", resolvedFrom: "lockfile" });
  });

  test("without the lockfile the same ranges are unresolved, never guessed", () => {
    const files = Object.fromEntries([...snap.files].filter(([p]) => p !== "package-lock.json"));
    const bare = collectDependencies(snapshotOf(files), [server("packages/server-b")]);
    expect(bare.dependencies).toEqual([]);
    expect(ids(bare.unresolved)).toEqual(["@modelcontextprotocol/sdk@^1.26.0", "mcp-remote@^0.1.0"]);
    expect(bare.unresolved[0].path).toBe("packages/server-b/package.json");
  });
});

describe("package.json without a lockfile", () => {
  const snap = snapshotOf("npm-pins");
  const facts = collectDependencies(snap, [server(".")]);

  test("exact pins are resolved, ranges are unresolved, local specs are ignored", () => {
    expect(ids(facts.dependencies)).toEqual(["express@4.19.1", "mcp-remote@0.1.14", "mcp-remote@0.1.15", "minimist@1.2.5"]);
    expect(ids(facts.unresolved)).toEqual(["fork@github:someone/fork", "latest-thing@latest", "semver@7.5", "ws@~8.17.0"]);
    expect(find(facts.dependencies, "mcp-remote", "0.1.15")).toMatchObject({
      resolvedFrom: "manifest-pin",
      declared: "0.1.15",
      direct: true,
      path: "package.json",
      line: lineOf(snap, "package.json", '"mcp-remote": "0.1.15"'),
    });
    expect(find(facts.dependencies, "mcp-remote", "0.1.14").declared).toBe("npm:mcp-remote@0.1.14");
  });

  test("a lockfile that lacks a declared package falls back to the pin", () => {
    const files = Object.fromEntries(snap.files);
    files["package-lock.json"] = JSON.stringify({ lockfileVersion: 3, packages: { "": {}, "node_modules/ws": { version: "8.17.1" } } }, null, 2);
    const mixed = collectDependencies(snapshotOf(files), [server(".")]);
    expect(find(mixed.dependencies, "ws")).toMatchObject({ version: "8.17.1", resolvedFrom: "lockfile", path: "package-lock.json" });
    expect(find(mixed.dependencies, "mcp-remote", "0.1.15")).toMatchObject({ resolvedFrom: "manifest-pin" });
  });
});

describe("classifyNpmSpec", () => {
  test.each([
    ["1.2.3", { kind: "exact", version: "1.2.3" }],
    ["=1.2.3", { kind: "exact", version: "1.2.3" }],
    ["v1.2.3", { kind: "exact", version: "1.2.3" }],
    ["1.2.3-beta.1", { kind: "exact", version: "1.2.3-beta.1" }],
    ["^1.2.3", { kind: "range" }],
    ["1.2", { kind: "range" }],
    ["1.2.x", { kind: "range" }],
    [">=1.2.3 <2", { kind: "range" }],
    ["*", { kind: "range" }],
    ["", { kind: "range" }],
    ["file:../x", { kind: "local" }],
    ["workspace:^", { kind: "local" }],
    ["npm:@scope/pkg@2.0.0", { kind: "exact", name: "@scope/pkg", version: "2.0.0" }],
    ["npm:@scope/pkg", { kind: "range", name: "@scope/pkg" }],
  ])("%p", (spec, expected) => {
    expect(classifyNpmSpec(spec)).toEqual(expected);
  });
});
