import type { ClientConfigFile, ClientConfigServer } from "../extract/client-config.js";
import type { DockerfileFacts, DockerStage } from "../manifests/dockerfile.js";
import type { RawFinding, Severity } from "../model.js";
import { analyseContainerLaunch, analyseLaunch, type ContainerLaunch } from "./launch-command.js";
import type { RuleContext, RuleFamily } from "./types.js";

export const FILESYSTEM_RULE = "MCPW-PERM-001";
export const CONTAINER_RULE = "MCPW-PERM-002";
export const ROOT_USER_RULE = "MCPW-PERM-003";

function clip(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

function evidenceOf(server: ClientConfigServer): string {
  const args = `[${server.args.map((a) => JSON.stringify(a)).join(", ")}]`;
  return clip(`"${server.name}": {${server.command !== undefined ? ` "command": ${JSON.stringify(server.command)},` : ""} "args": ${args} }`);
}

// ---------- broad host paths ----------

export type BroadPath = "root" | "drive" | "all-homes" | "home";

/**
 * Paths that hand over the whole machine or a whole home directory: `/`, `C:\`, `~`, `$HOME`,
 * `%USERPROFILE%`, `${userHome}`, `/home`, `/Users/alice`. A project folder inside them is fine.
 */
export function broadPath(raw: string): BroadPath | undefined {
  const p = raw.trim().replace(/^["']|["']$/g, "");
  if (p === "") return undefined;
  if (/^\/+$/.test(p) || /^\/+\*$/.test(p)) return "root";
  if (/^[A-Za-z]:([\\/]+\*?)?$/.test(p) || /^\\\\\?\\[A-Za-z]:\\?$/.test(p)) return "drive";
  const trimmed = p.replace(/(?<![\\/])[\\/]+$/, "");
  if (/^(~|\$HOME|\$\{HOME\}|%USERPROFILE%|%HOMEDRIVE%%HOMEPATH%|\$env:USERPROFILE|\$env:HOME|\$\{env:HOME\}|\$\{env:USERPROFILE\}|\$\{userHome\})$/i.test(trimmed)) return "home";
  if (/^(\/home|\/Users|[A-Za-z]:[\\/]Users)$/i.test(trimmed)) return "all-homes";
  if (/^(\/home\/[^/\\]+|\/Users\/[^/\\]+|\/root|[A-Za-z]:[\\/]Users[\\/][^/\\]+)$/i.test(trimmed)) return "home";
  return undefined;
}

function describe(kind: BroadPath): string {
  switch (kind) {
    case "root":
      return "the whole filesystem";
    case "drive":
      return "a whole drive";
    case "all-homes":
      return "every user's home directory";
    case "home":
      return "a whole home directory (SSH keys, cloud credentials, browser profiles)";
  }
}

/** `@modelcontextprotocol/server-filesystem`, `mcp-server-filesystem`, `@x/filesystem-mcp-server`, `mcp-filesystem-server`. */
export function isFilesystemServer(name: string): boolean {
  const base = name.toLowerCase().replace(/@[^/]*$/, "").replace(/==[^]*$/, "");
  return /filesystem|(^|[/_-])fs([_-]|$)/.test(base) && /(mcp|server|@modelcontextprotocol)/.test(base);
}

function filesystemFindings(file: ClientConfigFile): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const server of file.servers) {
    if (server.command === undefined && server.args.length === 0) continue;
    const { tokens, packages } = analyseLaunch(server.command, server.args);
    const main = packages.find((p) => p.role === "main" && isFilesystemServer(p.name));
    // A filesystem server run from a local or global install: `mcp-server-filesystem /`.
    const start = main ? main.tokenIndex + 1 : tokens.length > 0 && isFilesystemServer(tokens[0].split(/[\\/]/).pop() ?? "") ? 1 : -1;
    if (start < 0) continue;
    const name = main?.name ?? tokens[0];
    const seen = new Set<string>();
    for (const arg of tokens.slice(start)) {
      // `--allowed-dir=/` style flags carry a directory too.
      const value = arg.startsWith("-") ? (arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : "") : arg;
      const kind = broadPath(value);
      if (!kind || seen.has(value)) continue;
      seen.add(value);
      const severity: Severity = kind === "home" ? "medium" : "high";
      findings.push({
        ruleId: FILESYSTEM_RULE,
        category: "excessive-permissions",
        severity,
        confidence: "high",
        path: file.path,
        line: server.span.line,
        endLine: server.span.endLine,
        message: clip(`MCP server entry "${server.name}" gives the filesystem server "${name}" access to ${describe(kind)} ("${value}"), so any prompt injection that reaches the agent can read or change those files.`, 400),
        evidence: evidenceOf(server),
        remediation: "Allow only the project folders the server needs (e.g. `/Users/me/projects/app` or `${workspaceFolder}`), never `/`, a drive root or a home directory.",
        cwe: ["CWE-250"],
        owasp: ["MCP02"],
        key: `${file.path}#${server.name}#fs:${value}`,
      });
    }
  }
  return findings;
}

// ---------- container privileges ----------

interface ContainerRisk {
  what: string;
  severity: Severity;
  fix: string;
  /** Stable part of the key. */
  id: string;
}

function mountSource(value: string, option: string): string | undefined {
  if (option === "--mount") {
    const parts = value.split(",").map((p) => p.split("="));
    const src = parts.find(([k]) => k === "source" || k === "src")?.[1];
    const type = parts.find(([k]) => k === "type")?.[1];
    return type === undefined || type === "bind" ? src : undefined;
  }
  // -v SRC:DST[:opts]; Windows sources start with a drive letter (C:\data:/data).
  const drive = /^[A-Za-z]:[\\/]/.test(value);
  const rest = drive ? value.slice(2) : value;
  const colon = rest.indexOf(":");
  if (colon < 0) return undefined; // an anonymous volume: no host path
  return (drive ? value.slice(0, 2) : "") + rest.slice(0, colon);
}

function containerRisks(launch: ContainerLaunch): ContainerRisk[] {
  const risks: ContainerRisk[] = [];
  for (const o of launch.options) {
    const value = (o.value ?? "").trim();
    switch (o.name) {
      case "--privileged":
        if (value === "" || value === "true") {
          risks.push({ id: "privileged", what: "`--privileged` (every capability and every host device: root on the host)", severity: "high", fix: "drop `--privileged`" });
        }
        break;
      case "--cap-add":
        for (const cap of value.split(",").map((c) => c.trim().toUpperCase().replace(/^CAP_/, ""))) {
          if (cap === "SYS_ADMIN" || cap === "ALL") {
            risks.push({ id: `cap:${cap}`, what: `\`--cap-add ${cap}\` (enough to escape the container)`, severity: "high", fix: `drop \`--cap-add ${cap}\`` });
          }
        }
        break;
      case "--volume":
      case "--mount": {
        const src = mountSource(value, o.name);
        if (src === undefined) break;
        if (/(^|\/)docker\.sock$|\\\\\.\\pipe\\docker_engine|podman\.sock$/i.test(src)) {
          risks.push({ id: "docker.sock", what: `the Docker socket (\`${src}\`), which controls the host's containers and so the host`, severity: "high", fix: "do not mount the Docker socket" });
          break;
        }
        const kind = broadPath(src);
        if (kind) {
          risks.push({
            id: `mount:${src}`,
            what: `a bind mount of ${describe(kind)} (\`${src}\`)`,
            severity: kind === "home" ? "medium" : "high",
            fix: "mount only the project folder the server needs (e.g. `-v ./data:/data`), read-only where it can be",
          });
        }
        break;
      }
      case "--network":
      case "--net":
        if (value === "host") risks.push({ id: "network:host", what: "`--network host` (the host's network stack, including services bound to localhost)", severity: "medium", fix: "use the default bridge network" });
        break;
      case "--pid":
        if (value === "host") risks.push({ id: "pid:host", what: "`--pid host` (sees and can signal every host process)", severity: "medium", fix: "drop `--pid host`" });
        break;
      default:
        break;
    }
  }
  return risks;
}

function containerFindings(file: ClientConfigFile): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const server of file.servers) {
    if (server.command === undefined && server.args.length === 0) continue;
    const launch = analyseContainerLaunch(server.command, server.args);
    if (!launch) continue;
    for (const risk of containerRisks(launch)) {
      findings.push({
        ruleId: CONTAINER_RULE,
        category: "excessive-permissions",
        severity: risk.severity,
        confidence: "high",
        path: file.path,
        line: server.span.line,
        endLine: server.span.endLine,
        message: clip(`MCP server entry "${server.name}" starts its container with ${risk.what}, so a compromised server is no longer contained.`, 400),
        evidence: evidenceOf(server),
        remediation: `In the \`${launch.engine} run\` args, ${risk.fix}; give the container only what the server needs.`,
        cwe: ["CWE-250"],
        owasp: ["MCP02"],
        key: `${file.path}#${server.name}#${risk.id}`,
      });
    }
  }
  return findings;
}

