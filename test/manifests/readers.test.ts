import { extractClientConfigs } from "../../lib/extract/client-config.js";
import type { CodexDocument, McpbDocument, ServerJsonDocument, SmitheryDocument } from "../../lib/manifests/registry.js";
import { documentsOf, fixture, snapshotOf } from "./registry-helpers.js";

function only<T>(docs: unknown[]): T {
  expect(docs).toHaveLength(1);
  return docs[0] as T;
}

describe("server.json", () => {
  it("reads packages, remotes, name and the package.json beside it", () => {
    const doc = only<ServerJsonDocument>(documentsOf(fixture("server-json", "valid")));
    expect(doc).toMatchObject({ format: "server.json", path: "server.json", valid: true, problems: [], name: "io.github.acme/weather", nameLine: 3 });
    expect(doc.packages).toEqual([
      expect.objectContaining({ registryType: "npm", identifier: "@acme/weather-mcp", version: "1.4.2", transportType: "stdio", line: 11 }),
      expect.objectContaining({ registryType: "oci", identifier: "ghcr.io/acme/weather-mcp:1.4.2", transportUrl: "http://localhost:8080/mcp" }),
    ]);
    expect(doc.remotes).toEqual([expect.objectContaining({ type: "streamable-http", url: "https://weather.acme.example/mcp" })]);
    expect(doc.packageJson).toEqual({ path: "package.json", name: "@acme/weather-mcp", mcpName: "io.github.acme/weather" });
    expect(doc.tools).toBeUndefined();
  });

  it("reads the older snake_case fields", () => {
    const text = JSON.stringify({ name: "io.github.a/b", packages: [{ registry_name: "npm", name: "@a/b", version: "1.0.0", runtime_hint: "npx" }] });
    const doc = only<ServerJsonDocument>(documentsOf(snapshotOf({ "server.json": text })));
    expect(doc.packages[0]).toMatchObject({ registryType: "npm", identifier: "@a/b", version: "1.0.0", runtimeHint: "npx" });
  });

  it("ignores other programs' server.json, valid or broken", () => {
    expect(documentsOf(snapshotOf({ "config/server.json": '{ "port": 8080, "host": "0.0.0.0" }' }))).toEqual([]);
    expect(documentsOf(snapshotOf({ "server.json": '{ "port": 8080, ' }))).toEqual([]);
  });

  it("keeps reading a document with duplicate keys and records the problem", () => {
    const doc = only<ServerJsonDocument>(documentsOf(fixture("server-json", "hostile", "duplicate-keys")));
    expect(doc.valid).toBe(true);
    expect(doc.packages[0].identifier).toBe("@evil/other-package");
    expect(doc.problems).toEqual([expect.objectContaining({ kind: "duplicate-key", line: 12, snippet: '"identifier": "@evil/other-package"' })]);
  });

  it("reports schema violations at the offending value", () => {
    const doc = only<ServerJsonDocument>(documentsOf(fixture("server-json", "invalid")));
    expect(doc.valid).toBe(false);
    expect(doc.problems).toEqual([expect.objectContaining({ kind: "schema", line: 10 })]);
    expect(doc.problems[0].message).toContain("packages.0.version");
  });
});

describe("smithery.yaml", () => {
  it("reads startCommand and the launch in commandFunction", () => {
    const doc = only<SmitheryDocument>(documentsOf(fixture("smithery", "valid")));
    expect(doc).toMatchObject({ format: "smithery.yaml", valid: true, problems: [], startType: "stdio" });
    expect(doc.launches).toEqual([expect.objectContaining({ label: "startCommand.commandFunction", command: "node", args: ["build/index.js"], line: 15 })]);
  });

  it("points a multi-line launch at its `command` line", () => {
    const doc = only<SmitheryDocument>(documentsOf(fixture("smithery", "unpinned")));
    expect(doc.launches[0]).toMatchObject({ command: "npx", line: 10, endLine: 18 });
  });

  it("reads the runtime form", () => {
    const doc = only<SmitheryDocument>(documentsOf(snapshotOf({ "smithery.yml": 'runtime: "typescript"\nenv:\n  NODE_ENV: production\n' })));
    expect(doc).toMatchObject({ valid: true, runtime: "typescript", launches: [] });
  });

  it("reports a smithery.yaml with neither startCommand nor runtime", () => {
    const doc = only<SmitheryDocument>(documentsOf(snapshotOf({ "smithery.yaml": "name: x\n" })));
    expect(doc.problems).toEqual([expect.objectContaining({ kind: "schema" })]);
  });
});

