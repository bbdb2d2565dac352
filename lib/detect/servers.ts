import type { RepoSnapshot } from "../snapshot/types.js";
import type { McpServer, ServerLanguage } from "./types.js";
import { readGoMod } from "./go.js";
import { dominantLanguage, isUnder, nodeLanguage } from "./language.js";
import { readBundleManifest, readServerJson, readSmitheryYaml } from "./manifests.js";
import { readPackageJson } from "./node.js";
import { isRequirementsFile, readPipfile, readPyproject, readRequirements, readSetupCfg, requirementsRoot } from "./python.js";
import type { FolderFacts, ServerSignal } from "./signals.js";
import { baseName, folderOf } from "./signals.js";

type Reader = (path: string, text: string) => { signal?: ServerSignal; facts?: FolderFacts } | ServerSignal | undefined;

type BuildEcosystem = "node" | "python" | "go";

interface FolderInfo extends FolderFacts {
  /** Ecosystems whose build manifest (package.json, pyproject.toml, go.mod...) the folder has. */
  ecosystems: Set<BuildEcosystem>;
}

interface FileReader {
  read: Reader;
  /** Set for build manifests: the ecosystem the file shows the folder belongs to. */
  ecosystem?: BuildEcosystem;
}

const READERS: ReadonlyMap<string, FileReader> = new Map<string, FileReader>([
  ["package.json", { read: readPackageJson, ecosystem: "node" }],
  ["pyproject.toml", { read: readPyproject, ecosystem: "python" }],
  ["Pipfile", { read: readPipfile, ecosystem: "python" }],
  ["setup.cfg", { read: readSetupCfg, ecosystem: "python" }],
  ["go.mod", { read: readGoMod, ecosystem: "go" }],
  ["server.json", { read: readServerJson }],
  ["smithery.yaml", { read: readSmitheryYaml }],
  ["smithery.yml", { read: readSmitheryYaml }],
  ["manifest.json", { read: readBundleManifest }],
]);

const REQUIREMENTS_READER: FileReader = { read: readRequirements, ecosystem: "python" };

/** Files whose presence makes their folder a workspace (monorepo) root. */
const WORKSPACE_FILES = new Set(["pnpm-workspace.yaml", "lerna.json"]);

/**
 * Every MCP server in the snapshot, sorted by root. A folder is a server when one of its
 * manifests depends on a server SDK or framework (see known-packages.ts), or when it carries
 * an MCP server manifest (registry server.json, smithery.yaml, MCPB manifest.json).
 *
 * A workspace root is not a server just because the SDK is hoisted into its package.json: when
 * servers are found below it, only they count. Detection never throws: a file that does not
 * parse is simply not a signal.
 */
export function detectServers(snapshot: RepoSnapshot): McpServer[] {
  const signals: ServerSignal[] = [];
  const folders = new Map<string, FolderInfo>();
  const folder = (root: string): FolderInfo => {
    let info = folders.get(root);
    if (!info) folders.set(root, (info = { ecosystems: new Set() }));
    return info;
  };

  for (const [path, text] of snapshot.files) {
    const name = baseName(path);
    if (WORKSPACE_FILES.has(name)) folder(folderOf(path)).workspaceRoot = true;
    const reader = READERS.get(name) ?? (isRequirementsFile(path) ? REQUIREMENTS_READER : undefined);
    if (!reader) continue;
    let result: ReturnType<Reader>;
    try {
      result = reader.read(path, text);
    } catch {
      continue; // best effort: an unexpected parser failure only loses this signal
    }
    if (!result) continue;
    const signal = "ecosystem" in result ? result : result.signal;
    const facts = "ecosystem" in result ? undefined : result.facts;
    if (reader.ecosystem) {
      const info = folder(reader === REQUIREMENTS_READER ? requirementsRoot(path) : folderOf(path));
      info.ecosystems.add(reader.ecosystem);
      mergeFacts(info, facts);
    }
    if (signal) signals.push(signal);
  }

  const byRoot = new Map<string, ServerSignal[]>();
  for (const signal of signals) {
    const list = byRoot.get(signal.root) ?? [];
    list.push(signal);
    byRoot.set(signal.root, list);
  }

  const roots = [...byRoot.keys()];
  for (const root of roots) {
    if (!folders.get(root)?.workspaceRoot) continue;
    const hasServerBelow = roots.some((other) => other !== root && isUnder(root, other));
    if (!hasServerBelow) continue;
    const remaining = (byRoot.get(root) ?? []).filter((signal) => signal.ecosystem !== "node");
    if (remaining.length === 0) byRoot.delete(root);
    else byRoot.set(root, remaining);
  }

  const paths = [...snapshot.files.keys()];
  const servers = [...byRoot.entries()].map(([root, list]) => buildServer(root, list, folders.get(root) ?? { ecosystems: new Set() }, paths));
  return servers.sort((a, b) => compareRoots(a.root, b.root));
}