// ---------- Dockerfiles running as root ----------

function isRootUser(value: string): boolean | undefined {
  const user = value.split(":")[0].trim();
  if (/[$]/.test(user)) return undefined; // from a build argument: unknown
  return user === "root" || user === "0";
}

/** Entrypoints that switch to another user themselves. */
const DROPS_PRIVILEGES = /\b(gosu|su-exec|setpriv|runuser|s6-setuidgid|chpst|setuser|su\s+-)\b/;

/**
 * The user the final stage runs as: its own last USER, else its parent stage's (FROM stage),
 * else the base image's default (distroless/chainguard `:nonroot` images are non-root).
 */
function finalUser(stages: DockerStage[]): { root: boolean; line: number; why: string } | undefined {
  const last = stages[stages.length - 1];
  let stage: DockerStage | undefined = last;
  for (let guard = 0; stage && guard < 50; guard++) {
    if (stage.starts.some((s) => DROPS_PRIVILEGES.test(s))) return undefined;
    const user = stage.users[stage.users.length - 1];
    if (user) {
      const root = isRootUser(user.value);
      if (root === undefined) return undefined;
      return root ? { root, line: user.line, why: `the last USER is \`${user.value}\`` } : { root, line: user.line, why: "" };
    }
    if (stage.parent === undefined) break;
    stage = stages[stage.parent];
  }
  const base = stage?.resolved;
  if (!stage || !base) return undefined; // image from a build argument: unknown default user
  if (/nonroot/i.test(base.tag ?? "") || /nonroot/i.test(base.name)) return undefined;
  return { root: true, line: last.line, why: `no USER instruction switches away from root (base image \`${stage.image}\`)` };
}

