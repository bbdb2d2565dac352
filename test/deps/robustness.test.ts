import { collectDependencies } from "../../lib/deps/index.js";
import { nameFromReference } from "../../lib/deps/sources.js";
import { ids, server, snapshotOf } from "./helpers.js";

const pkg = JSON.stringify({ dependencies: { "mcp-remote": "0.1.15", ws: "^8.0.0" } }, null, 2);

describe("bad input gives problems, never a throw", () => {
  test("a malformed lockfile is reported and the exact pins are used instead", () => {
    const facts = collectDependencies(snapshotOf({ "package.json": pkg, "package-lock.json": '{\n  "lockfileVersion": 3,\n  "packages": {\n' }), [server(".")]);
    expect(ids(facts.dependencies)).toEqual(["mcp-remote@0.1.15"]);
    expect(facts.dependencies[0].resolvedFrom).toBe("manifest-pin");
    expect(ids(facts.unresolved)).toEqual(["ws@^8.0.0"]);
    expect(facts.problems).toHaveLength(1);
    expect(facts.problems[0].path).toBe("package-lock.json");
    expect(facts.problems[0].message).toMatch(/invalid JSON: .* at line \d+/);
  });

  test("a malformed package.json is reported once even when two servers share it", () => {
    const facts = collectDependencies(snapshotOf({ "package.json": "{ name: nope" }), [server("."), server(".")]);
    expect(facts.dependencies).toEqual([]);
    expect(facts.problems).toEqual([{ path: "package.json", message: expect.stringMatching(/^invalid JSON/) }]);
  });

  test("JSON that is not an object, and lockfile fields of the wrong type", () => {
    const facts = collectDependencies(
      snapshotOf({
        "a/package.json": "[1, 2, 3]",
        "b/package.json": JSON.stringify({ dependencies: ["x"], devDependencies: { y: 42, z: "1.0.0" } }),
        "b/package-lock.json": JSON.stringify({ packages: { "": 5, "node_modules/z": { version: ["1.0.0"] }, "node_modules/q": null } }),
      }),
      [server("a"), server("b")],
    );
    expect(facts.problems.map((p) => p.path)).toEqual(["a/package.json"]);
    // z is in the lockfile but without a usable version: nothing is guessed.
    expect(facts.dependencies).toEqual([]);
  });

  test("binary garbage and invalid TOML", () => {
    const garbage = String.fromCharCode(...Array.from({ length: 2000 }, (_, i) => (i * 7919) % 256));
    const facts = collectDependencies(
      snapshotOf({
        "package.json": garbage,
        "pyproject.toml": "[project\nname = ",
        "uv.lock": garbage,
        "requirements.txt": garbage,
        "go.mod": garbage,
      }),
      [server(".")],
    );
    expect(facts.problems.map((p) => p.path).sort()).toEqual(expect.arrayContaining(["package.json", "pyproject.toml", "uv.lock"]));
    expect(facts.problems.find((p) => p.path === "pyproject.toml")!.message).toMatch(/^invalid TOML/);
  });

  test("pathological nesting does not crash the scan", () => {
    const deep = "[".repeat(200_000) + "]".repeat(200_000);
    const facts = collectDependencies(snapshotOf({ "package.json": pkg, "package-lock.json": `{"dependencies": ${deep}}` }), [server(".")]);
    expect(ids(facts.dependencies)).toEqual(expect.arrayContaining(["mcp-remote@0.1.15"]));
  });

  test("a v1 lockfile nested a thousand levels deep is read without recursion", () => {
    let tree: Record<string, unknown> = {};
    const root = tree;
    for (let i = 0; i < 1000; i++) {
      const next: Record<string, unknown> = {};
      tree[`p${i}`] = { version: "1.0.0", requires: { [`p${i + 1}`]: "1.0.0" }, dependencies: next };
      tree = next;
    }
    const facts = collectDependencies(
      snapshotOf({ "package.json": JSON.stringify({ dependencies: { p0: "1.0.0" } }), "package-lock.json": JSON.stringify({ lockfileVersion: 1, dependencies: root }) }),
      [server(".")],
    );
    expect(facts.dependencies).toHaveLength(1000);
    expect(facts.problems).toEqual([]);
  });

  test("requirements files that include each other, or escape the root, terminate", () => {
    const facts = collectDependencies(
      snapshotOf({
        "requirements.txt": "-r requirements-b.txt\nmcp==1.0.0\n-r ../../../etc/passwd\n",
        "requirements-b.txt": "-r requirements.txt\nfastmcp==2.0.0\n",
      }),
      [server(".", "python")],
    );
    expect(ids(facts.dependencies)).toEqual(["fastmcp@2.0.0", "mcp@1.0.0"]);
  });

  test("a large lockfile is read in one pass", () => {
    const packages: Record<string, unknown> = { "": { dependencies: { "pkg-0": "^1.0.0" } } };
    for (let i = 0; i < 5000; i++) {
      packages[`node_modules/pkg-${i}`] = { version: `1.0.${i}`, dependencies: i + 1 < 5000 ? { [`pkg-${i + 1}`]: "*" } : undefined };
    }
    const facts = collectDependencies(
      snapshotOf({ "package.json": JSON.stringify({ dependencies: { "pkg-0": "^1.0.0" } }), "package-lock.json": JSON.stringify({ lockfileVersion: 3, packages }, null, 2) }),
      [server(".")],
    );
    expect(facts.dependencies).toHaveLength(5000);
    // Chains are capped to stay cheap; deeper packages are still reported.
    expect(facts.dependencies.find((d) => d.name === "pkg-10")!.via).toHaveLength(11);
  });

  test("servers without manifests, and no servers at all", () => {
    expect(collectDependencies(snapshotOf({ "src/index.ts": "export {}" }), [server("src")])).toEqual({ dependencies: [], unresolved: [], problems: [], declarations: [], projects: [] });
    expect(collectDependencies(snapshotOf({ "package.json": pkg }), [])).toEqual({ dependencies: [], unresolved: [], problems: [], declarations: [], projects: [] });
  });
});

