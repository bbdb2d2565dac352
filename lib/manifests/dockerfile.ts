import { DockerfileParser, type Add, type Arg, type Env, type From, type Instruction } from "dockerfile-ast";
import {
  assignmentsOf,
  commandWords,
  findRemoteExecs,
  indexOptionsOf,
  isPythonInstall,
  parseShell,
  programOf,
  type RemoteExec,
} from "./supply-chain-shell.js";

/**
 * Dockerfiles (and Containerfiles) read with dockerfile-ast: stages with their base image and
 * USER switches, RUN scripts (shell form, exec form, heredocs), remote ADD sources, ENV values.
 */

export interface ImageRef {
  /** As resolved, e.g. "ghcr.io/org/app:1.2@sha256:...". */
  ref: string;
  /** Repository without tag or digest, e.g. "node", "gcr.io/distroless/nodejs20-debian12". */
  name: string;
  tag?: string;
  digest?: string;
}

export interface DockerStage {
  index: number;
  line: number;
  /** The FROM image argument as written. */
  image: string;
  /** With build-arg defaults substituted; undefined when the image depends on an argument without a default. */
  resolved?: ImageRef;
  alias?: string;
  /** Index of the earlier stage this one builds on (`FROM build AS final`). */
  parent?: number;
  /** USER instructions of this stage, in order. */
  users: { value: string; line: number }[];
  /** ENTRYPOINT and CMD texts of this stage (a privilege-dropping wrapper like gosu changes the user later). */
  starts: string[];
}

export interface DockerRun {
  line: number;
  endLine: number;
  stage: number;
  /** The shell text the RUN executes (the `-c` script for exec form). */
  script: string;
  remoteExecs: RemoteExec[];
  /** pip/uv index options and npm registry options on install commands. */
  indexOptions: { ecosystem: "PyPI" | "npm"; option: string; value: string }[];
}

export interface DockerAdd {
  line: number;
  endLine: number;
  stage: number;
  /** Remote sources only (http(s), git URLs). */
  sources: string[];
  checksum?: string;
  snippet: string;
}

export interface DockerEnv {
  name: string;
  value: string;
  line: number;
  stage: number;
  keyword: "ENV" | "ARG";
}

export interface DockerfileFacts {
  path: string;
  stages: DockerStage[];
  runs: DockerRun[];
  adds: DockerAdd[];
  envs: DockerEnv[];
  /** Why the file was not (fully) read; facts are then empty. */
  problem?: { message: string; line: number; column: number };
}

/** Real Dockerfiles are a few KiB; a bigger one is generated or hostile and is not parsed. */
export const MAX_DOCKERFILE_BYTES = 128 * 1024;
const MAX_INSTRUCTIONS = 5_000;

/** Dockerfile, Containerfile, Dockerfile.prod, prod.Dockerfile, app.dockerfile. */
export function isDockerfilePath(path: string): boolean {
  const base = (path.split("/").pop() ?? "").toLowerCase();
  if (/\.(md|markdown|txt|rst|adoc|json|ya?ml|toml|[cm]?[jt]s|py|go|sh|lock|ignore|orig|bak)$/.test(base)) return false;
  return /^(dockerfile|containerfile)([.-][\w.-]+)?$/.test(base) || /\.(dockerfile|containerfile)$/.test(base);
}

function clip(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** Splits "registry:5000/org/app:tag@sha256:x" into name, tag and digest. */
export function parseImageRef(ref: string): ImageRef {
  const at = ref.indexOf("@");
  const digest = at >= 0 ? ref.slice(at + 1) : undefined;
  const nameTag = at >= 0 ? ref.slice(0, at) : ref;
  const colon = nameTag.lastIndexOf(":");
  const tagged = colon > nameTag.lastIndexOf("/");
  const out: ImageRef = { ref, name: tagged ? nameTag.slice(0, colon) : nameTag };
  if (tagged) out.tag = nameTag.slice(colon + 1);
  if (digest !== undefined) out.digest = digest;
  return out;
}

/** `${NAME}`, `$NAME`, `${NAME:-default}` from build-arg defaults; undefined when unknown. */
function substitute(text: string, args: Map<string, string>): string | undefined {
  let unknown = false;
  const out = text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, braced, fallback, bare) => {
    const value = args.get(braced ?? bare) ?? fallback;
    if (value === undefined || value === "") unknown = true;
    return value ?? "";
  });
  // Anything left unexpanded (`${A:+x}`, `$(...)`) is not an image name we can judge.
  return unknown || out.includes("$") ? undefined : out;
}

