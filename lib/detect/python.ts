import { parse as parseToml } from "smol-toml";
import { normalisePythonName, PYTHON_SERVER_PACKAGES } from "./known-packages.js";
import type { FolderFacts, ServerSignal } from "./signals.js";
import { baseName, folderOf, isRecord, nonEmptyString } from "./signals.js";

/** A dependency found in a Python manifest, with where it was declared. */
interface Requirement {
  name: string;
  /** The requirement as written, for evidence (`mcp[cli]>=1.2`). */
  spec: string;
  where?: string;
}

/**
 * The distribution name at the start of a PEP 508 requirement (`mcp[cli]>=1.2; python_version
 * >= "3.10"` -> `mcp`). Returns undefined for URLs, options and anything that is not one.
 */
export function requirementName(spec: string): string | undefined {
  const trimmed = spec.trim();
  let end = 0;
  while (end < trimmed.length && /[A-Za-z0-9._-]/.test(trimmed[end] as string)) end++;
  const name = trimmed.slice(0, end);
  if (name === "" || !/^[A-Za-z0-9]/.test(name) || !/[A-Za-z0-9]$/.test(name)) return undefined;
  const rest = trimmed.slice(end).trimStart();
  // What may follow a name: extras, a version, a marker, a URL reference, or nothing.
  if (rest !== "" && !/^[[(<>=!~;@,]/.test(rest)) return undefined;
  return name;
}

function signalFrom(path: string, requirements: Requirement[], facts: FolderFacts = {}): { signal?: ServerSignal; facts: FolderFacts } {
  const frameworks: string[] = [];
  const evidence: string[] = [];
  for (const requirement of requirements) {
    const framework = PYTHON_SERVER_PACKAGES.get(normalisePythonName(requirement.name));
    if (framework === undefined || frameworks.includes(framework)) continue;
    frameworks.push(framework);
    evidence.push(`${path} depends on ${requirement.spec}${requirement.where ? ` (${requirement.where})` : ""}`);
  }
  if (frameworks.length === 0) return { facts };
  return { facts, signal: { root: folderOf(path), ecosystem: "python", frameworks, evidence, language: "python" } };
}

function shortSpec(spec: string): string {
  const clean = (spec.split(";")[0] ?? "").replace(/\s+/g, " ").trim();
  return clean.length > 80 ? `${clean.slice(0, 79)}…` : clean;
}

function fromStrings(list: unknown, where: string): Requirement[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item) => {
    if (typeof item !== "string") return [];
    const name = requirementName(item);
    return name ? [{ name, spec: shortSpec(item), where }] : [];
  });
}

function fromTableKeys(table: unknown, where: string): Requirement[] {
  if (!isRecord(table)) return [];
  return Object.keys(table).map((name) => ({ name, spec: name, where }));
}

/**
 * pyproject.toml: PEP 621 `[project]` dependencies and optional dependencies, PEP 735
 * `[dependency-groups]`, uv's dev-dependencies and Poetry's dependency tables.
 */
export function readPyproject(path: string, text: string): { signal?: ServerSignal; facts: FolderFacts } {
  const data = tomlRecord(text);
  if (!data) return { facts: {} };
  const project = isRecord(data.project) ? data.project : {};
  const tool = isRecord(data.tool) ? data.tool : {};
  const poetry = isRecord(tool.poetry) ? tool.poetry : {};
  const uv = isRecord(tool.uv) ? tool.uv : {};

  const requirements: Requirement[] = [...fromStrings(project.dependencies, "[project].dependencies")];
  if (isRecord(project["optional-dependencies"])) {
    for (const [extra, list] of Object.entries(project["optional-dependencies"])) {
      requirements.push(...fromStrings(list, `[project.optional-dependencies].${extra}`));
    }
  }
  if (isRecord(data["dependency-groups"])) {
    for (const [group, list] of Object.entries(data["dependency-groups"])) {
      requirements.push(...fromStrings(list, `[dependency-groups].${group}`));
    }
  }
  requirements.push(...fromStrings(uv["dev-dependencies"], "[tool.uv].dev-dependencies"));
  requirements.push(...fromTableKeys(poetry.dependencies, "[tool.poetry.dependencies]"));
  requirements.push(...fromTableKeys(poetry["dev-dependencies"], "[tool.poetry.dev-dependencies]"));
  if (isRecord(poetry.group)) {
    for (const [group, table] of Object.entries(poetry.group)) {
      if (isRecord(table)) requirements.push(...fromTableKeys(table.dependencies, `[tool.poetry.group.${group}.dependencies]`));
    }
  }
  const pythonName = nonEmptyString(project.name) ?? nonEmptyString(poetry.name);
  return signalFrom(path, requirements, { pythonName });
}