function mergeFacts(into: FolderInfo, facts: FolderFacts | undefined): void {
  if (!facts) return;
  into.packageName ??= facts.packageName;
  into.pythonName ??= facts.pythonName;
  into.goModule ??= facts.goModule;
  if (facts.workspaceRoot) into.workspaceRoot = true;
}

const ECOSYSTEM_ORDER = ["node", "python", "go", "manifest"] as const;

function buildServer(root: string, signals: ServerSignal[], info: FolderInfo, paths: string[]): McpServer {
  const ordered = [...signals].sort(
    (a, b) => ECOSYSTEM_ORDER.indexOf(a.ecosystem) - ECOSYSTEM_ORDER.indexOf(b.ecosystem),
  );
  const primary = ordered[0] as ServerSignal;
  const frameworks: string[] = [];
  const evidence: string[] = [];
  for (const signal of ordered) {
    for (const framework of signal.frameworks) if (!frameworks.includes(framework)) frameworks.push(framework);
    for (const reason of signal.evidence) if (!evidence.includes(reason)) evidence.push(reason);
  }
  const manifestName = ordered.find((signal) => signal.name !== undefined)?.name;
  const byEcosystem: Record<string, Array<string | undefined>> = {
    node: [info.packageName, info.pythonName, info.goModule],
    python: [info.pythonName, info.packageName, info.goModule],
    go: [info.goModule, info.packageName, info.pythonName],
    manifest: [info.packageName, info.pythonName, info.goModule],
  };
  const name =
    byEcosystem[primary.ecosystem]?.find((candidate) => candidate !== undefined) ??
    manifestName ??
    (root === "." ? "." : baseName(root));
  return { root, name, language: languageFor(root, primary, ordered, info, paths), frameworks, evidence };
}

function languageFor(
  root: string,
  primary: ServerSignal,
  signals: ServerSignal[],
  info: FolderInfo,
  paths: string[],
): ServerLanguage {
  if (primary.ecosystem === "node") return nodeLanguage(paths, root);
  if (primary.ecosystem === "python") return "python";
  if (primary.ecosystem === "go") return "go";
  // Only manifests: the folder's own build files, then the manifest's hint, then the sources.
  if (info.ecosystems.has("node")) return nodeLanguage(paths, root);
  if (info.ecosystems.has("python")) return "python";
  if (info.ecosystems.has("go")) return "go";
  const hint = signals.find((signal) => signal.language !== undefined)?.language;
  if (hint === "javascript" || hint === "typescript") return nodeLanguage(paths, root);
  if (hint) return hint;
  return dominantLanguage(paths, root);
}

/** "." first, then code-unit order. */
function compareRoots(a: string, b: string): number {
  if (a === b) return 0;
  if (a === ".") return -1;
  if (b === ".") return 1;
  return a < b ? -1 : 1;
}

/**
 * The server a file belongs to: the deepest server root that contains it, else "." (the
 * repository root, which is also a valid server root).
 */
export function serverForPath(servers: readonly McpServer[], path: string): string {
  let best = ".";
  let bestDepth = -1;
  for (const server of servers) {
    if (!isUnder(server.root, path)) continue;
    const depth = server.root === "." ? 0 : server.root.split("/").length;
    if (depth > bestDepth) {
      best = server.root;
      bestDepth = depth;
    }
  }
  return best;
}