function line(instruction: Instruction): { line: number; endLine: number } {
  const r = instruction.getRange();
  return { line: r.start.line + 1, endLine: r.end.line + 1 };
}

/** The shell text a RUN executes; exec form `["sh", "-c", "..."]` yields the script. */
function runScript(instruction: Instruction): string {
  const content = instruction.getArgumentsContent() ?? "";
  // RUN --mount=... --network=...: flags are not part of the command.
  const body = content.replace(/^(\s*--[a-z-]+(=\S*)?)+\s*/i, "");
  if (body.trimStart().startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(body);
      if (Array.isArray(parsed) && parsed.every((p) => typeof p === "string")) {
        const parts = parsed as string[];
        const flag = parts.findIndex((p, i) => i > 0 && /^(-[a-z]*c|\/c|-command)$/i.test(p));
        return flag > 0 && parts[flag + 1] !== undefined ? parts[flag + 1] : parts.join(" ");
      }
    } catch {
      // Not JSON: Docker runs it through the shell as written.
    }
  }
  return body;
}

const NPM_CLIENTS = new Set(["npm", "yarn", "pnpm", "bun"]);

/** Index and registry options on the install commands of a script. */
function installOptions(script: string): DockerRun["indexOptions"] {
  const out: DockerRun["indexOptions"] = [];
  for (const pipeline of parseShell(script)) {
    for (const cmd of pipeline) {
      for (const a of assignmentsOf(cmd)) {
        const setting = envIndexSetting(a.name, a.value);
        if (setting) out.push(setting);
      }
      const words = commandWords(cmd).map((w) => w.text);
      if (words.length === 0) continue;
      if (isPythonInstall(words)) {
        for (const o of indexOptionsOf(words)) out.push({ ecosystem: "PyPI", ...o });
      } else if (NPM_CLIENTS.has(programOf(words[0]))) {
        words.forEach((w, i) => {
          if (w === "--registry" && words[i + 1]) out.push({ ecosystem: "npm", option: "registry", value: words[i + 1] });
          else if (w.startsWith("--registry=")) out.push({ ecosystem: "npm", option: "registry", value: w.slice(11) });
        });
        const set = words.indexOf("set");
        if (words[1] === "config" && set > 0 && /^(registry|@[\w.-]+:registry|strict-ssl)$/.test(words[set + 1] ?? "")) {
          const key = words[set + 1];
          out.push({ ecosystem: "npm", option: key === "strict-ssl" ? "strict-ssl" : "registry", value: words[set + 2] ?? "" });
        }
      }
    }
  }
  return out;
}

/** pip/uv/npm settings given as environment variables (ENV, `VAR=x pip install`). */
export function envIndexSetting(name: string, value: string): { ecosystem: "PyPI" | "npm"; option: string; value: string } | undefined {
  const n = name.toUpperCase();
  const map: Record<string, [ "PyPI" | "npm", string ]> = {
    PIP_INDEX_URL: ["PyPI", "index-url"],
    UV_INDEX_URL: ["PyPI", "index-url"],
    UV_DEFAULT_INDEX: ["PyPI", "index-url"],
    PIP_EXTRA_INDEX_URL: ["PyPI", "extra-index-url"],
    UV_EXTRA_INDEX_URL: ["PyPI", "extra-index-url"],
    PIP_TRUSTED_HOST: ["PyPI", "trusted-host"],
    UV_INSECURE_HOST: ["PyPI", "allow-insecure-host"],
    UV_INDEX_STRATEGY: ["PyPI", "index-strategy"],
    NPM_CONFIG_REGISTRY: ["npm", "registry"],
    YARN_REGISTRY: ["npm", "registry"],
    YARN_NPM_REGISTRY_SERVER: ["npm", "registry"],
    NPM_CONFIG_STRICT_SSL: ["npm", "strict-ssl"],
  };
  const hit = map[n];
  return hit && value !== "" ? { ecosystem: hit[0], option: hit[1], value } : undefined;
}

function isRemoteSource(src: string): boolean {
  return /^(https?|ftp):\/\//i.test(src) || /^git@[\w.-]+:/.test(src) || /^[\w.-]+\.git(#|$)/.test(src);
}