/** Pipfile: `[packages]` and `[dev-packages]` tables. */
export function readPipfile(path: string, text: string): { signal?: ServerSignal; facts: FolderFacts } {
  const data = tomlRecord(text);
  if (!data) return { facts: {} };
  return signalFrom(path, [...fromTableKeys(data.packages, "[packages]"), ...fromTableKeys(data["dev-packages"], "[dev-packages]")]);
}

/**
 * requirements*.txt (pip's format): one requirement per line, `#` comments, `\` line
 * continuations; options (`-r`, `-e`, `--hash`) and bare URLs are not requirements by name.
 */
export function readRequirements(path: string, text: string): { signal?: ServerSignal; facts: FolderFacts } {
  const requirements: Requirement[] = [];
  for (const line of text.replace(/\\\r?\n/g, " ").split(/\r?\n/)) {
    // Per-requirement options (`--hash=...`) follow the requirement after whitespace.
    const content = stripComment(line).replace(/(?<!\s)\s+--?[A-Za-z].*$/, "").trim();
    if (content === "" || content.startsWith("-")) continue;
    const name = requirementName(content);
    if (name) requirements.push({ name, spec: shortSpec(content) });
  }
  const root = requirementsRoot(path);
  const result = signalFrom(path, requirements);
  if (result.signal) result.signal.root = root;
  return result;
}

function stripComment(line: string): string {
  for (let i = 0; i < line.length; i++) {
    if (line[i] === "#" && (i === 0 || /\s/.test(line[i - 1] as string))) return line.slice(0, i);
  }
  return line;
}

/** Whether a file is a pip requirements file: `requirements*.txt|in`, or any .txt in `requirements/`. */
export function isRequirementsFile(path: string): boolean {
  const name = baseName(path).toLowerCase();
  if (/^requirements.*\.(txt|in)$/.test(name)) return true;
  return baseName(folderOf(path)) === "requirements" && name.endsWith(".txt");
}

/** `requirements/base.txt` describes the folder above `requirements/`. */
export function requirementsRoot(path: string): string {
  const folder = folderOf(path);
  return baseName(folder) === "requirements" ? folderOf(folder) : folder;
}

/** setup.cfg: `install_requires` in `[options]`, with indented continuation lines. */
export function readSetupCfg(path: string, text: string): { signal?: ServerSignal; facts: FolderFacts } {
  const requirements: Requirement[] = [];
  let section = "";
  let collecting = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s[#;].*$/, "");
    const trimmed = line.trim();
    if (trimmed.startsWith("#") || trimmed.startsWith(";")) continue;
    if (/^\[.*\]$/.test(trimmed)) {
      section = trimmed.slice(1, -1).trim();
      collecting = false;
      continue;
    }
    const continuation = /^\s/.test(line) && trimmed !== "";
    if (collecting && continuation) {
      const name = requirementName(trimmed);
      if (name) requirements.push({ name, spec: shortSpec(trimmed), where: "[options].install_requires" });
      continue;
    }
    collecting = false;
    if (section !== "options") continue;
    const match = /^install_requires\s*[=:]\s*(.*)$/.exec(trimmed);
    if (match) {
      collecting = true;
      for (const part of (match[1] ?? "").split(",")) {
        const name = requirementName(part);
        if (name) requirements.push({ name, spec: shortSpec(part), where: "[options].install_requires" });
      }
    }
  }
  return signalFrom(path, requirements);
}

/** A TOML document's top table; undefined when it does not parse (detection is best effort). */
function tomlRecord(text: string): Record<string, unknown> | undefined {
  try {
    const data: unknown = parseToml(text);
    return isRecord(data) ? data : undefined;
  } catch {
    return undefined;
  }
}
