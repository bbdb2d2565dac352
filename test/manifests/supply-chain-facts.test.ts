import { inSupplyChainScope, readSupplyChainFacts } from "../../lib/manifests/supply-chain.js";
import { readIndexSettings, settingsKind } from "../../lib/manifests/supply-chain-registries.js";
import type { McpServer } from "../../lib/detect/types.js";
import { snapshotOf } from "../extract/client-config-helpers.js";

const server = (root: string): McpServer => ({ root, name: root, language: "typescript", frameworks: [], evidence: [] });

describe("scope", () => {
  test("server folders and the repository root; never fixtures or dev containers", () => {
    const servers = [server("packages/mcp")];
    expect(inSupplyChainScope("packages/mcp/Dockerfile", servers)).toBe(true);
    expect(inSupplyChainScope("packages/mcp/scripts/x.sh", servers)).toBe(true);
    expect(inSupplyChainScope("Dockerfile", servers)).toBe(true);
    expect(inSupplyChainScope("packages/web/Dockerfile", servers)).toBe(false);
    expect(inSupplyChainScope("packages/mcp/test/fixtures/Dockerfile", servers)).toBe(false);
    expect(inSupplyChainScope(".devcontainer/Dockerfile", [server(".")])).toBe(false);
    expect(inSupplyChainScope("anything/Dockerfile", [])).toBe(true);
  });

  test("install hooks come from the server's own package.json only, and not when it is private", () => {
    const pkg = (name: string, extra: object = {}) => JSON.stringify({ name, ...extra, scripts: { postinstall: "node setup.js" } }, null, 2);
    const snapshot = snapshotOf({
      "packages/mcp/package.json": pkg("mcp"),
      "packages/mcp/node_modules/dep/package.json": pkg("dep"),
      "package.json": pkg("root", { private: true }),
    });
    const facts = readSupplyChainFacts(snapshot, [server("packages/mcp")]);
    expect(facts.installHooks).toEqual([{ path: "packages/mcp/package.json", line: 4, name: "postinstall", command: "node setup.js", packageName: "mcp" }]);
  });
});

describe("package.json scripts", () => {
  test("remote execs in any script carry the script name and its line", () => {
    const text = JSON.stringify({ scripts: { build: "tsc", "get-tool": "curl -fsSL https://x.example/i.sh | sh" } }, null, 2);
    const facts = readSupplyChainFacts(snapshotOf({ "package.json": text }), []);
    expect(facts.remoteExecs.map((r) => [r.path, r.line, r.script, r.where])).toEqual([["package.json", 4, "get-tool", 'package.json script "get-tool"']]);
  });

  test("broken or odd package.json files are skipped quietly (the dependency reader reports them)", () => {
    const facts = readSupplyChainFacts(snapshotOf({ "package.json": '{"scripts": {"postinstall": ', "a/package.json": '{"scripts": ["x"]}', "b/package.json": '{"scripts": {"postinstall": 5}}' }), []);
    expect(facts).toMatchObject({ installHooks: [], remoteExecs: [], problems: [] });
  });
});