/** Parses one Dockerfile. Never throws: unreadable input becomes `problem`. */
export function parseDockerfile(path: string, text: string): DockerfileFacts {
  const facts: DockerfileFacts = { path, stages: [], runs: [], adds: [], envs: [] };
  if (text.length > MAX_DOCKERFILE_BYTES || Buffer.byteLength(text, "utf8") > MAX_DOCKERFILE_BYTES) {
    facts.problem = { message: `larger than ${MAX_DOCKERFILE_BYTES / 1024} KiB; not read`, line: 1, column: 1 };
    return facts;
  }
  const control = (text.match(/[\u0000-\u0008\u000e-\u001f\ufffd]/g) ?? []).length;
  if (text.includes("\u0000") || control > 16 && control > text.length / 100) {
    facts.problem = { message: "binary or garbled content, not a Dockerfile", line: 1, column: 1 };
    return facts;
  }
  let instructions: Instruction[];
  try {
    instructions = DockerfileParser.parse(text).getInstructions();
  } catch (err) {
    facts.problem = { message: `could not be parsed: ${clip(String((err as Error)?.message ?? err), 120)}`, line: 1, column: 1 };
    return facts;
  }
  if (instructions.length > MAX_INSTRUCTIONS) {
    facts.problem = { message: `more than ${MAX_INSTRUCTIONS} instructions; only the first ${MAX_INSTRUCTIONS} were read`, line: 1, column: 1 };
    instructions = instructions.slice(0, MAX_INSTRUCTIONS);
  }

  const globalArgs = new Map<string, string>();
  const aliases = new Map<string, number>();
  let stage = -1;
  for (const instruction of instructions) {
    const keyword = instruction.getKeyword().toUpperCase();
    const at = line(instruction);
    try {
      switch (keyword) {
        case "FROM": {
          const from = instruction as From;
          const image = from.getImage() ?? "";
          const alias = from.getBuildStage() ?? undefined;
          stage = facts.stages.length;
          const parent = aliases.get(image.toLowerCase());
          const s: DockerStage = { index: stage, line: at.line, image, users: [], starts: [] };
          if (alias) {
            s.alias = alias;
            aliases.set(alias.toLowerCase(), stage);
          }
          if (parent !== undefined) s.parent = parent;
          else {
            const resolved = substitute(image, globalArgs);
            if (resolved !== undefined && resolved !== "") s.resolved = parseImageRef(resolved);
          }
          facts.stages.push(s);
          break;
        }
        case "ARG": {
          const property = (instruction as Arg).getProperty();
          const name = property?.getName();
          const value = property?.getValue() ?? undefined;
          if (!name) break;
          if (stage < 0 && value !== undefined && value !== null) globalArgs.set(name, value);
          if (value !== undefined && value !== null) facts.envs.push({ name, value, line: at.line, stage, keyword: "ARG" });
          break;
        }
        case "ENV": {
          for (const property of (instruction as Env).getProperties()) {
            const name = property.getName();
            const value = property.getValue();
            if (name && value !== null) facts.envs.push({ name, value, line: property.getRange().start.line + 1, stage, keyword: "ENV" });
          }
          break;
        }
        case "USER": {
          const value = (instruction.getArgumentsContent() ?? "").trim();
          if (stage >= 0 && value !== "") facts.stages[stage].users.push({ value, line: at.line });
          break;
        }
        case "ENTRYPOINT":
        case "CMD": {
          if (stage >= 0) facts.stages[stage].starts.push(instruction.getArgumentsContent() ?? "");
          break;
        }
        case "RUN": {
          const script = runScript(instruction);
          facts.runs.push({ ...at, stage, script, remoteExecs: findRemoteExecs(script), indexOptions: installOptions(script) });
          break;
        }
        case "ADD": {
          const add = instruction as Add;
          const args = add.getArguments().map((a) => a.getValue());
          const sources = args.slice(0, -1).filter(isRemoteSource);
          if (sources.length === 0) break;
          const checksum = add.getFlags().find((f) => f.getName() === "checksum")?.getValue() ?? undefined;
          const entry: DockerAdd = { ...at, stage, sources, snippet: clip(`ADD ${instruction.getArgumentsContent() ?? ""}`) };
          if (checksum) entry.checksum = checksum;
          facts.adds.push(entry);
          break;
        }
        default:
          break;
      }
    } catch {
      // One odd instruction (the parser's own edge cases) must not cost the rest of the file.
    }
  }
  return facts;
}
