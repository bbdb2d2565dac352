import { collectDependencies } from "../../lib/deps/index.js";
import { parsePep508, parseRequirements } from "../../lib/deps/requirements.js";
import { find, ids, lineOf, server, snapshotOf } from "./helpers.js";

describe("requirements files", () => {
  const snap = snapshotOf("python-req");
  const facts = collectDependencies(snap, [server("server", "python")]);
  const req = "server/requirements.txt";

  test("== and === pins resolve; ranges, wildcards and bare names are unresolved; the rest is skipped", () => {
    expect(ids(facts.dependencies.filter((d) => d.path === req))).toEqual([
      "Jinja2@3.1.5",
      "fastmcp@2.12.5",
      "mcp@1.9.3",
      "pydantic@2.3.0",
    ]);
    expect(ids(facts.unresolved.filter((d) => d.path === req))).toEqual([
      "httpx@>=0.27,<0.29",
      "requests@?",
      "starlette@~= 0.40.0",
      "urllib3@==2.*",
    ]);
  });

  test("lines: comments, markers, extras and continuation lines", () => {
    expect(find(facts.dependencies, "mcp")).toMatchObject({ line: 2, declared: "==1.9.3", resolvedFrom: "manifest-pin", direct: true, server: "server" });
    expect(find(facts.dependencies, "fastmcp").line).toBe(3);
    expect(find(facts.dependencies, "Jinja2").line).toBe(lineOf(snap, req, "Jinja2 =="));
  });

  test("other requirements*.txt in the folder and files included with -r are read once each", () => {
    expect(find(facts.dependencies, "pytest")).toMatchObject({ version: "8.2.0", path: "server/requirements-dev.txt" });
    expect(find(facts.dependencies, "urllib3", "2.2.1")).toMatchObject({ path: "common/base.txt", line: 1 });
    expect(facts.problems).toEqual([]);
  });
});

describe("pip-compile output", () => {
  const facts = collectDependencies(snapshotOf("python-compiled"), [server(".", "python")]);

  test("`# via` comments give the chain; `# via -r` means direct", () => {
    expect(find(facts.dependencies, "httpx")).toMatchObject({ version: "0.22.0", direct: false, via: ["mcp", "httpx"] });
    expect(find(facts.dependencies, "mcp")).toMatchObject({ direct: true });
    expect(find(facts.dependencies, "mcp").via).toBeUndefined();
    expect(find(facts.dependencies, "anyio").via).toEqual(["httpx", "anyio"]);
  });
});

describe("pyproject.toml (PEP 621 and PEP 735)", () => {
  const snap = snapshotOf("python-pyproject");
  const facts = collectDependencies(snap, [server(".", "python")]);

  test("== pins from dependencies, optional dependencies and groups; the rest unresolved", () => {
    expect(ids(facts.dependencies)).toEqual(["Jinja2@3.1.5", "mcp@1.9.3", "pytest@8.0.0", "starlette@0.39.2"]);
    expect(ids(facts.unresolved)).toEqual(["fastmcp@>=2.0", "httpx@?", "ruff@?"]);
    expect(find(facts.dependencies, "mcp")).toMatchObject({ path: "pyproject.toml", line: lineOf(snap, "pyproject.toml", '"mcp==1.9.3"') });
    expect(find(facts.dependencies, "starlette").line).toBe(lineOf(snap, "pyproject.toml", "starlette=="));
    expect(find(facts.dependencies, "Jinja2").line).toBe(lineOf(snap, "pyproject.toml", "Jinja2=="));
  });
});

