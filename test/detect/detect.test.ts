import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { detectServers, serverForPath } from "../../lib/detect/index.js";
import type { McpServer } from "../../lib/detect/index.js";
import { snapshotFromDirectory } from "../../lib/snapshot/index.js";
import type { RepoSnapshot } from "../../lib/snapshot/index.js";

function snap(files: Record<string, string>): RepoSnapshot {
  const map = new Map(Object.entries(files));
  return { files: map, notes: [], truncated: false, totalBytes: 0 };
}

function only(files: Record<string, string>): McpServer {
  const servers = detectServers(snap(files));
  expect(servers).toHaveLength(1);
  return servers[0] as McpServer;
}

const pkg = (data: object): string => JSON.stringify(data, null, 2);

describe("detectServers: Node.js", () => {
  it("detects a TypeScript server on the official SDK", () => {
    const server = only({
      "package.json": pkg({ name: "weather-mcp", dependencies: { "@modelcontextprotocol/sdk": "^1.17.0", zod: "^3" } }),
      "src/index.ts": "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
    });
    expect(server).toEqual({
      root: ".",
      name: "weather-mcp",
      language: "typescript",
      frameworks: ["@modelcontextprotocol/sdk"],
      evidence: ["package.json depends on @modelcontextprotocol/sdk"],
    });
  });

  it("detects a JavaScript fastmcp server, and tsconfig.json alone makes it TypeScript", () => {
    const js = only({ "package.json": pkg({ name: "js-mcp", dependencies: { fastmcp: "^3.0.0" } }), "index.js": "x" });
    expect(js.language).toBe("javascript");
    expect(js.frameworks).toEqual(["fastmcp"]);
    const ts = only({ "package.json": pkg({ dependencies: { fastmcp: "^3" } }), "tsconfig.json": "{}", "index.d.ts": "" });
    expect(ts.language).toBe("typescript");
    expect(ts.name).toBe(".");
  });

  it("counts a devDependency or peerDependency on the SDK and says which", () => {
    const server = only({ "package.json": pkg({ name: "x", devDependencies: { "@modelcontextprotocol/sdk": "1.0.0" } }) });
    expect(server.evidence).toEqual(["package.json depends on @modelcontextprotocol/sdk (devDependencies)"]);
    expect(only({ "package.json": pkg({ peerDependencies: { "mcp-framework": "*" } }) }).frameworks).toEqual(["mcp-framework"]);
  });

  it("detects a reference server by its package name", () => {
    const server = only({ "package.json": pkg({ name: "@modelcontextprotocol/server-everything" }), "index.ts": "" });
    expect(server.name).toBe("@modelcontextprotocol/server-everything");
    expect(server.evidence[0]).toContain("MCP reference server");
  });

  it("ignores a plain express app, a client-only project and look-alike packages", () => {
    expect(detectServers(snap({ "package.json": pkg({ name: "api", dependencies: { express: "^4", "body-parser": "1" } }) }))).toEqual([]);
    expect(
      detectServers(snap({ "package.json": pkg({ name: "agent", dependencies: { "@modelcontextprotocol/client": "1", "@mastra/mcp": "1", "mcp-use": "1" } }) })),
    ).toEqual([]);
    expect(detectServers(snap({ "package.json": pkg({ dependencies: { "@modelcontextprotocol/sdk-utils": "1", "fastmcp-cli": "1" } }) }))).toEqual([]);
    expect(detectServers(snap({ "package.json": pkg({ name: "@modelcontextprotocol/inspector" }) }))).toEqual([]);
  });

  it("survives malformed or oddly shaped package.json files", () => {
    const odd = [
      '{"name": "broken", "dependencies": {"@modelcontextprotocol/sdk": "1"',
      "[1, 2, 3]",
      "null",
      '{"dependencies": ["@modelcontextprotocol/sdk"]}',
      '{"dependencies": "@modelcontextprotocol/sdk"}',
      '{"name": 42, "__proto__": {"dependencies": {"fastmcp": "1"}}}',
      "",
    ];
    for (const text of odd) expect(detectServers(snap({ "package.json": text }))).toEqual([]);
  });
});