describe("MCPB manifest.json", () => {
  it("reads server, launches, tools and user_config", () => {
    const doc = only<McpbDocument>(documentsOf(fixture("mcpb", "valid")));
    expect(doc).toMatchObject({ format: "mcpb", valid: true, problems: [], name: "acme-notes", serverType: "node", toolsGenerated: false });
    expect(doc.launches).toEqual([expect.objectContaining({ label: "server.mcp_config", command: "node", args: ["${__dirname}/server/index.js", "${user_config.notes_dir}"] })]);
    expect(doc.tools?.map((t) => t.name)).toEqual(["search_notes", "read_note"]);
    expect(doc.userConfig).toEqual([
      expect.objectContaining({ key: "notes_dir", type: "directory", defaults: ["${HOME}/Documents/Notes"] }),
      expect.objectContaining({ key: "api_key", type: "string", defaults: [] }),
    ]);
  });

  it("reads platform overrides as launches of their own", () => {
    const text = JSON.stringify({
      manifest_version: "0.3", name: "x", version: "1.0.0",
      server: { type: "node", entry_point: "i.js", mcp_config: { command: "node", args: ["i.js"], platform_overrides: { win32: { command: "npx.cmd", args: ["-y", "x-mcp"] } } } },
    }, null, 2);
    const doc = only<McpbDocument>(documentsOf(snapshotOf({ "manifest.json": text })));
    expect(doc.launches.map((l) => [l.label, l.command])).toEqual([["server.mcp_config", "node"], ["server.mcp_config.platform_overrides.win32", "npx.cmd"]]);
  });

  it("ignores web app and browser extension manifests", () => {
    expect(documentsOf(snapshotOf({ "public/manifest.json": '{ "name": "App", "start_url": "/", "display": "standalone" }' }))).toEqual([]);
    expect(documentsOf(snapshotOf({ "ext/manifest.json": '{ "manifest_version": 3, "name": "Ext", "background": { "service_worker": "a.js" } }' }))).toEqual([]);
    expect(documentsOf(snapshotOf({ "ext/manifest.json": '{ "manifest_version": 3, "name": ' }))).toEqual([]);
  });

  it("reads string values of a permissions object", () => {
    const text = JSON.stringify({ dxt_version: "0.1", name: "x", version: "1", server: { type: "binary", entry_point: "x" }, permissions: { filesystem: { read: ["/"] } } });
    const doc = only<McpbDocument>(documentsOf(snapshotOf({ "manifest.json": text })));
    expect(doc.permissionPaths).toEqual([expect.objectContaining({ path: "permissions.filesystem.read.0", value: "/" })]);
  });
});

describe(".codex/config.toml", () => {
  it("reads servers and leaves Codex's other settings alone", () => {
    const doc = only<CodexDocument>(documentsOf(fixture("codex", "valid")));
    expect(doc).toMatchObject({ format: "codex", path: ".codex/config.toml", valid: true, problems: [] });
    expect(doc.servers).toEqual([
      { name: "docs", line: 5 },
      { name: "remote", url: "https://mcp.acme.example/mcp", line: 12 },
    ]);
  });

  it("becomes client-config facts so the launch and secrets rules read it", () => {
    const [file] = extractClientConfigs(fixture("codex", "valid"));
    expect(file.path).toBe(".codex/config.toml");
    expect(file.error).toBeUndefined();
    expect(file.servers[0]).toMatchObject({
      name: "docs",
      command: "npx",
      args: ["-y", "@acme/docs-mcp@2.1.0"],
      env: { DOCS_TOKEN_FILE: "~/.config/acme/token" },
      envLines: { DOCS_TOKEN_FILE: 9 },
      span: { path: ".codex/config.toml", line: 4, endLine: 9 },
    });
    expect(file.servers[1]).toMatchObject({ name: "remote", url: "https://mcp.acme.example/mcp", type: "http", args: [] });
  });

  it("keeps the valid servers of a file with an invalid one", () => {
    const doc = only<CodexDocument>(documentsOf(fixture("codex", "invalid")));
    expect(doc.valid).toBe(false);
    expect(doc.servers.map((s) => s.name)).toEqual(["good"]);
    expect(doc.problems.map((p) => [p.kind, p.line])).toEqual([["schema", 1], ["schema", 10]]);
    expect(extractClientConfigs(fixture("codex", "invalid"))[0].servers.map((s) => s.name)).toEqual(["good"]);
  });

  it("gives no client-config facts for an unreadable file (MCPW-MANIFEST-001 reports it)", () => {
    expect(extractClientConfigs(fixture("codex", "broken"))).toEqual([]);
  });

  it("only reads config.toml inside a .codex folder", () => {
    expect(documentsOf(snapshotOf({ "config.toml": '[mcp_servers.x]\ncommand = "npx"\n' }))).toEqual([]);
    expect(documentsOf(snapshotOf({ "tools/.codex/config.toml": '[mcp_servers.x]\ncommand = "node"\n' }))).toHaveLength(1);
  });
});
