import semver from "semver";

/**
 * Reads a client-config launch command (`command` + `args`) and says which packages it
 * downloads and runs, and whether each is pinned to an exact version.
 */

export type Runner = "npx" | "npm exec" | "pnpm dlx" | "yarn dlx" | "bunx" | "uvx" | "uv tool run" | "pipx run";

export interface LaunchedPackage {
  runner: Runner;
  ecosystem: "npm" | "PyPI";
  /** The spec as written, e.g. "@scope/pkg@latest", "mcp-server-fetch". */
  spec: string;
  /** Package name without version. */
  name: string;
  /** True when the spec names one exact version (or a git commit). */
  pinned: boolean;
  /** Why it is not pinned, e.g. "no version", "dist-tag latest", "range ^1". */
  problem?: string;
  /** The spec rewritten with an exact version, for remediation. */
  pinnedExample: string;
  /** Index into `tokens` of the spec (inside `--from=x` style tokens, the whole token). */
  tokenIndex: number;
  /** Role: the package that is run, or an extra one installed beside it (`uvx --with`). */
  role: "main" | "with";
}

export interface LaunchAnalysis {
  /** The command line after unwrapping `cmd /c`, `sh -c`, `env` and command strings. */
  tokens: string[];
  packages: LaunchedPackage[];
}

const EXAMPLE_NPM_VERSION = "1.2.3";

/** Splits a command string like a POSIX shell would for simple cases (quotes, no expansion). */
export function splitCommandLine(line: string): string[] {
  const out: string[] = [];
  let current = "";
  let has = false;
  let quote: string | null = null;
  for (let i = 0; i < line.length && out.length < 1000; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === "\\" && quote === '"' && i + 1 < line.length) current += line[++i];
      else current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      has = true;
    } else if (c === "\\" && i + 1 < line.length) {
      current += line[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has) out.push(current);
      current = "";
      has = false;
    } else {
      current += c;
      has = true;
    }
  }
  if (has) out.push(current);
  return out;
}

/** `C:\\Program Files\\nodejs\\npx.cmd` -> `npx`. */
function programName(token: string): string {
  const base = token.split(/[\\/]/).pop() ?? token;
  return base.toLowerCase().replace(/\.(cmd|exe|bat|ps1)$/, "");
}

const SHELLS = new Set(["sh", "bash", "zsh", "dash", "fish"]);

/** Peels wrappers so `cmd /c npx -y pkg` and `sh -c "npx -y pkg"` read as `npx -y pkg`. */
export function unwrap(command: string | undefined, args: string[]): string[] {
  let tokens = command === undefined ? [...args] : [command, ...args];
  // A whole command line in `command` ("npx -y pkg") with no args is common in hand-written configs.
  if (tokens.length === 1 && /\s/.test(tokens[0].trim())) tokens = splitCommandLine(tokens[0]);
  for (let guard = 0; guard < 5 && tokens.length > 0; guard++) {
    const prog = programName(tokens[0]);
    if (prog === "cmd" && tokens[1] && /^\/[ck]$/i.test(tokens[1])) {
      tokens = tokens.slice(2);
    } else if (SHELLS.has(prog)) {
      const flag = tokens.findIndex((t, i) => i > 0 && /^-[a-z]*c[a-z]*$/.test(t));
      if (flag < 0 || tokens[flag + 1] === undefined) break;
      tokens = splitCommandLine(tokens[flag + 1]);
    } else if (prog === "env") {
      let i = 1;
      while (i < tokens.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(tokens[i]) || /^-/.test(tokens[i]))) i++;
      tokens = tokens.slice(i);
    } else {
      break;
    }
    if (tokens.length === 1 && /\s/.test(tokens[0].trim())) tokens = splitCommandLine(tokens[0]);
  }
  return tokens;
}

// ---------- npm-family specs ----------

const NPM_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/i;

function isLocalPath(spec: string): boolean {
  return /^(\.{1,2}([\\/]|$)|[\\/]|~[\\/]|file:|[a-z]:[\\/])/i.test(spec);
}

