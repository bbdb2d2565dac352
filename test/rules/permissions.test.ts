import { join } from "node:path";
import { broadPath, CONTAINER_RULE, FILESYSTEM_RULE, isFilesystemServer, permissions, ROOT_USER_RULE } from "../../lib/rules/permissions.js";
import { CATEGORIES } from "../../lib/model.js";
import { FIXTURES, contextOf, snapshotOf, snapshotOfDir } from "../extract/client-config-helpers.js";

function launch(command: string, args: string[]) {
  const text = JSON.stringify({ mcpServers: { srv: { command, args } } }, null, 2);
  return permissions.run(contextOf(snapshotOf({ ".mcp.json": text })));
}

function dockerfile(text: string, path = "Dockerfile") {
  return permissions.run(contextOf(snapshotOf({ [path]: text })));
}

const FS = "@modelcontextprotocol/server-filesystem@2025.1.14";

describe("MCPW-PERM-001 filesystem servers", () => {
  const positives: [string, string, string[], string][] = [
    ["root", "npx", ["-y", FS, "/"], "high"],
    ["home ~", "npx", ["-y", FS, "~"], "medium"],
    ["$HOME", "npx", ["-y", FS, "/Users/me/projects", "$HOME"], "medium"],
    ["%USERPROFILE%", "npx", ["-y", FS, "%USERPROFILE%"], "medium"],
    ["${userHome}", "npx", ["-y", FS, "${userHome}"], "medium"],
    ["C:\\", "npx", ["-y", FS, "C:\\"], "high"],
    ["D:/", "npx", ["-y", FS, "D:/"], "high"],
    ["/Users (everyone's homes)", "npx", ["-y", FS, "/Users"], "high"],
    ["one user's home", "npx", ["-y", FS, "/home/alice/"], "medium"],
    ["Windows user folder", "npx", ["-y", FS, "C:\\Users\\alice"], "medium"],
    ["unpinned package too", "npx", ["-y", "@modelcontextprotocol/server-filesystem", "/"], "high"],
    ["in a cmd wrapper", "cmd", ["/c", "npx", "-y", FS, "C:\\"], "high"],
    ["python server via uvx", "uvx", ["mcp-server-filesystem==0.1.0", "/"], "high"],
    ["installed binary", "mcp-server-filesystem", ["/"], "high"],
    ["flag form", "npx", ["-y", "@acme/filesystem-mcp-server@1.0.0", "--allowed-dir=/"], "high"],
  ];
  test.each(positives)("%s", (_label, command, args, severity) => {
    const findings = launch(command, args);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ ruleId: FILESYSTEM_RULE, category: "excessive-permissions", severity, path: ".mcp.json", line: 3, owasp: ["MCP02"] });
  });

  const negatives: [string, string, string[]][] = [
    ["project folder", "npx", ["-y", FS, "/Users/me/projects/app"]],
    ["below home", "npx", ["-y", FS, "~/projects/app", "$HOME/Documents/notes"]],
    ["workspace variable", "npx", ["-y", FS, "${workspaceFolder}"]],
    ["relative", "npx", ["-y", FS, "./data", "."]],
    ["a folder on a drive", "npx", ["-y", FS, "C:\\work\\repo"]],
    ["not a filesystem server", "npx", ["-y", "@modelcontextprotocol/server-git@1.0.0", "--repository", "/"]],
    ["node script", "node", ["/"]],
  ];
  test.each(negatives)("not: %s", (_label, command, args) => {
    expect(launch(command, args)).toEqual([]);
  });

  test("classifiers", () => {
    expect(broadPath("/")).toBe("root");
    expect(broadPath("'~/'")).toBe("home");
    expect(broadPath("/root")).toBe("home");
    expect(broadPath("/srv/data")).toBeUndefined();
    const start = Date.now();
    expect(broadPath(`${"/".repeat(100_000)}x`)).toBeUndefined();
    expect(isFilesystemServer(`mcp-server-x${"==a".repeat(50_000)}\n!`)).toBe(false);
    expect(Date.now() - start).toBeLessThan(5000);
    expect(isFilesystemServer("@modelcontextprotocol/server-filesystem")).toBe(true);
    expect(isFilesystemServer("mcp-filesystem-server")).toBe(true);
    expect(isFilesystemServer("fs-extra")).toBe(false);
    expect(isFilesystemServer("filesystem-utils")).toBe(false);
  });
});

