import { parseTree, type Node } from "jsonc-parser";
import type { McpServer } from "../detect/types.js";
import { LineIndex } from "../line-index.js";
import type { RepoSnapshot } from "../snapshot/types.js";
import { envIndexSetting, isDockerfilePath, parseDockerfile, type DockerfileFacts } from "./dockerfile.js";
import { readIndexSettings, settingsKind } from "./supply-chain-registries.js";
import { findRemoteExecs, MAX_SHELL_TEXT } from "./supply-chain-shell.js";
import type { IndexSetting, InstallHook, RemoteExecSite, SupplyChainProblem } from "./supply-chain-types.js";

export type { IndexSetting, InstallHook, RemoteExecSite, SupplyChainProblem } from "./supply-chain-types.js";
export type { DockerfileFacts } from "./dockerfile.js";

/** Dockerfiles, package scripts and registry settings of the servers, parsed once per scan. */
export interface SupplyChainFacts {
  dockerfiles: DockerfileFacts[];
  /** Downloads run by an interpreter: Dockerfile RUN, package.json scripts, shell scripts. */
  remoteExecs: RemoteExecSite[];
  /** preinstall/install/postinstall scripts of the server packages. */
  installHooks: InstallHook[];
  /** Package-index and registry settings (pip, uv, poetry, npm, yarn), including Dockerfile RUN/ENV. */
  indexSettings: IndexSetting[];
  /** Files that could not be read. */
  problems: SupplyChainProblem[];
}

/** Fixtures and dev containers are not how the server is built or installed. */
const IGNORED = /(^|\/)(\.devcontainer|fixtures?|__fixtures__|testdata|node_modules|vendor)\//i;
const SHELL_SCRIPT = /\.(sh|bash|zsh)$/i;
const INSTALL_HOOKS = ["preinstall", "install", "postinstall"];
const MAX_PACKAGE_JSON = 512 * 1024;

function dirOf(path: string): string {
  return path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";
}

/**
 * Files inside a server's folder, and files at the repository root (a root Dockerfile or .npmrc
 * builds the servers of a monorepo). Without detected servers (unit tests) every file counts.
 */
export function inSupplyChainScope(path: string, servers: McpServer[]): boolean {
  if (IGNORED.test(path)) return false;
  if (servers.length === 0) return true;
  const dir = dirOf(path);
  return dir === "" || servers.some((s) => s.root === "." || s.root === "" || dir === s.root || dir.startsWith(`${s.root}/`));
}

function isServerPackageJson(path: string, servers: McpServer[]): boolean {
  if (servers.length === 0) return true;
  const dir = dirOf(path);
  return servers.some((s) => (s.root === "." || s.root === "" ? dir === "" : dir === s.root));
}

function property(node: Node | undefined, key: string): Node | undefined {
  if (node?.type !== "object") return undefined;
  return node.children?.find((p) => p.children?.[0]?.value === key)?.children?.[1];
}

function packageJson(path: string, text: string, serverPackage: boolean, out: SupplyChainFacts): void {
  if (text.length > MAX_PACKAGE_JSON) return;
  let root: Node | undefined;
  try {
    root = parseTree(text, [], { allowTrailingComma: true });
  } catch {
    return; // package.json syntax is reported by the dependency reader
  }
  const scripts = property(root, "scripts");
  if (scripts?.type !== "object") return;
  const index = new LineIndex(text);
  const name = property(root, "name")?.value;
  const isPrivate = property(root, "private")?.value === true;
  for (const prop of (scripts.children ?? []).slice(0, 500)) {
    const [key, value] = prop.children ?? [];
    if (typeof key?.value !== "string" || typeof value?.value !== "string") continue;
    const line = index.lineAt(prop.offset);
    const hook = INSTALL_HOOKS.includes(key.value);
    // npm runs these on every machine that installs the published package; a private package is never installed that way.
    if (hook && serverPackage && !isPrivate) {
      out.installHooks.push({ path, line, name: key.value, command: value.value, ...(typeof name === "string" ? { packageName: name } : {}) });
    }
    for (const exec of findRemoteExecs(value.value)) {
      out.remoteExecs.push({ ...exec, path, line, endLine: line, where: `package.json script "${key.value}"`, script: key.value });
    }
  }
}

function shellScript(path: string, text: string, out: SupplyChainFacts): void {
  if (text.includes("\u0000")) return;
  if (text.length > MAX_SHELL_TEXT) {
    out.problems.push({ path, line: 1, column: 1, message: `larger than ${MAX_SHELL_TEXT / 1024} KiB; only the start was read` });
  }
  const index = new LineIndex(text);
  for (const exec of findRemoteExecs(text)) {
    const line = index.lineAt(exec.offset);
    out.remoteExecs.push({ ...exec, path, line, endLine: line, where: "shell script" });
  }
}

function dockerfile(path: string, text: string, out: SupplyChainFacts): void {
  const facts = parseDockerfile(path, text);
  out.dockerfiles.push(facts);
  if (facts.problem) out.problems.push({ path, ...facts.problem });
  for (const run of facts.runs) {
    for (const exec of run.remoteExecs) out.remoteExecs.push({ ...exec, path, line: run.line, endLine: run.endLine, where: "Dockerfile RUN" });
    for (const o of run.indexOptions) {
      out.indexSettings.push({ path, line: run.line, ...o, source: "Dockerfile RUN", snippet: clip(run.script) });
    }
  }
  for (const env of facts.envs) {
    const setting = env.keyword === "ENV" ? envIndexSetting(env.name, env.value) : undefined;
    if (setting) out.indexSettings.push({ path, line: env.line, ...setting, source: "Dockerfile ENV", snippet: clip(`ENV ${env.name}=${env.value}`) });
  }
}

function clip(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

export function readSupplyChainFacts(snapshot: RepoSnapshot, servers: McpServer[]): SupplyChainFacts {
  const out: SupplyChainFacts = { dockerfiles: [], remoteExecs: [], installHooks: [], indexSettings: [], problems: [] };
  for (const path of [...snapshot.files.keys()].sort()) {
    if (!inSupplyChainScope(path, servers)) continue;
    const base = path.split("/").pop() ?? path;
    const isDocker = isDockerfilePath(path);
    const isSettings = settingsKind(path) !== undefined;
    const isShell = SHELL_SCRIPT.test(base);
    const isPackage = base === "package.json";
    if (!isDocker && !isSettings && !isShell && !isPackage) continue;
    const text = snapshot.files.get(path);
    if (text === undefined) continue;
    try {
      if (isDocker) dockerfile(path, text, out);
      else if (isPackage) packageJson(path, text, isServerPackageJson(path, servers), out);
      else if (isShell) shellScript(path, text, out);
      else out.indexSettings.push(...readIndexSettings(path, text, out.problems));
    } catch (err) {
      // A reader bug must cost one file, not the scan.
      out.problems.push({ path, line: 1, column: 1, message: `could not be read: ${clip(String((err as Error)?.message ?? err), 160)}` });
    }
  }
  return out;
}