/** Classifies an npm package spec as npx/npm exec/dlx understand it; undefined when not judgeable. */
export function classifyNpmSpec(spec: string): Omit<LaunchedPackage, "runner" | "tokenIndex" | "role"> | undefined {
  const s = spec.replace(/^npm:/, "");
  if (s === "" || isLocalPath(s)) return undefined;
  // Values from variables or client inputs (`${input:pkg}`) are not knowable statically.
  if (/[$%{}]/.test(s)) return undefined;
  if (/^(git\+|git:|github:|gitlab:|bitbucket:|gist:)/i.test(s) || /^[\w.-]+\/[\w.-]+(#.*)?$/.test(s)) {
    const commit = /#([0-9a-f]{40})$/i.test(s);
    const base = s.replace(/#[^]*$/, ""); // [^]: one linear cut, even with line breaks
    return {
      ecosystem: "npm",
      spec,
      name: base,
      pinned: commit,
      problem: commit ? undefined : "git reference without a commit hash",
      pinnedExample: `${base}#<full commit sha>`,
    };
  }
  if (/^https?:\/\//i.test(s)) return undefined; // a tarball URL names one artifact
  const at = s.indexOf("@", s.startsWith("@") ? 1 : 0);
  const name = at < 0 ? s : s.slice(0, at);
  const version = at < 0 ? "" : s.slice(at + 1);
  if (!NPM_NAME.test(name)) return undefined;
  const pinnedExample = `${name}@${EXAMPLE_NPM_VERSION}`;
  if (version === "") return { ecosystem: "npm", spec, name, pinned: false, problem: "no version", pinnedExample };
  if (semver.valid(version) !== null) return { ecosystem: "npm", spec, name, pinned: true, pinnedExample: s };
  const problem = semver.validRange(version) !== null ? `version range ${version}` : `dist-tag ${version}`;
  return { ecosystem: "npm", spec, name, pinned: false, problem, pinnedExample };
}

// ---------- PyPI specs (uvx / pipx) ----------

// [^]* to the end: `.` would stop at a line break and make the name backtrack quadratically.
const PEP508 = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)(\[[^\]]*\])?\s*([^]*)$/;

/** Classifies a Python requirement as uvx/pipx read it; undefined when not judgeable. */
export function classifyPypiSpec(spec: string): Omit<LaunchedPackage, "runner" | "tokenIndex" | "role"> | undefined {
  const s = spec.split(";")[0].trim();
  if (s === "" || isLocalPath(s) || /[$%{}]/.test(s)) return undefined;
  if (/^git\+/i.test(s) || /\s@\s*git\+/i.test(s)) {
    const commit = /@[0-9a-f]{40}(#.*)?$/i.test(s);
    const base = s.replace(/@[^@/]*$/, "");
    return {
      ecosystem: "PyPI",
      spec,
      name: base,
      pinned: commit,
      problem: commit ? undefined : "git reference without a commit hash",
      pinnedExample: `${base}@<full commit sha>`,
    };
  }
  if (/^https?:\/\//i.test(s) || /\s@\s*https?:/i.test(s)) return undefined;
  const m = PEP508.exec(s);
  if (!m) return undefined;
  const name = m[1];
  const rest = m[3].trim();
  const pinnedExample = `${name}${m[2] ?? ""}==${EXAMPLE_NPM_VERSION}`;
  if (rest === "") return { ecosystem: "PyPI", spec, name, pinned: false, problem: "no version", pinnedExample };
  // uvx also accepts `pkg@1.2.3`; `pkg@latest` asks for the newest.
  const atVersion = /^@\s*(.+)$/.exec(rest);
  if (atVersion) {
    const v = atVersion[1];
    if (/^v?\d[a-z0-9.+!-]*$/i.test(v)) return { ecosystem: "PyPI", spec, name, pinned: true, pinnedExample: s };
    return { ecosystem: "PyPI", spec, name, pinned: false, problem: v === "latest" ? "@latest" : `version ${v}`, pinnedExample };
  }
  const exact = /^===?\s*([^\s,*]+)$/.exec(rest);
  if (exact) return { ecosystem: "PyPI", spec, name, pinned: true, pinnedExample: s };
  return { ecosystem: "PyPI", spec, name, pinned: false, problem: `version range ${rest}`, pinnedExample };
}

// ---------- runners ----------

interface RunnerSyntax {
  /** Options followed by a value. */
  valueOptions: Set<string>;
  /** Options whose value is a package to install (the positional is then a command name). */
  packageOptions: Set<string>;
  /** Options whose value is an extra package installed beside the main one. */
  withOptions?: Set<string>;
}

const NPX: RunnerSyntax = {
  valueOptions: new Set(["-c", "--call", "--registry", "--cache", "--userconfig", "-w", "--workspace", "--node-options", "--loglevel", "--prefix", "--script-shell"]),
  packageOptions: new Set(["-p", "--package"]),
};
const PNPM_DLX: RunnerSyntax = {
  valueOptions: new Set(["--registry", "--reporter", "--loglevel", "--dir", "-C", "--allow-build"]),
  packageOptions: new Set(["--package"]),
};
const YARN_DLX: RunnerSyntax = { valueOptions: new Set(), packageOptions: new Set(["-p", "--package"]) };
const BUNX: RunnerSyntax = { valueOptions: new Set(["--registry", "--cwd"]), packageOptions: new Set(["-p", "--package"]) };
const UVX: RunnerSyntax = {
  valueOptions: new Set([
    "--with-editable", "--with-requirements", "-p", "--python", "--index", "-i", "--index-url", "--extra-index-url",
    "--default-index", "-f", "--find-links", "--directory", "--project", "--config-file", "--cache-dir", "--env-file",
    "-c", "--constraints", "--overrides", "-b", "--build-constraints", "--index-strategy", "--keyring-provider",
    "--resolution", "--prerelease", "--exclude-newer", "--exclude-newer-package", "--refresh-package",
    "--reinstall-package", "-P", "--upgrade-package", "--link-mode", "--color", "--python-preference",
    "--allow-insecure-host", "--no-binary-package", "--only-binary-package", "--no-build-package",
    "--no-build-isolation-package", "-C", "--config-setting", "--torch-backend", "--fork-strategy", "--python-platform",
  ]),
  packageOptions: new Set(["--from"]),
  withOptions: new Set(["-w", "--with"]),
};
const PIPX_RUN: RunnerSyntax = {
  valueOptions: new Set(["--python", "--pip-args", "-i", "--index-url", "--backend", "--fetch-python"]),
  packageOptions: new Set(["--spec"]),
};

interface Invocation {
  runner: Runner;
  syntax: RunnerSyntax;
  ecosystem: "npm" | "PyPI";
  /** Index of the first token after the runner's own name/subcommand. */
  start: number;
}

function invocation(tokens: string[]): Invocation | undefined {
  if (tokens.length === 0) return undefined;
  const prog = programName(tokens[0]);
  // First non-option token after the program, for `npm exec`, `uv tool run`, `bun x`, ...
  const sub = (from: number): number => {
    let i = from;
    while (i < tokens.length && tokens[i].startsWith("-")) i++;
    return i;
  };
  switch (prog) {
    case "npx":
      return { runner: "npx", syntax: NPX, ecosystem: "npm", start: 1 };
    case "pnpx":
      return { runner: "pnpm dlx", syntax: PNPM_DLX, ecosystem: "npm", start: 1 };
    case "bunx":
      return { runner: "bunx", syntax: BUNX, ecosystem: "npm", start: 1 };
    case "uvx":
      return { runner: "uvx", syntax: UVX, ecosystem: "PyPI", start: 1 };
    case "npm": {
      const i = sub(1);
      return tokens[i] === "exec" || tokens[i] === "x" ? { runner: "npm exec", syntax: NPX, ecosystem: "npm", start: i + 1 } : undefined;
    }
    case "pnpm": {
      const i = sub(1);
      return tokens[i] === "dlx" ? { runner: "pnpm dlx", syntax: PNPM_DLX, ecosystem: "npm", start: i + 1 } : undefined;
    }
    case "yarn": {
      const i = sub(1);
      return tokens[i] === "dlx" ? { runner: "yarn dlx", syntax: YARN_DLX, ecosystem: "npm", start: i + 1 } : undefined;
    }
    case "bun": {
      const i = sub(1);
      return tokens[i] === "x" ? { runner: "bunx", syntax: BUNX, ecosystem: "npm", start: i + 1 } : undefined;
    }
    case "uv": {
      const i = sub(1);
      if (tokens[i] === "tool" && tokens[i + 1] === "run") return { runner: "uv tool run", syntax: UVX, ecosystem: "PyPI", start: i + 2 };
      if (tokens[i] === "tool" && tokens[i + 1] === "uvx") return { runner: "uvx", syntax: UVX, ecosystem: "PyPI", start: i + 2 };
      return undefined;
    }
    case "pipx": {
      const i = sub(1);
      return tokens[i] === "run" ? { runner: "pipx run", syntax: PIPX_RUN, ecosystem: "PyPI", start: i + 1 } : undefined;
    }
    default:
      return undefined;
  }
}

/** What `command` + `args` download and run; empty for local scripts, docker, remote servers. */
export function analyseLaunch(command: string | undefined, args: string[]): LaunchAnalysis {
  const tokens = unwrap(command, args);
  const inv = invocation(tokens);
  if (!inv) return { tokens, packages: [] };
  const classify = inv.ecosystem === "npm" ? classifyNpmSpec : classifyPypiSpec;
  const named: { spec: string; index: number; role: "main" | "with" }[] = [];
  let positional: { spec: string; index: number } | undefined;

  for (let i = inv.start; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === "--") {
      if (i + 1 < tokens.length) positional = { spec: tokens[i + 1], index: i + 1 };
      break;
    }
    if (token.startsWith("-") && token.length > 1) {
      const eq = token.indexOf("=");
      const option = eq > 0 ? token.slice(0, eq) : token;
      const inline = eq > 0 ? token.slice(eq + 1) : undefined;
      const isPackage = inv.syntax.packageOptions.has(option);
      const isWith = inv.syntax.withOptions?.has(option) ?? false;
      if (isPackage || isWith || inv.syntax.valueOptions.has(option)) {
        const value = inline ?? tokens[i + 1];
        const index = inline !== undefined ? i : i + 1;
        if (inline === undefined) i++;
        if (value !== undefined && (isPackage || isWith)) {
          // `--with a,b` installs several packages.
          const specs = isWith ? value.split(",").map((v) => v.trim()).filter(Boolean) : [value];
          for (const spec of specs) named.push({ spec, index, role: isPackage ? "main" : "with" });
        }
      }
      continue;
    }
    positional = { spec: token, index: i };
    break;
  }

  const candidates = named.some((n) => n.role === "main")
    ? named // the positional is then a command (bin) name, not a package
    : [...(positional ? [{ ...positional, role: "main" as const }] : []), ...named];
  const packages: LaunchedPackage[] = [];
  for (const c of candidates) {
    const classified = classify(c.spec);
    if (classified) packages.push({ ...classified, runner: inv.runner, tokenIndex: c.index, role: c.role });
  }
  return { tokens, packages };
}

// ---------- shell wrappers ----------

export interface ShellWrapper {
  /** e.g. "sh", "bash", "cmd", "powershell". */
  shell: string;
  /** The flag that takes the script: "-c", "-lc", "/c", "-Command", "-EncodedCommand". */
  flag: string;
  /** The script the shell runs (still base64 for -EncodedCommand). */
  script: string;
  encoded: boolean;
}

const POWERSHELLS = new Set(["powershell", "pwsh"]);

/**
 * `sh -c "..."`, `bash -lc "..."`, `cmd /c ...`, `powershell -Command ...`: a launch that hands a
 * command string to a shell. `env A=1 sh -c` counts; `bash ./start.sh` (a local script) does not.
 */
export function shellWrapperOf(command: string | undefined, args: string[]): ShellWrapper | undefined {
  let tokens = command === undefined ? [...args] : [command, ...args];
  if (tokens.length === 1 && /\s/.test(tokens[0].trim())) tokens = splitCommandLine(tokens[0]);
  if (tokens.length > 0 && programName(tokens[0]) === "env") {
    let i = 1;
    while (i < tokens.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(tokens[i]) || /^-/.test(tokens[i]))) i++;
    tokens = tokens.slice(i);
  }
  if (tokens.length === 0) return undefined;
  const prog = programName(tokens[0]);
  if (prog === "cmd") {
    const flag = tokens.findIndex((t, i) => i > 0 && /^\/[ck]$/i.test(t));
    return flag < 0 ? undefined : { shell: "cmd", flag: tokens[flag], script: tokens.slice(flag + 1).join(" "), encoded: false };
  }
  if (POWERSHELLS.has(prog)) {
    const flag = tokens.findIndex((t, i) => i > 0 && /^-(c|command|e|ec|encodedcommand)$/i.test(t));
    if (flag < 0) return undefined;
    const encoded = /^-(e|ec|encodedcommand)$/i.test(tokens[flag]);
    return { shell: prog, flag: tokens[flag], script: tokens.slice(flag + 1).join(" "), encoded };
  }
  if (SHELLS.has(prog) || prog === "ksh" || prog === "ash") {
    const flag = tokens.findIndex((t, i) => i > 0 && /^-[a-z]*c[a-z]*$/.test(t));
    if (flag < 0 || tokens[flag + 1] === undefined) return undefined;
    return { shell: prog, flag: tokens[flag], script: tokens[flag + 1], encoded: false };
  }
  return undefined;
}

// ---------- container launches (docker/podman run) ----------

export interface ContainerOption {
  /** Long form, e.g. "--volume" for -v. */
  name: string;
  value?: string;
  tokenIndex: number;
}

export interface ContainerLaunch {
  engine: string;
  tokens: string[];
  options: ContainerOption[];
  /** The image reference as written; undefined when it could not be found. */
  image?: { ref: string; name: string; tag?: string; digest?: string; tokenIndex: number };
}

const CONTAINER_ENGINES = new Set(["docker", "podman", "nerdctl", "finch"]);
const SHORT_OPTIONS: Record<string, string> = {
  "-v": "--volume", "-e": "--env", "-p": "--publish", "-u": "--user", "-w": "--workdir", "-l": "--label",
  "-m": "--memory", "-h": "--hostname", "-a": "--attach", "-c": "--cpu-shares", "-i": "--interactive",
  "-t": "--tty", "-d": "--detach", "-P": "--publish-all", "-q": "--quiet",
};
const SHORT_WITH_VALUE = new Set(["v", "e", "p", "u", "w", "l", "m", "h", "a", "c"]);
const RUN_VALUE_OPTIONS = new Set([
  "--add-host", "--annotation", "--attach", "--blkio-weight", "--blkio-weight-device", "--cap-add", "--cap-drop",
  "--cgroup-parent", "--cgroupns", "--cidfile", "--cpu-period", "--cpu-quota", "--cpu-rt-period", "--cpu-rt-runtime",
  "--cpu-shares", "--cpus", "--cpuset-cpus", "--cpuset-mems", "--device", "--device-cgroup-rule", "--device-read-bps",
  "--device-read-iops", "--device-write-bps", "--device-write-iops", "--dns", "--dns-option", "--dns-search",
  "--domainname", "--entrypoint", "--env", "--env-file", "--expose", "--gpus", "--group-add", "--health-cmd",
  "--health-interval", "--health-retries", "--health-start-interval", "--health-start-period", "--health-timeout",
  "--hostname", "--ip", "--ip6", "--ipc", "--isolation", "--kernel-memory", "--label", "--label-file", "--link",
  "--link-local-ip", "--log-driver", "--log-opt", "--mac-address", "--memory", "--memory-reservation", "--memory-swap",
  "--memory-swappiness", "--mount", "--name", "--network", "--net", "--network-alias", "--net-alias", "--oom-score-adj",
  "--pid", "--pids-limit", "--platform", "--publish", "--pull", "--restart", "--runtime", "--security-opt",
  "--shm-size", "--stop-signal", "--stop-timeout", "--storage-opt", "--sysctl", "--tmpfs", "--ulimit", "--user",
  "--userns", "--uts", "--volume", "--volume-driver", "--volumes-from", "--workdir", "--secret", "--arch", "--os",
  "--variant", "--uidmap", "--gidmap", "--subuidname", "--subgidname", "--pod", "--hooks-dir", "--env-merge",
  "--umask", "--userns-uid-map", "--requires", "--device-cgroup-rule", "--sdnotify", "--seccomp-policy", "--shm-size-systemd",
]);
const GLOBAL_VALUE_OPTIONS = new Set(["--context", "-c", "--host", "-H", "--config", "--log-level", "-l", "--tlscacert", "--tlscert", "--tlskey", "--connection", "--url", "--identity", "--root", "--runroot"]);

/** Splits "registry:5000/org/app:tag@sha256:x" into name, tag and digest. */
function imageParts(ref: string): { name: string; tag?: string; digest?: string } {
  const at = ref.indexOf("@");
  const nameTag = at >= 0 ? ref.slice(0, at) : ref;
  const colon = nameTag.lastIndexOf(":");
  const tagged = colon > nameTag.lastIndexOf("/");
  return {
    name: tagged ? nameTag.slice(0, colon) : nameTag,
    ...(tagged ? { tag: nameTag.slice(colon + 1) } : {}),
    ...(at >= 0 ? { digest: ref.slice(at + 1) } : {}),
  };
}

/** `docker run [options] image [args]` (also `docker container run`, podman, nerdctl); undefined for anything else. */
export function analyseContainerLaunch(command: string | undefined, args: string[]): ContainerLaunch | undefined {
  const tokens = unwrap(command, args);
  if (tokens.length === 0 || !CONTAINER_ENGINES.has(programName(tokens[0]))) return undefined;
  let i = 1;
  while (i < tokens.length && tokens[i].startsWith("-")) i += GLOBAL_VALUE_OPTIONS.has(tokens[i]) ? 2 : 1;
  if (tokens[i] === "container") i++;
  if (tokens[i] !== "run") return undefined;
  const launch: ContainerLaunch = { engine: programName(tokens[0]), tokens, options: [] };
  for (i = i + 1; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === "--") {
      i++;
      break;
    }
    if (!token.startsWith("-") || token === "-") break;
    if (token.startsWith("--")) {
      const eq = token.indexOf("=");
      const name = eq > 0 ? token.slice(0, eq) : token;
      if (eq > 0) launch.options.push({ name, value: token.slice(eq + 1), tokenIndex: i });
      else if (RUN_VALUE_OPTIONS.has(name)) {
        launch.options.push({ name, value: tokens[i + 1], tokenIndex: i });
        i++;
      } else launch.options.push({ name, tokenIndex: i });
      continue;
    }
    // Short options, possibly combined (-it, -itd) or with an attached value (-v/x:/y, -eFOO=1).
    const letters = token.slice(1);
    for (let k = 0; k < letters.length; k++) {
      const name = SHORT_OPTIONS[`-${letters[k]}`] ?? `-${letters[k]}`;
      if (SHORT_WITH_VALUE.has(letters[k])) {
        const attached = letters.slice(k + 1).replace(/^=/, "");
        const value = attached !== "" ? attached : tokens[++i];
        launch.options.push({ name, value, tokenIndex: i });
        break;
      }
      launch.options.push({ name, tokenIndex: i });
    }
  }
  const ref = tokens[i];
  if (ref !== undefined && !/[$%{}]/.test(ref)) launch.image = { ref, ...imageParts(ref), tokenIndex: i };
  return launch;
}