describe("index and registry settings", () => {
  test("file kinds", () => {
    expect(settingsKind("requirements.txt")).toBe("requirements");
    expect(settingsKind("requirements-dev.txt")).toBe("requirements");
    expect(settingsKind("requirements/base.in")).toBe("requirements");
    expect(settingsKind("constraints.txt")).toBe("requirements");
    expect(settingsKind("docs/requirements.md")).toBeUndefined();
    expect(settingsKind("pip.ini")).toBe("pip.conf");
    expect(settingsKind("app/.npmrc")).toBe("npmrc");
    expect(settingsKind(".yarnrc.yml")).toBe("yarnrc.yml");
  });

  test("requirements: options with continuations and comments", () => {
    const problems: never[] = [];
    const got = readIndexSettings("requirements.txt", "# --extra-index-url https://commented.example\n--extra-index-url \\\n  https://x.example/simple\n-i http://y.example/simple  # mirror\nmcp==1.0\n", problems);
    expect(got.map((s) => [s.line, s.option, s.value])).toEqual([
      [2, "extra-index-url", "https://x.example/simple"],
      [4, "index-url", "http://y.example/simple"],
    ]);
  });

  test("pip.conf: one value per line of a list", () => {
    const got = readIndexSettings("pip.conf", "[global]\ntrusted-host = a.example\n    b.example\nindex_url=https://pypi.org/simple\n", []);
    expect(got.map((s) => [s.line, s.option, s.value])).toEqual([
      [2, "trusted-host", "a.example"],
      [3, "trusted-host", "b.example"],
      [4, "index-url", "https://pypi.org/simple"],
    ]);
  });

  test("pyproject.toml: [tool.uv], [[tool.uv.index]] and poetry sources", () => {
    const text = [
      "[project]",
      'name = "x"',
      "[tool.uv]",
      'index-url = "http://mirror.example/simple"',
      'allow-insecure-host = ["mirror.example"]',
      "[[tool.uv.index]]",
      'url = "https://download.pytorch.org/whl/cpu"',
      "[[tool.poetry.source]]",
      'name = "corp"',
      'url = "http://corp.example/simple"',
    ].join("\n");
    const got = readIndexSettings("pyproject.toml", text, []);
    expect(got.map((s) => [s.line, s.option, s.value, s.source])).toEqual([
      [4, "index-url", "http://mirror.example/simple", "pyproject.toml [tool.uv]"],
      [5, "allow-insecure-host", "mirror.example", "pyproject.toml [tool.uv]"],
      [7, "index", "https://download.pytorch.org/whl/cpu", "pyproject.toml [tool.uv]"],
      [10, "index", "http://corp.example/simple", "pyproject.toml [tool.poetry.source]"],
    ]);
  });

  test("a broken pyproject.toml is left to the project reader; a broken uv.toml is a problem", () => {
    const problems: { path: string }[] = [];
    expect(readIndexSettings("pyproject.toml", "[tool.uv\nindex-url = 1", problems as never)).toEqual([]);
    expect(problems).toEqual([]);
    readIndexSettings("uv.toml", "index-url = [", problems as never);
    expect(problems.map((p) => p.path)).toEqual(["uv.toml"]);
  });

  test("npm and yarn", () => {
    expect(readIndexSettings(".npmrc", "; comment\n@corp:registry=http://npm.corp.example/\nstrict-ssl = false\n//npm.corp.example/:_authToken=${TOKEN}\n", []).map((s) => [s.line, s.option, s.value])).toEqual([
      [2, "registry", "http://npm.corp.example/"],
      [3, "strict-ssl", "false"],
    ]);
    expect(readIndexSettings(".yarnrc", 'registry "http://npm.corp.example/"\n', []).map((s) => [s.option, s.value])).toEqual([["registry", "http://npm.corp.example/"]]);
    const yml = 'enableStrictSsl: false\nnpmScopes:\n  corp:\n    npmRegistryServer: "http://npm.corp.example"\n';
    expect(readIndexSettings(".yarnrc.yml", yml, []).map((s) => [s.line, s.option, s.value])).toEqual([
      [1, "strict-ssl", "false"],
      [4, "registry", "http://npm.corp.example"],
    ]);
  });

  test("hostile YAML: invalid, __proto__, wrong types", () => {
    const problems: { line: number; message: string }[] = [];
    expect(readIndexSettings(".yarnrc.yml", "a: [\n", problems as never)).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toMatch(/^invalid YAML/);
    expect(readIndexSettings(".yarnrc.yml", '__proto__:\n  npmRegistryServer: "http://x.example"\nnpmRegistryServer: [1, 2]\nnpmScopes: 5\n', [])).toEqual([]);
  });
});
