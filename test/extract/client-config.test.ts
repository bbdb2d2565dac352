import { join } from "node:path";
import {
  MAX_CLIENT_CONFIG_BYTES,
  extractClientConfigs,
  isClientConfigPath,
  parseClientConfig,
  type ClientConfigFile,
} from "../../lib/extract/client-config.js";
import { FIXTURES, snapshotOf, snapshotOfDir } from "./client-config-helpers.js";

const configs = extractClientConfigs(snapshotOfDir(join(FIXTURES, "client-config")));
const byPath = (path: string): ClientConfigFile => {
  const file = configs.find((c) => c.path === path);
  if (!file) throw new Error(`no config ${path}`);
  return file;
};

describe("extractClientConfigs on every kind of client config", () => {
  test("finds the client configs, sorted, and skips files that are not client configs", () => {
    expect(configs.map((c) => c.path)).toEqual([
      ".claude/settings.json",
      ".cursor/mcp.json",
      ".mcp.json",
      ".vscode/mcp.json",
      ".vscode/settings.json",
      "broken/mcp.json",
      "claude_desktop_config.json",
      "nested/pkg/.mcp.json",
    ]);
  });

  test("Claude Desktop: command, args, env, and the line span of each entry", () => {
    const file = byPath("claude_desktop_config.json");
    expect(file.error).toBeUndefined();
    expect(file.servers.map((s) => s.name)).toEqual(["filesystem", "fetch"]);
    const [fs, fetch] = file.servers;
    expect(fs).toMatchObject({
      command: "npx",
      args: ["-y", "@modelcontextprotocol/server-filesystem", "/Users/me/Desktop"],
      env: {},
      span: { path: "claude_desktop_config.json", line: 3, endLine: 6 },
    });
    // Numbers are stringified; objects in env are dropped.
    expect(fetch.env).toEqual({ LOG_LEVEL: "debug", RETRIES: "3" });
    expect(fetch.envLines).toEqual({ LOG_LEVEL: 10, RETRIES: 10 });
    expect(fetch.span).toEqual({ path: "claude_desktop_config.json", line: 7, endLine: 11 });
  });

  test(".mcp.json: non-string args are kept as text when scalar, dropped otherwise; remote servers keep url/type", () => {
    const file = byPath(".mcp.json");
    expect(file.servers[0]).toMatchObject({ name: "local", command: "node", args: ["build/index.js", "8080", "true"] });
    expect(file.servers[1]).toMatchObject({ name: "remote", type: "http", url: "https://mcp.example.com/mcp", args: [], span: { line: 7, endLine: 7 } });
    expect(file.servers[1].command).toBeUndefined();
  });

  test(".cursor/mcp.json", () => {
    const [github] = byPath(".cursor/mcp.json").servers;
    expect(github.command).toBe("docker");
    expect(github.env).toEqual({ GITHUB_PERSONAL_ACCESS_TOKEN: "${GITHUB_TOKEN}" });
    expect(github.envLines.GITHUB_PERSONAL_ACCESS_TOKEN).toBe(6);
  });

  test(".vscode/mcp.json: top-level servers, comments and trailing commas", () => {
    const file = byPath(".vscode/mcp.json");
    expect(file.error).toBeUndefined();
    expect(file.servers.map((s) => [s.name, s.type, s.span.line, s.span.endLine])).toEqual([
      ["memory", "stdio", 8, 13],
      ["docs", "sse", 14, 14],
    ]);
    expect(file.servers[0].args).toEqual(["-y", "@modelcontextprotocol/server-memory@latest"]);
    expect(file.servers[0].env).toEqual({ TOKEN: "${input:token}" });
  });

  test(".vscode/settings.json: mcp.servers", () => {
    expect(byPath(".vscode/settings.json").servers).toMatchObject([{ name: "time", command: "uvx", args: ["mcp-server-time"], span: { line: 5 } }]);
  });

  test(".claude/settings*.json only when it declares mcpServers", () => {
    expect(byPath(".claude/settings.json").servers.map((s) => s.name)).toEqual(["puppeteer"]);
    expect(configs.some((c) => c.path === ".claude/settings.local.json")).toBe(false);
  });

  test("list-shaped mcpServers with name fields, at any depth", () => {
    expect(byPath("nested/pkg/.mcp.json").servers.map((s) => [s.name, s.command, s.span.line])).toEqual([
      ["listed", "bunx", 3],
      ["#2", "pnpm", 4],
    ]);
  });

  test("a malformed file: error with 1-based line and column, plus what could still be read", () => {
    const file = byPath("broken/mcp.json");
    expect(file.error).toBeDefined();
    expect(file.error!.line).toBeGreaterThanOrEqual(4);
    expect(file.error!.column).toBeGreaterThanOrEqual(1);
    expect(file.error!.message).toMatch(/^invalid JSON: /);
    expect(file.servers[0]).toMatchObject({ name: "ok", command: "npx", args: ["-y", "some-server"] });
  });
});