describe("detectServers: Python", () => {
  it("reads PEP 621 dependencies, extras and markers", () => {
    const server = only({
      "pyproject.toml": '[project]\nname = "notes-server"\ndependencies = ["mcp[cli]>=1.2.0; python_version >= \\"3.10\\"", "httpx"]\n',
      "server.py": "from mcp.server.fastmcp import FastMCP",
    });
    expect(server).toEqual({
      root: ".",
      name: "notes-server",
      language: "python",
      frameworks: ["mcp"],
      evidence: ["pyproject.toml depends on mcp[cli]>=1.2.0 ([project].dependencies)"],
    });
  });

  it("reads Poetry dependency tables and groups, normalising names", () => {
    const server = only({
      "svc/pyproject.toml": '[tool.poetry]\nname = "svc"\n[tool.poetry.dependencies]\npython = "^3.11"\nFastMCP = "^2.3"\n',
    });
    expect(server.root).toBe("svc");
    expect(server.frameworks).toEqual(["fastmcp"]);
    const grouped = only({ "pyproject.toml": '[tool.poetry.group.dev.dependencies]\nMCP = { version = "^1.0", extras = ["cli"] }\n' });
    expect(grouped.frameworks).toEqual(["mcp"]);
    expect(grouped.evidence[0]).toContain("[tool.poetry.group.dev.dependencies]");
  });

  it("reads requirements files, including requirements/ folders, comments and continuations", () => {
    const server = only({
      "requirements.txt": "# deps\n--index-url https://pypi.org/simple\nrequests==2.32.0  # http\nfastmcp==2.10.1 \\\n    --hash=sha256:abc\n",
    });
    expect(server.frameworks).toEqual(["fastmcp"]);
    expect(server.evidence).toEqual(["requirements.txt depends on fastmcp==2.10.1"]);
    expect(only({ "app/requirements-dev.txt": "MCP>=1.0\n" }).root).toBe("app");
    expect(only({ "app/requirements/base.txt": "mcp\n" }).root).toBe("app");
  });

  it("reads Pipfile and setup.cfg", () => {
    expect(only({ Pipfile: '[packages]\nmcp = "*"\n' }).frameworks).toEqual(["mcp"]);
    expect(only({ "setup.cfg": "[metadata]\nname = x\n[options]\ninstall_requires =\n    requests\n    mcp>=1.0\n" }).frameworks).toEqual(["mcp"]);
  });

  it("does not mistake mcpx, mcp-something-else or a commented-out mcp for the SDK", () => {
    expect(detectServers(snap({ "pyproject.toml": '[project]\nname = "x"\ndependencies = ["mcpx>=1", "mcp-something-else", "mcp_proxy_tool"]\n' }))).toEqual([]);
    expect(detectServers(snap({ "requirements.txt": "# mcp\nmcp-server-git==1\nmcpx\n-e git+https://github.com/x/mcp#egg=mcp\n" }))).toEqual([]);
    expect(detectServers(snap({ "docs/notes.txt": "mcp\n", "setup.cfg": "[options.extras_require]\nfoo =\n    mcp\n" }))).toEqual([]);
  });

  it("survives malformed TOML", () => {
    expect(detectServers(snap({ "pyproject.toml": '[project\ndependencies = ["mcp"' }))).toEqual([]);
    expect(detectServers(snap({ Pipfile: "[[[" }))).toEqual([]);
  });
});

describe("detectServers: Go", () => {
  it("detects mcp-go (single-line require) and the official go-sdk (require block)", () => {
    const mcpGo = only({ "go.mod": "module github.com/acme/tools\n\ngo 1.23\n\nrequire github.com/mark3labs/mcp-go v0.32.0\n" });
    expect(mcpGo).toEqual({
      root: ".",
      name: "github.com/acme/tools",
      language: "go",
      frameworks: ["mcp-go"],
      evidence: ["go.mod requires github.com/mark3labs/mcp-go"],
    });
    const sdk = only({
      "cmd/srv/go.mod": "module example.com/srv\n\nrequire (\n\tgithub.com/google/uuid v1.6.0\n\tgithub.com/modelcontextprotocol/go-sdk v0.2.0\n)\n",
    });
    expect(sdk.root).toBe("cmd/srv");
    expect(sdk.frameworks).toEqual(["go-sdk"]);
  });

  it("ignores indirect requirements, replace targets and unrelated modules", () => {
    const text =
      "module example.com/cli\n\nrequire (\n\tgithub.com/mark3labs/mcp-go v0.30.0 // indirect\n\tgithub.com/spf13/cobra v1.8.0\n)\n" +
      "replace github.com/metoro-io/mcp-golang => ../fork\n";
    expect(detectServers(snap({ "go.mod": text }))).toEqual([]);
  });
});