describe("MCPW-PERM-002 containers", () => {
  const positives: [string, string[], string, string][] = [
    ["--privileged", ["run", "-i", "--rm", "--privileged", "mcp/x:1.0"], "high", "privileged"],
    ["--cap-add SYS_ADMIN", ["run", "--cap-add", "SYS_ADMIN", "mcp/x:1.0"], "high", "cap:SYS_ADMIN"],
    ["--cap-add=ALL", ["run", "--cap-add=ALL", "mcp/x:1.0"], "high", "cap:ALL"],
    ["-v /:/host", ["run", "-v", "/:/host:ro", "mcp/x:1.0"], "high", "mount:/"],
    ["docker socket", ["run", "-v", "/var/run/docker.sock:/var/run/docker.sock", "mcp/x:1.0"], "high", "docker.sock"],
    ["--mount socket", ["run", "--mount", "type=bind,src=/var/run/docker.sock,dst=/var/run/docker.sock", "mcp/x:1.0"], "high", "docker.sock"],
    ["home mount", ["run", "-v", "$HOME:/home/me", "mcp/x:1.0"], "medium", "mount:$HOME"],
    ["--network host", ["run", "--network", "host", "mcp/x:1.0"], "medium", "network:host"],
    ["--net=host", ["run", "--net=host", "mcp/x:1.0"], "medium", "network:host"],
    ["--pid host", ["run", "--pid=host", "mcp/x:1.0"], "medium", "pid:host"],
    ["combined short flags", ["run", "-itv", "/:/host", "mcp/x:1.0"], "high", "mount:/"],
    ["podman, container run", ["container", "run", "--privileged", "mcp/x:1.0"], "high", "privileged"],
  ];
  test.each(positives)("%s", (_label, args, severity, id) => {
    const findings = launch("docker", args).filter((f) => f.ruleId === CONTAINER_RULE);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity, key: `.mcp.json#srv#${id}`, category: "excessive-permissions" });
  });

  const negatives: [string, string[]][] = [
    ["project mount", ["run", "-i", "--rm", "-v", "./data:/data", "mcp/x:1.0"]],
    ["named volume", ["run", "-v", "mcp-data:/data", "mcp/x:1.0"]],
    ["anonymous volume", ["run", "-v", "/data", "mcp/x:1.0"]],
    ["other capability", ["run", "--cap-add", "NET_BIND_SERVICE", "mcp/x:1.0"]],
    ["bridge network", ["run", "--network", "bridge", "mcp/x:1.0"]],
    ["image argument after the image", ["run", "mcp/x:1.0", "--privileged"]],
    ["--privileged=false", ["run", "--privileged=false", "mcp/x:1.0"]],
    ["not a run", ["ps", "--privileged"]],
  ];
  test.each(negatives)("not: %s", (_label, args) => {
    expect(launch("docker", args)).toEqual([]);
  });
});

describe("MCPW-PERM-003 Dockerfiles running as root", () => {
  test("no USER, or last USER root/0, in the final stage", () => {
    expect(dockerfile("FROM node:20.11\nCOPY . .\nCMD [\"node\", \"index.js\"]\n").map((f) => `${f.ruleId} ${f.severity} ${f.line}`)).toEqual([`${ROOT_USER_RULE} low 1`]);
    expect(dockerfile("FROM node:20.11\nUSER node\nRUN x\nUSER root\n").map((f) => f.line)).toEqual([4]);
    expect(dockerfile("FROM node:20.11\nUSER 0:0\n")).toHaveLength(1);
    // Multi-stage: the build stage's USER does not carry into a fresh FROM.
    expect(dockerfile("FROM node:20.11 AS build\nUSER node\nFROM node:20.11-slim\nCOPY --from=build /app /app\n").map((f) => f.line)).toEqual([3]);
  });

  test("negatives", () => {
    expect(dockerfile("FROM node:20.11\nUSER node\n")).toEqual([]);
    expect(dockerfile("FROM node:20.11 AS build\nUSER root\nRUN x\nFROM node:20.11-slim\nUSER 1000\n")).toEqual([]);
    expect(dockerfile("FROM node:20.11 AS base\nUSER node\nFROM base AS final\nCMD x\n")).toEqual([]);
    expect(dockerfile("FROM gcr.io/distroless/nodejs20-debian12:nonroot\nCOPY . /app\n")).toEqual([]);
    expect(dockerfile("FROM cgr.dev/chainguard/node:latest-nonroot\n")).toEqual([]);
    expect(dockerfile("FROM debian:12\nENTRYPOINT [\"gosu\", \"app\", \"/start\"]\n")).toEqual([]);
    expect(dockerfile("FROM node:20.11\nUSER ${APP_USER}\n")).toEqual([]);
    expect(dockerfile("ARG BASE\nFROM $BASE\n")).toEqual([]);
    expect(dockerfile("FROM node:20.11\n", ".devcontainer/Dockerfile")).toEqual([]);
    expect(dockerfile("FROM node:20.11\n", "test/fixtures/x/Dockerfile")).toEqual([]);
  });
});

describe("the fixtures and documentation", () => {
  test("risky and safe servers", () => {
    const risky = permissions.run(contextOf(snapshotOfDir(join(FIXTURES, "supply-chain", "risky"))));
    expect(risky.map((f) => `${f.ruleId} ${f.severity} ${f.path}:${f.line} ${f.key}`).sort()).toEqual([
      `${FILESYSTEM_RULE} high .mcp.json:11 .mcp.json#files#fs:/`,
      `${FILESYSTEM_RULE} medium .mcp.json:15 .mcp.json#home#fs:~`,
      `${CONTAINER_RULE} high .mcp.json:19 .mcp.json#container#docker.sock`,
      `${CONTAINER_RULE} high .mcp.json:19 .mcp.json#container#privileged`,
      `${CONTAINER_RULE} medium .mcp.json:19 .mcp.json#container#network:host`,
      `${ROOT_USER_RULE} low Dockerfile:16 Dockerfile#root-user`,
    ]);
    expect(permissions.run(contextOf(snapshotOfDir(join(FIXTURES, "supply-chain", "safe"))))).toEqual([]);
  });

  test("every rule id is documented with every field", () => {
    for (const rule of permissions.rules) {
      for (const field of ["title", "category", "severity", "looksFor", "ignores", "remediation"] as const) expect(rule[field]).toBeTruthy();
      expect(CATEGORIES).toContain(rule.category);
    }
  });
});