describe("uv.lock", () => {
  const snap = snapshotOf("python-uv");
  const facts = collectDependencies(snap, [server(".", "python")]);

  test("everything the lockfile resolves, except the project itself", () => {
    expect(ids(facts.dependencies)).toEqual(["anyio@4.4.0", "gitpython@3.1.43", "idna@3.7", "mcp-server-git@2025.11.25", "mcp@1.9.4", "starlette@0.39.2"]);
    expect(find(facts.dependencies, "mcp-server-git")).toMatchObject({
      resolvedFrom: "lockfile",
      direct: true,
      path: "uv.lock",
      line: lineOf(snap, "uv.lock", '^name = "mcp-server-git"') - 1,
    });
    expect(find(facts.dependencies, "starlette")).toMatchObject({ direct: false, via: ["mcp", "starlette"] });
  });

  test("lockfile first: the exported requirements.txt does not repeat what the lockfile resolved", () => {
    expect(facts.dependencies.filter((d) => d.path === "requirements.txt")).toEqual([]);
  });

  test("a uv workspace lockfile above a member covers only what that member pulls in", () => {
    const files: Record<string, string> = {};
    for (const [p, t] of snap.files) files[p === "uv.lock" ? p : `members/git-tools/${p}`] = t;
    delete files["members/git-tools/requirements.txt"];
    const ws = collectDependencies(snapshotOf(files), [server("members/git-tools", "python")]);
    expect(ids(ws.dependencies)).toEqual(["anyio@4.4.0", "gitpython@3.1.43", "idna@3.7", "mcp-server-git@2025.11.25", "mcp@1.9.4", "starlette@0.39.2"]);
    // A member the lockfile does not know about is not covered by it.
    files["other/pyproject.toml"] = '[project]\nname = "other"\ndependencies = ["mcp==1.0.0"]\n';
    const other = collectDependencies(snapshotOf(files), [server("other", "python")]);
    expect(ids(other.dependencies)).toEqual(["mcp@1.0.0"]);
    expect(other.dependencies[0].path).toBe("other/pyproject.toml");
  });
});

describe("Poetry", () => {
  const snap = snapshotOf("python-poetry");

  test("poetry.lock versions win over pyproject constraints; path dependencies are skipped", () => {
    const facts = collectDependencies(snap, [server(".", "python")]);
    expect(ids(facts.dependencies.filter((d) => d.path === "poetry.lock"))).toEqual(["fastmcp@2.13.0", "httpx@0.22.0", "mcp@1.22.0"]);
    expect(find(facts.dependencies, "fastmcp")).toMatchObject({ direct: true, line: lineOf(snap, "poetry.lock", '^name = "fastmcp"') - 1 });
    expect(find(facts.dependencies, "mcp")).toMatchObject({ direct: false, via: ["fastmcp", "mcp"] });
    // Not in the lockfile: the pyproject pins still count.
    expect(ids(facts.dependencies.filter((d) => d.path === "pyproject.toml"))).toEqual(["Jinja2@3.1.5", "pytest@8.2.0"]);
  });

  test("without poetry.lock: a bare version is an exact pin, ^ and ~ are ranges, python is not a package", () => {
    const files = Object.fromEntries([...snap.files].filter(([p]) => p !== "poetry.lock"));
    const facts = collectDependencies(snapshotOf(files), [server(".", "python")]);
    expect(ids(facts.dependencies)).toEqual(["Jinja2@3.1.5", "fastmcp@2.12.5", "pytest@8.2.0"]);
    expect(ids(facts.unresolved)).toEqual(["httpx@^0.27"]);
    expect(find(facts.dependencies, "fastmcp").line).toBe(lineOf(snap, "pyproject.toml", "fastmcp ="));
  });
});

describe("parsers", () => {
  test.each([
    ["mcp==1.9.3", { name: "mcp", specifier: "==1.9.3", pinned: "1.9.3" }],
    ["mcp === 1.9.3", { name: "mcp", specifier: "=== 1.9.3", pinned: "1.9.3" }],
    ["mcp (==1.9.3)", { name: "mcp", specifier: "==1.9.3", pinned: "1.9.3" }],
    ["mcp[cli]==1.9.3; python_version<'3.13'", { name: "mcp", specifier: "==1.9.3", pinned: "1.9.3" }],
    ["mcp==1.9.*", { name: "mcp", specifier: "==1.9.*" }],
    ["mcp>=1.0,==1.2", { name: "mcp", specifier: ">=1.0,==1.2" }],
    ["mcp", { name: "mcp", specifier: "" }],
  ])("parsePep508(%p)", (input, expected) => {
    expect(parsePep508(input)).toEqual(expected);
  });

  test.each(["pkg @ https://example.com/pkg.whl", "", "==1.0", "name !! 1.0"])("parsePep508(%p) is not a registry requirement", (input) => {
    expect(parsePep508(input)).toBeUndefined();
  });

  test("a URL fragment is not a comment, and a dangling continuation does not loop", () => {
    const parsed = parseRequirements("https://example.com/x.tar.gz#egg=x\nmcp==1.0 \\");
    expect(parsed.requirements.map((r) => r.name)).toEqual(["mcp"]);
    expect(parseRequirements("-r a.txt\n--requirement=b.txt\n-rc.txt").includes).toEqual(["a.txt", "b.txt", "c.txt"]);
  });
});