describe("detectServers: manifests", () => {
  it("detects a registry server.json by schema or by shape, not a web server's settings", () => {
    const bySchema = only({
      "server.json": pkg({
        $schema: "https://static.modelcontextprotocol.io/schemas/2025-09-29/server.schema.json",
        name: "io.github.acme/weather",
        packages: [{ registryType: "pypi", identifier: "weather-mcp" }],
      }),
    });
    expect(bySchema.name).toBe("io.github.acme/weather");
    expect(bySchema.language).toBe("python");
    expect(bySchema.evidence).toEqual(["server.json is an MCP registry server manifest"]);
    expect(only({ "server.json": pkg({ name: "remote", remotes: [{ type: "streamable-http", url: "https://x" }] }) }).language).toBe("unknown");
    expect(detectServers(snap({ "server.json": pkg({ name: "api", port: 8080, host: "0.0.0.0" }) }))).toEqual([]);
    expect(detectServers(snap({ "server.json": "{not json" }))).toEqual([]);
  });

  it("detects smithery.yaml, taking the language from the folder", () => {
    const server = only({
      "smithery.yaml": "startCommand:\n  type: stdio\n  configSchema:\n    type: object\n  commandFunction: |-\n    (config) => ({ command: 'node', args: ['build/index.js'] })\n",
      "package.json": pkg({ name: "no-sdk-listed" }),
      "src/index.ts": "",
    });
    expect(server).toMatchObject({ root: ".", name: "no-sdk-listed", language: "typescript", frameworks: [] });
    expect(only({ "smithery.yaml": "runtime: python\n" }).language).toBe("python");
    expect(detectServers(snap({ "smithery.yaml": "- just\n- a list\n" }))).toEqual([]);
    expect(detectServers(snap({ "smithery.yaml": "startCommand: [unclosed\n" }))).toEqual([]);
  });

  it("detects an MCPB/DXT manifest.json but not a browser extension or PWA manifest", () => {
    const server = only({
      "manifest.json": pkg({
        manifest_version: "0.2",
        name: "files-bundle",
        version: "1.0.0",
        server: { type: "node", entry_point: "server/index.js", mcp_config: { command: "node", args: ["${__dirname}/server/index.js"] } },
      }),
      "server/index.js": "",
    });
    expect(server).toMatchObject({ name: "files-bundle", language: "javascript", evidence: ["manifest.json is an MCPB bundle manifest"] });
    expect(only({ "ext/manifest.json": pkg({ dxt_version: "0.1", server: { type: "python" } }) }).language).toBe("python");
    const extension = pkg({ manifest_version: 3, name: "Tab Saver", background: { service_worker: "sw.js" }, permissions: ["tabs"] });
    const pwa = pkg({ name: "App", short_name: "App", start_url: "/", display: "standalone" });
    expect(detectServers(snap({ "manifest.json": extension, "public/manifest.json": pwa }))).toEqual([]);
    expect(detectServers(snap({ "manifest.json": pkg({ manifest_version: 3, server: "https://example.com" }) }))).toEqual([]);
  });

  it("merges all signals of one folder into one server", () => {
    const server = only({
      "package.json": pkg({ name: "combo", dependencies: { "@modelcontextprotocol/sdk": "1", fastmcp: "3" } }),
      "smithery.yaml": "runtime: typescript\n",
      "server.json": pkg({ $schema: "https://static.modelcontextprotocol.io/schemas/2025-09-29/server.schema.json", name: "io.github.x/combo" }),
      "index.js": "",
    });
    expect(server.name).toBe("combo");
    expect(server.language).toBe("javascript");
    expect(server.frameworks).toEqual(["@modelcontextprotocol/sdk", "fastmcp"]);
    expect(server.evidence).toHaveLength(3);
  });
});