describe("hostile yarn.lock, Pipfile.lock, go.sum and names", () => {
  const garbage = String.fromCharCode(...Array.from({ length: 4000 }, (_, i) => (i * 7919) % 256));

  test("binary junk in every new format gives problems or nothing, never a throw", () => {
    const facts = collectDependencies(
      snapshotOf({
        "a/package.json": pkg,
        "a/yarn.lock": garbage,
        "b/Pipfile": garbage,
        "b/Pipfile.lock": garbage,
        "c/go.mod": "module x\n\ngo 1.15\n",
        "c/go.sum": garbage,
      }),
      [server("a"), server("b", "python"), server("c", "go")],
    );
    expect(facts.problems.map((p) => p.path).sort()).toEqual(["a/yarn.lock", "b/Pipfile", "b/Pipfile.lock"]);
    expect(ids(facts.dependencies)).toEqual(["mcp-remote@0.1.15"]);
  });

  test("a yarn.lock of 20,000 entries whose dependencies form one long cycle terminates, chains capped", () => {
    const n = 20000;
    const lines = ["# yarn lockfile v1", ""];
    for (let i = 0; i < n; i++) lines.push(`p${i}@^1.0.0:`, '  version "1.0.0"', "  dependencies:", `    p${(i + 1) % n} "^1.0.0"`, "");
    const start = Date.now();
    const facts = collectDependencies(snapshotOf({ "package.json": JSON.stringify({ dependencies: { p0: "^1.0.0" } }), "yarn.lock": lines.join("\n") }), [server(".")]);
    expect(Date.now() - start).toBeLessThan(20000);
    expect(facts.dependencies).toHaveLength(n);
    expect(Math.max(...facts.dependencies.map((d) => d.via?.length ?? 1))).toBe(64);
  });

  test("a Poetry version of hostile length is read in linear time", () => {
    const version = "1" + ".1".repeat(100_000) + "!";
    const toml = `[tool.poetry]\nname = "x"\n\n[tool.poetry.dependencies]\nmcp = "${version}"\n`;
    const start = Date.now();
    const facts = collectDependencies(snapshotOf({ "pyproject.toml": toml }), [server(".", "python")]);
    expect(Date.now() - start).toBeLessThan(5000);
    expect(facts.dependencies.filter((d) => d.name === "mcp")).toEqual([]);
  });

  test("a requirements line of hostile whitespace is read in linear time", () => {
    const start = Date.now();
    const facts = collectDependencies(snapshotOf({ "requirements.txt": `mcp==1.23.0\nhttpx${" \t".repeat(100_000)}x\n` }), [server(".", "python")]);
    expect(Date.now() - start).toBeLessThan(5000);
    expect(ids(facts.dependencies)).toEqual(["mcp@1.23.0"]);
  });

  test("references and pnpm versions of hostile length are cut in linear time", () => {
    const start = Date.now();
    expect(nameFromReference(`git+https://h/${"/".repeat(100_000)}x`)).toBe("x");
    expect(nameFromReference(`https://h/pkg.zip${"#a".repeat(50_000)}\n!`)).toBe("pkg");
    const version = `1.0.0${"_a".repeat(50_000)}\nz`;
    const lock = `lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      x:\n        specifier: ^1.0.0\n        version: ${JSON.stringify(version)}\npackages:\n  x@1.0.0:\n    resolution: {integrity: sha512-x}\n`;
    const facts = collectDependencies(snapshotOf({ "package.json": JSON.stringify({ dependencies: { x: "^1.0.0" } }), "pnpm-lock.yaml": lock }), [server(".")]);
    expect(Date.now() - start).toBeLessThan(5000);
    expect(ids(facts.dependencies)).toEqual(["x@1.0.0"]);
  });

  test("specs and names of hostile length", () => {
    const long = "a".repeat(100000);
    const facts = collectDependencies(
      snapshotOf({ "package.json": JSON.stringify({ dependencies: { [long]: `github:${long}/${long}#${long}`, x: `file:${"../".repeat(5000)}x` } }) }),
      [server(".")],
    );
    expect(facts.declarations?.map((d) => [d.source, d.outsideRepo ?? null])).toEqual([
      ["git", null],
      ["local", true],
    ]);
  });
});
