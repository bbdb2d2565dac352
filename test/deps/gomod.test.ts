import { collectDependencies } from "../../lib/deps/index.js";
import { parseGoMod } from "../../lib/deps/gomod.js";
import { find, ids, lineOf, server, snapshotOf } from "./helpers.js";

describe("go.mod", () => {
  const snap = snapshotOf("go-server");
  // The server lives below the module root; the module's go.mod covers it.
  const facts = collectDependencies(snap, [server("cmd/mcp", "go")]);

  test("require blocks and single lines, with replacements applied and local replacements dropped", () => {
    expect(ids(facts.dependencies)).toEqual([
      "example.com/new@v1.2.0",
      "github.com/google/uuid@v1.6.0",
      "github.com/mark3labs/mcp-go@v0.32.0",
      "github.com/pkg/errors@v0.9.1+incompatible",
      "github.com/quoted/mod@v1.2.3",
      "golang.org/x/crypto@v0.0.0-20230101120000-abcdef123456",
      "golang.org/x/net@v0.30.0",
      "golang.org/x/text@v0.21.0",
    ]);
    expect(facts.unresolved).toEqual([]);
    expect(facts.problems).toEqual([]);
  });

  test("`// indirect` marks transitive requirements; lines point at the directive that decides the version", () => {
    expect(find(facts.dependencies, "golang.org/x/net")).toEqual({
      ecosystem: "Go",
      name: "golang.org/x/net",
      version: "v0.30.0",
      declared: "v0.30.0",
      resolvedFrom: "lockfile",
      direct: false,
      path: "go.mod",
      line: lineOf(snap, "go.mod", "golang.org/x/net v0.30.0"),
      server: "cmd/mcp",
    });
    expect(find(facts.dependencies, "github.com/mark3labs/mcp-go").direct).toBe(true);
    expect(find(facts.dependencies, "golang.org/x/text")).toMatchObject({ direct: false, declared: "v0.19.0", line: lineOf(snap, "go.mod", "replace golang.org/x/text") });
    expect(find(facts.dependencies, "example.com/new")).toMatchObject({ direct: true, declared: "v1.0.0", line: lineOf(snap, "go.mod", "replace example.com/old") });
  });

  test("a version-specific replace does not apply to other versions", () => {
    const mod = parseGoMod("module m\nrequire a.com/x v1.0.0\nreplace a.com/x v0.9.0 => b.com/x v2.0.0\n");
    const snapped = collectDependencies(snapshotOf({ "go.mod": "module m\nrequire a.com/x v1.0.0\nreplace a.com/x v0.9.0 => b.com/x v2.0.0\n" }), [server(".", "go")]);
    expect(mod.replaces).toHaveLength(1);
    expect(ids(snapped.dependencies)).toEqual(["a.com/x@v1.0.0"]);
  });

  test("malformed directives are reported, the rest is still read", () => {
    const facts = collectDependencies(snapshotOf({ "go.mod": "module m\nrequire (\n  a.com/x\n  b.com/y v1.0.0\n)\nreplace c.com/z\n" }), [server(".", "go")]);
    expect(ids(facts.dependencies)).toEqual(["b.com/y@v1.0.0"]);
    expect(facts.problems).toEqual([{ path: "go.mod", message: "could not read go.mod directive at line 3, 6" }]);
  });
});