describe("detectServers: monorepos", () => {
  const monorepo = {
    "package.json": pkg({ name: "acme-mcp", private: true, workspaces: ["packages/*"], devDependencies: { "@modelcontextprotocol/sdk": "1", typescript: "5" } }),
    "packages/github/package.json": pkg({ name: "@acme/mcp-github", dependencies: { "@modelcontextprotocol/sdk": "1" } }),
    "packages/github/src/index.ts": "",
    "packages/shared/package.json": pkg({ name: "@acme/shared", dependencies: { zod: "3" } }),
    "python/slack/pyproject.toml": '[project]\nname = "acme-slack"\ndependencies = ["fastmcp>=2"]\n',
    "go/jira/go.mod": "module github.com/acme/jira\nrequire github.com/mark3labs/mcp-go v0.30.0\n",
  };

  it("finds every server, sorted by root, and not the workspace root that hoists the SDK", () => {
    const servers = detectServers(snap(monorepo));
    expect(servers.map((s) => [s.root, s.name, s.language])).toEqual([
      ["go/jira", "github.com/acme/jira", "go"],
      ["packages/github", "@acme/mcp-github", "typescript"],
      ["python/slack", "acme-slack", "python"],
    ]);
  });

  it("does not treat a workspace root without an MCP dependency as a server", () => {
    const files = {
      "pnpm-workspace.yaml": "packages:\n  - servers/*\n",
      "package.json": pkg({ name: "root", private: true }),
      "servers/a/package.json": pkg({ name: "a", dependencies: { "@modelcontextprotocol/sdk": "1" } }),
    };
    expect(detectServers(snap(files)).map((s) => s.root)).toEqual(["servers/a"]);
  });

  it("keeps a workspace root that is a server when nothing below it is", () => {
    const servers = detectServers(
      snap({
        "package.json": pkg({ name: "root-server", workspaces: ["tools/*"], dependencies: { "@modelcontextprotocol/sdk": "1" } }),
        "tools/lint/package.json": pkg({ name: "lint" }),
      }),
    );
    expect(servers.map((s) => s.root)).toEqual(["."]);
  });

  it("maps a path to the deepest server containing it, else '.'", () => {
    const servers = detectServers(snap(monorepo));
    expect(serverForPath(servers, "packages/github/src/index.ts")).toBe("packages/github");
    expect(serverForPath(servers, "packages/github")).toBe("packages/github");
    expect(serverForPath(servers, "packages/github-extra/x.ts")).toBe(".");
    expect(serverForPath(servers, "README.md")).toBe(".");
    const nested: McpServer[] = [
      { root: ".", name: "r", language: "go", frameworks: [], evidence: [] },
      { root: "a", name: "a", language: "go", frameworks: [], evidence: [] },
      { root: "a/b", name: "b", language: "go", frameworks: [], evidence: [] },
    ];
    expect(serverForPath(nested, "a/b/c.go")).toBe("a/b");
    expect(serverForPath(nested, "a/c.go")).toBe("a");
    expect(serverForPath([], "x")).toBe(".");
  });
});

describe("detectServers on fixture servers", () => {
  const fixtures = join(dirname(fileURLToPath(import.meta.url)), "../fixtures/detect");

  it("detects the TypeScript and Python fixtures from a directory snapshot", async () => {
    const servers = detectServers(await snapshotFromDirectory(fixtures));
    expect(servers).toEqual([
      {
        root: "py-notes",
        name: "notes-mcp-server",
        language: "python",
        frameworks: ["mcp"],
        evidence: ["py-notes/pyproject.toml depends on mcp[cli]>=1.9.0 ([project].dependencies)"],
      },
      {
        root: "ts-weather",
        name: "@acme/weather-mcp",
        language: "typescript",
        frameworks: ["@modelcontextprotocol/sdk"],
        evidence: ["ts-weather/package.json depends on @modelcontextprotocol/sdk"],
      },
    ]);
  });

  it("is empty for a repository with no MCP server", () => {
    expect(detectServers(snap({ "README.md": "# hi", "main.py": "print(1)" }))).toEqual([]);
  });
});

describe("detectServers on hostile input", () => {
  it("does not throw on deeply nested or huge manifests", () => {
    const deep = 200_000;
    const files = {
      "a/smithery.yaml": "[".repeat(deep),
      "b/pyproject.toml": `x = ${"[".repeat(deep)}`,
      "c/package.json": `${'{"a":'.repeat(deep)}1${"}".repeat(deep)}`,
      "d/manifest.json": "[".repeat(deep),
      "e/go.mod": "require (\n" + "github.com/x/y v1\n".repeat(50_000),
      "f/requirements.txt": "\\\n".repeat(50_000) + "mcp",
      "g/server.json": "\u0000\uFFFF".repeat(1000),
    };
    let servers: ReturnType<typeof detectServers> = [];
    expect(() => (servers = detectServers(snap(files)))).not.toThrow();
    expect(servers.map((s) => s.root)).toEqual(["f"]);
  });
});

describe("hostile requirements.txt", () => {
  test("a line of whitespace without an option is read in linear time", () => {
    const start = Date.now();
    const servers = detectServers(snap({ "requirements.txt": `fastmcp==2.10.1\nhttpx${" \t".repeat(100_000)}x\n`, "server.py": "from fastmcp import FastMCP\n" }));
    expect(Date.now() - start).toBeLessThan(5000);
    expect(servers.map((s) => s.root)).toEqual(["."]);
  });
});