function rootFindings(dockerfiles: DockerfileFacts[]): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const file of dockerfiles) {
    if (file.problem || file.stages.length === 0) continue;
    const user = finalUser(file.stages);
    if (!user?.root) continue;
    const last = file.stages[file.stages.length - 1];
    findings.push({
      ruleId: ROOT_USER_RULE,
      category: "excessive-permissions",
      severity: "low",
      confidence: "medium",
      path: file.path,
      line: user.line,
      endLine: user.line,
      message: `The image built by ${file.path} runs the server as root: ${user.why}.`,
      evidence: clip(`FROM ${last.image}${last.alias ? ` AS ${last.alias}` : ""}${last.users.length ? ` … USER ${last.users[last.users.length - 1].value}` : ""}`),
      remediation:
        "Add a non-root user to the final stage and switch to it before CMD/ENTRYPOINT, e.g. `USER node` (official Node images), `RUN useradd -r app` then `USER app`, or use a `:nonroot` distroless base image.",
      cwe: ["CWE-250"],
      owasp: ["MCP02"],
      key: `${file.path}#root-user`,
    });
  }
  return findings;
}

export const permissions: RuleFamily = {
  id: "excessive-permissions",
  rules: [
    {
      id: FILESYSTEM_RULE,
      title: "Filesystem MCP server granted the whole disk or a home directory",
      category: "excessive-permissions",
      severity: "high",
      looksFor:
        "Client-config entries that launch a filesystem server (@modelcontextprotocol/server-filesystem, mcp-server-filesystem and similar) with `/`, a drive root such as `C:\\`, `/home` or `/Users` (high), or one home directory such as `~`, `$HOME`, `%USERPROFILE%`, `${userHome}`, `/Users/alice` (medium).",
      ignores: "Project folders and any path below a home directory (`~/projects/app`, `${workspaceFolder}`, `./data`), and servers that are not filesystem servers.",
      remediation: "Allow only the project folders the server needs, never `/`, a drive root or a home directory.",
    },
    {
      id: CONTAINER_RULE,
      title: "Container MCP server started with host-level privileges",
      category: "excessive-permissions",
      severity: "high",
      looksFor:
        "`docker/podman run` launches in client configs with `--privileged`, `--cap-add SYS_ADMIN` or `ALL`, a bind mount of `/`, a drive or every home directory, or of the Docker socket (high); a bind mount of one home directory, `--network host` or `--pid host` (medium).",
      ignores: "Bind mounts of project folders (`-v ./data:/data`), named and anonymous volumes, other capabilities, and runs named through variables.",
      remediation: "Remove the flag or mount; give the container only the folders and capabilities the server needs.",
    },
    {
      id: ROOT_USER_RULE,
      title: "Dockerfile runs the server as root",
      category: "excessive-permissions",
      severity: "low",
      looksFor:
        "Dockerfiles in a server's folder whose final stage (multi-stage builds: the last FROM, following `FROM <stage>` to its parent) has no USER instruction, or whose last USER is `root` or `0`.",
      ignores:
        "Earlier build stages, `:nonroot` base images (distroless, chainguard), users from build arguments, entrypoints that drop privileges themselves (gosu, su-exec, setpriv), base images named by a build argument without a default, and Dockerfiles under fixtures/testdata/.devcontainer.",
      remediation: "Switch to a non-root user in the final stage before CMD/ENTRYPOINT (`USER node`, `USER app`, or a `:nonroot` base image).",
    },
  ],
  run(ctx: RuleContext): RawFinding[] {
    const files = ctx.facts?.clientConfigs ?? [];
    return [
      ...files.flatMap((file) => [...filesystemFindings(file), ...containerFindings(file)]),
      ...rootFindings(ctx.manifests?.supplyChain?.dockerfiles ?? []),
    ];
  },
};
