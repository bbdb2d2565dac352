import { collectDependencies } from "../../lib/deps/index.js";
import { parseGoSum } from "../../lib/deps/gomod.js";
import { find, ids, lineOf, server, snapshotOf } from "./helpers.js";

describe("npm-shrinkwrap.json", () => {
  const snap = snapshotOf("npm-shrinkwrap");
  const facts = collectDependencies(snap, [server(".")]);

  test("wins over package-lock.json, as in npm", () => {
    expect(ids(facts.dependencies)).toEqual(["@modelcontextprotocol/sdk@1.20.2", "cross-spawn@7.0.3"]);
    expect(find(facts.dependencies, "cross-spawn")).toMatchObject({ path: "npm-shrinkwrap.json", direct: true, line: lineOf(snap, "npm-shrinkwrap.json", '"node_modules/cross-spawn"') });
    expect(facts.projects?.[0]).toMatchObject({ lockfile: "npm-shrinkwrap.json", deployedBy: [] });
  });
});

describe("Pipfile and Pipfile.lock", () => {
  const snap = snapshotOf("python-pipenv");
  const facts = collectDependencies(snap, [server(".", "python")]);

  test("every locked package at its == version; VCS entries carry none", () => {
    expect(ids(facts.dependencies)).toEqual(["anyio@4.9.0", "httpx@0.28.1", "mcp@1.9.3", "pytest@8.3.5", "starlette@0.39.2"]);
    expect(facts.unresolved).toEqual([]);
    expect(facts.problems).toEqual([]);
  });

  test("what the Pipfile names is direct; the lockfile records no graph, so the rest is transitive without a chain", () => {
    expect(find(facts.dependencies, "mcp")).toMatchObject({ direct: true, path: "Pipfile.lock", resolvedFrom: "lockfile", line: lineOf(snap, "Pipfile.lock", '"mcp": {') });
    expect(find(facts.dependencies, "pytest").direct).toBe(true);
    expect(find(facts.dependencies, "starlette")).toMatchObject({ direct: false });
    expect(find(facts.dependencies, "starlette").via).toBeUndefined();
  });

  test("the git package is a declaration; the project is locked by Pipfile.lock", () => {
    expect(facts.declarations?.find((d) => d.name === "internal-tools")).toMatchObject({ source: "git", path: "Pipfile" });
    expect(facts.projects).toEqual([{ ecosystem: "PyPI", manifest: "Pipfile", server: ".", lockfile: "Pipfile.lock", deployedBy: [], registryDependencies: 3 }]);
  });

  test("without Pipfile.lock, Pipfile ranges are unresolved and exact pins are used", () => {
    const bare = collectDependencies(snapshotOf({ Pipfile: '[packages]\nmcp = "==1.9.3"\nhttpx = "*"\n' }), [server(".", "python")]);
    expect(ids(bare.dependencies)).toEqual(["mcp@1.9.3"]);
    expect(ids(bare.unresolved)).toEqual(["httpx@?"]);
  });
});

describe("go.sum", () => {
  const snap = snapshotOf("go-legacy");
  const facts = collectDependencies(snap, [server(".", "go")]);

  test("a go.mod older than Go 1.17 is completed from go.sum: highest built version, go.mod-only lines ignored", () => {
    expect(ids(facts.dependencies)).toEqual(["github.com/google/uuid@v1.6.0", "github.com/mark3labs/mcp-go@v0.8.0", "golang.org/x/net@v0.23.0", "golang.org/x/text@v0.3.8"]);
    expect(find(facts.dependencies, "golang.org/x/net")).toMatchObject({ path: "go.sum", direct: false, line: lineOf(snap, "go.sum", "golang.org/x/net v0.23.0 h1:") });
  });

  test("go.mod's require and replace decide for the modules it names", () => {
    expect(find(facts.dependencies, "golang.org/x/text")).toMatchObject({ path: "go.mod", line: lineOf(snap, "go.mod", "replace golang.org/x/text") });
  });

  test("from Go 1.17 on go.mod is complete and go.sum adds nothing", () => {
    const files = Object.fromEntries(snap.files);
    const modern = collectDependencies(snapshotOf({ ...files, "go.mod": files["go.mod"].replace("go 1.16", "go 1.21") }), [server(".", "go")]);
    expect(ids(modern.dependencies)).toEqual(["github.com/mark3labs/mcp-go@v0.8.0", "golang.org/x/text@v0.3.8"]);
  });

  test("parseGoSum skips malformed lines", () => {
    expect(parseGoSum("junk\nx v1 h1:a\nexample.com/m v1.2.3 h1:abc=\nexample.com/m v1.10.0 h1:def=\n")).toEqual([{ module: "example.com/m", version: "v1.10.0", line: 4 }]);
  });
});