describe("parseClientConfig edge cases", () => {
  test("recognises the file names", () => {
    for (const p of [".mcp.json", "a/b/mcp.json", ".cursor/mcp.json", ".vscode/mcp.json", "claude_desktop_config.json", ".claude/settings.local.json", ".vscode/settings.json"]) {
      expect(isClientConfigPath(p)).toBe(true);
    }
    for (const p of ["package.json", "settings.json", "src/mcp.ts", "mcp.json.bak", ".claude/commands.json"]) {
      expect(isClientConfigPath(p)).toBe(false);
    }
  });

  test("empty, non-object and servers-less files", () => {
    expect(parseClientConfig(".mcp.json", "")).toBeUndefined();
    expect(parseClientConfig(".mcp.json", "[]")).toBeUndefined();
    expect(parseClientConfig(".mcp.json", '{"mcpServers": {}}')).toEqual({ path: ".mcp.json", servers: [] });
    expect(parseClientConfig(".mcp.json", '{"mcpServers": "npx"}')).toEqual({ path: ".mcp.json", servers: [] });
  });

  test("entries of the wrong shape are skipped, the rest is read", () => {
    const file = parseClientConfig(
      ".mcp.json",
      JSON.stringify({ mcpServers: { a: "npx", b: null, c: [1], d: { command: 5, args: "x", env: [1] }, e: { command: "npx", args: ["pkg"] } } }),
    )!;
    expect(file.servers.map((s) => s.name)).toEqual(["d", "e"]);
    expect(file.servers[0]).toMatchObject({ args: [], env: {} });
    expect(file.servers[0].command).toBeUndefined();
  });

  test("prototype keys do not pollute anything", () => {
    const file = parseClientConfig(".mcp.json", '{"mcpServers": {"__proto__": {"command": "npx", "args": ["x"], "env": {"__proto__": "y", "A": "b"}}}}')!;
    expect(file.servers[0].name).toBe("__proto__");
    expect(file.servers[0].env).toEqual({ A: "b" });
    expect(({} as Record<string, unknown>).command).toBeUndefined();
  });

  test("hostile nesting is refused without a stack overflow", () => {
    const deep = '{"mcpServers": ' + "[".repeat(100_000) + "]".repeat(100_000) + "}";
    const file = parseClientConfig("mcp.json", deep)!;
    expect(file.servers).toEqual([]);
    expect(file.error?.message).toMatch(/nesting/);
  });

  test("binary garbage gives an error, not a crash", () => {
    const garbage = Array.from({ length: 5000 }, (_, i) => String.fromCharCode((i * 7919) % 65536)).join("");
    const file = parseClientConfig(".mcp.json", garbage);
    expect(file?.error).toBeDefined();
  });

  test("files over 256 KiB are skipped", () => {
    const big = JSON.stringify({ mcpServers: { a: { command: "npx", args: ["x"] } }, pad: "x".repeat(MAX_CLIENT_CONFIG_BYTES) });
    expect(extractClientConfigs(snapshotOf({ ".mcp.json": big, "b/.mcp.json": '{"mcpServers": {}}' })).map((c) => c.path)).toEqual(["b/.mcp.json"]);
  });

  test("CRLF line endings keep correct lines", () => {
    const text = '{\r\n  "mcpServers": {\r\n    "a": {\r\n      "command": "npx"\r\n    }\r\n  }\r\n}\r\n';
    expect(parseClientConfig(".mcp.json", text)!.servers[0].span).toEqual({ path: ".mcp.json", line: 3, endLine: 5 });
  });
});
