import { hideUserinfo } from "../redact.js";
import type { ClientConfigFile } from "../extract/client-config.js";
import type { DockerfileFacts } from "../manifests/dockerfile.js";
import { commandWords, findRemoteExecs, isLocalUrl, isPlainHttp, parseShell, programOf } from "../manifests/supply-chain-shell.js";
import type { IndexSetting, InstallHook, RemoteExecSite, SupplyChainProblem } from "../manifests/supply-chain-types.js";
import type { Confidence, RawFinding, Severity } from "../model.js";
import { shellWrapperOf } from "./launch-command.js";
import type { RuleContext, RuleFamily } from "./types.js";

export const SHELL_LAUNCH_RULE = "MCPW-SUPPLY-001";
export const REMOTE_EXEC_RULE = "MCPW-SUPPLY-002";
export const REMOTE_ADD_RULE = "MCPW-SUPPLY-003";
export const BASE_IMAGE_RULE = "MCPW-SUPPLY-004";
export const INSTALL_HOOK_RULE = "MCPW-SUPPLY-005";
export const PYTHON_INDEX_RULE = "MCPW-SUPPLY-006";
export const NPM_REGISTRY_RULE = "MCPW-SUPPLY-007";
export const UNREADABLE_RULE = "MCPW-SUPPLY-008";

const OWASP = ["MCP04"];

function clip(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** `https://user:token@host/...` -> `https://***@host/...`: URLs in keys and messages never carry credentials. */
function raise(severity: Severity): Severity {
  return severity === "low" ? "medium" : severity === "medium" ? "high" : severity;
}

// ---------- MCPW-SUPPLY-001: client-config launches through a shell ----------

/** Programs Windows can only start through cmd (npx.cmd, uvx.exe shims): `cmd /c npx ...` is how their docs say to launch them. */
const CMD_LAUNCHERS = /^(npx|npm|pnpm|pnpx|yarn|bunx|bun|uvx|uv|pipx|node|python[0-9.]*|py|docker|podman|deno)(\.(cmd|exe|bat))?$/i;

/** `cmd /c npx -y pkg` with each argument separate and nothing cmd would interpret. */
function isPlainCmdLaunch(args: string[], wrapper: { shell: string; flag: string }): boolean {
  if (wrapper.shell !== "cmd") return false;
  const at = args.findIndex((a) => a === wrapper.flag);
  const rest = args.slice(at + 1);
  return rest.length > 0 && CMD_LAUNCHERS.test(rest[0]) && rest.every((a) => !/[&|<>^%!()"\n]/.test(a));
}

function shellLaunchFindings(file: ClientConfigFile): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const server of file.servers) {
    if (server.command === undefined && server.args.length === 0) continue;
    const wrapper = shellWrapperOf(server.command, server.args);
    if (!wrapper || isPlainCmdLaunch(server.args, wrapper)) continue;
    const remote = wrapper.encoded ? [] : findRemoteExecs(wrapper.script);
    const shown = hideUserinfo(`${wrapper.shell} ${wrapper.flag} ${JSON.stringify(clip(wrapper.script, 160))}`);
    let severity: Severity = "low";
    let message = `MCP server entry "${server.name}" starts through a shell (\`${wrapper.shell} ${wrapper.flag}\`), so what runs depends on shell parsing and the user's environment and is hard to review.`;
    if (remote.length > 0) {
      severity = "high";
      message = `MCP server entry "${server.name}" downloads code and runs it through a shell on every start (\`${clip(hideUserinfo(remote[0].snippet), 120)}\`), so whoever controls that URL runs code on every user's machine.`;
    } else if (wrapper.encoded) {
      severity = "high";
      message = `MCP server entry "${server.name}" starts PowerShell with an encoded command (\`${wrapper.flag}\`), which hides what it runs from anyone reading the config.`;
    }
    findings.push({
      ruleId: SHELL_LAUNCH_RULE,
      category: "supply-chain",
      severity,
      confidence: "high",
      path: file.path,
      line: server.span.line,
      endLine: server.span.endLine,
      message: clip(message, 400),
      evidence: clip(`"${server.name}": ${shown}`),
      remediation:
        remote.length > 0
          ? "Do not run downloaded scripts at launch: publish the server as a package and launch it with a pinned version (`npx -y pkg@1.2.3`, `uvx pkg==1.2.3`) or a container image pinned by digest."
          : 'Put the program in "command" and each argument in "args" (e.g. `"command": "npx", "args": ["-y", "pkg@1.2.3"]`) instead of a shell command string; set variables in "env".',
      cwe: remote.length > 0 ? ["CWE-494"] : ["CWE-78"],
      owasp: OWASP,
      key: `${file.path}#${server.name}#shell`,
    });
  }
  return findings;
}

// ---------- MCPW-SUPPLY-002: downloads piped into an interpreter ----------

const INSTALL_HOOKS = new Set(["preinstall", "install", "postinstall"]);

function remoteExecFindings(sites: RemoteExecSite[]): RawFinding[] {
  const findings: RawFinding[] = [];
  const seen = new Map<string, number>();
  for (const site of sites) {
    const hook = site.script !== undefined && INSTALL_HOOKS.has(site.script);
    let severity: Severity = hook ? "high" : site.where === "Dockerfile RUN" ? "medium" : "low";
    if (site.insecure) severity = raise(severity);
    const when = hook
      ? "on every machine that installs the package"
      : site.where === "Dockerfile RUN"
        ? "while the image is built, and the result ships in the image"
        : "whenever the script runs";
    const how = site.insecure ? " over an unverified connection (plain http or certificate checks off)" : "";
    const base = `${site.where}#${clip(hideUserinfo(site.snippet), 160)}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    findings.push({
      ruleId: REMOTE_EXEC_RULE,
      category: "supply-chain",
      severity,
      confidence: "high",
      path: site.path,
      line: site.line,
      endLine: site.endLine,
      message: clip(
        `The ${site.where} downloads a script${site.url ? ` from ${hideUserinfo(site.url)}` : ""}${how} and runs it unchecked ${when}, so whoever controls that URL controls what runs.`,
        400,
      ),
      evidence: clip(hideUserinfo(site.snippet), 200),
      remediation:
        site.where === "Dockerfile RUN"
          ? "Download to a file, verify a pinned checksum, then run it (`curl -fsSLo install.sh URL && echo \"<sha256>  install.sh\" | sha256sum -c - && sh install.sh`), or copy the tool from a digest-pinned image (`COPY --from=image@sha256:<digest> /bin/tool /bin/`)."
          : "Download to a file and verify a pinned checksum (`sha256sum -c`) before running it, or install the tool from a package manager with a pinned version.",
      cwe: ["CWE-494"],
      owasp: OWASP,
      key: n === 1 ? base : `${base} #${n}`,
    });
  }
  return findings;
}

// ---------- MCPW-SUPPLY-003 and -004: Dockerfile ADD and FROM ----------

function addFindings(files: DockerfileFacts[]): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const file of files) {
    for (const add of file.adds) {
      if (add.checksum) continue;
      for (const source of add.sources) {
        // A git source pinned to a full commit hash names one tree.
        if (/#[0-9a-f]{40}$/i.test(source)) continue;
        const insecure = isPlainHttp(source) || /^ftp:/i.test(source);
        const git = /\.git(#|$)|^git@/.test(source);
        findings.push({
          ruleId: REMOTE_ADD_RULE,
          category: "supply-chain",
          severity: insecure ? "high" : "medium",
          confidence: "high",
          path: file.path,
          line: add.line,
          endLine: add.endLine,
          message: clip(
            `The Dockerfile adds ${hideUserinfo(source)}${insecure ? " over plain http" : ""} ${git ? "without pinning a commit" : "without a checksum"}, so the image contains whatever that URL serves at build time.`,
            400,
          ),
          evidence: clip(hideUserinfo(add.snippet), 200),
          remediation: git
            ? "Pin the git source to a full commit hash (`ADD https://github.com/org/repo.git#<commit sha> /src`)."
            : "Add a checksum (`ADD --checksum=sha256:<digest> https://... /dest`) or download in a RUN step and verify it with `sha256sum -c`.",
          cwe: ["CWE-494"],
          owasp: OWASP,
          key: `ADD ${hideUserinfo(source)}`,
        });
      }
    }
  }
  return findings;
}

function baseImageFindings(files: DockerfileFacts[]): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const file of files) {
    const seen = new Map<string, number>();
    for (const stage of file.stages) {
      const image = stage.resolved;
      if (stage.parent !== undefined || !image || image.digest !== undefined) continue;
      if (image.name.toLowerCase() === "scratch") continue;
      if (image.tag !== undefined && image.tag.toLowerCase() !== "latest") continue;
      const base = `FROM ${image.ref}${stage.alias ? ` AS ${stage.alias}` : ""}`;
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      findings.push({
        ruleId: BASE_IMAGE_RULE,
        category: "supply-chain",
        severity: "low",
        confidence: "high",
        path: file.path,
        line: stage.line,
        endLine: stage.line,
        message: `The Dockerfile builds FROM "${image.ref}" ${image.tag === undefined ? "without a tag (which means :latest)" : "with the tag :latest"} and no digest, so each build may start from a different base image.`,
        evidence: clip(`FROM ${stage.image}${stage.alias ? ` AS ${stage.alias}` : ""}`),
        remediation: `Pin a version and digest, e.g. \`FROM ${image.name}:<version>@sha256:<digest>\` (\`docker buildx imagetools inspect ${image.name}:<version>\` prints the digest), and let Renovate or Dependabot update it.`,
        cwe: ["CWE-1357"],
        owasp: OWASP,
        key: n === 1 ? base : `${base} #${n}`,
      });
    }
  }
  return findings;
}

// ---------- MCPW-SUPPLY-005: install hooks of the server package ----------

/** Tools that only compile or set up what is shipped in the package itself. */
const LOCAL_BUILD = new Set([
  "tsc", "node-gyp", "node-gyp-build", "prebuild-install", "node-pre-gyp", "cmake-js", "husky", "patch-package",
  "ngcc", "echo", "exit", "true", ":", "cd", "test", "[", "printf",
]);
const PACKAGE_MANAGERS = new Set(["npm", "yarn", "pnpm", "bun"]);
const LOCAL_SCRIPT_RUNNERS = /^(node|python[0-9.]*|sh|bash|tsx|ts-node|deno|bun)$/;

type HookKind = "build" | "local-script" | "other";

/** What an install hook does, read from its commands. */
function classifyHook(command: string): { kind: HookKind; program?: string } {
  let kind: HookKind = "build";
  for (const pipeline of parseShell(command)) {
    for (const cmd of pipeline) {
      const words = commandWords(cmd).map((w) => w.text);
      if (words.length === 0) continue;
      const program = programOf(words[0]);
      if (LOCAL_BUILD.has(program)) continue;
      // `npm run build`: another script of the same package.json, reviewed with it.
      if (PACKAGE_MANAGERS.has(program) && (words[1] === "run" || words[1] === "run-script" || (program === "yarn" && words.length === 2 && !/^(add|install|dlx)$/.test(words[1])))) continue;
      const target = words.slice(1).find((w) => !w.startsWith("-"));
      if (LOCAL_SCRIPT_RUNNERS.test(program) && target !== undefined && /^(\.{0,2}\/)?[\w./-]+\.(c?js|mjs|ts|py|sh)$/.test(target) && !/^-(e|c|p)$/.test(words[1] ?? "")) {
        kind = "local-script";
        continue;
      }
      return { kind: "other", program };
    }
  }
  return { kind };
}

function installHookFindings(hooks: InstallHook[], remote: RemoteExecSite[]): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const hook of hooks) {
    // A hook that pipes a download into a shell is reported (high) as MCPW-SUPPLY-002.
    if (remote.some((r) => r.path === hook.path && r.script === hook.name)) continue;
    const { kind, program } = classifyHook(hook.command);
    if (kind === "build") continue;
    const severity: Severity = kind === "local-script" ? "low" : "medium";
    const confidence: Confidence = kind === "local-script" ? "medium" : "high";
    const what = kind === "local-script" ? "runs a script from the package" : `runs \`${program}\``;
    findings.push({
      ruleId: INSTALL_HOOK_RULE,
      category: "supply-chain",
      severity,
      confidence,
      path: hook.path,
      line: hook.line,
      endLine: hook.line,
      message: clip(
        `The package${hook.packageName ? ` "${hook.packageName}"` : ""} has a "${hook.name}" script that ${what} on every machine that installs it, before anyone can review it; this is the hook malicious packages use, and many users install with --ignore-scripts.`,
        400,
      ),
      evidence: clip(`"${hook.name}": ${JSON.stringify(hook.command)}`, 200),
      remediation:
        "Move the step to build time (`prepare` or `prepublishOnly`) and publish the built files, or do the work lazily when the server starts; keep install hooks for native builds only (node-gyp, prebuild-install).",
      cwe: ["CWE-829"],
      owasp: OWASP,
      key: `${hook.name}#${clip(hook.command, 160)}`,
    });
  }
  return findings;
}

// ---------- MCPW-SUPPLY-006 / -007: package indexes ----------

function isReference(value: string): boolean {
  return /\$\{?[A-Za-z_]|%[A-Za-z_]+%/.test(value);
}

function pythonIndexFinding(s: IndexSetting): { severity: Severity; confidence: Confidence; message: string; remediation: string; cwe: string } | undefined {
  const value = hideUserinfo(s.value);
  if (isReference(s.value)) return undefined;
  switch (s.option) {
    case "trusted-host":
    case "allow-insecure-host": {
      if (isLocalUrl(`http://${s.value.replace(/^[a-z]+:\/\//i, "")}`)) return undefined;
      return {
        severity: "medium",
        confidence: "high",
        message: `${s.source} marks ${value} as a trusted host (\`${s.option}\`), which turns off TLS certificate checks for it, so anyone on the network path can swap the packages installed from it.`,
        remediation: `Remove \`${s.option}\` and serve the index over https with a valid certificate (point pip at a CA bundle with \`--cert\` / \`PIP_CERT\` for a private CA).`,
        cwe: "CWE-295",
      };
    }
    case "index-url":
    case "index":
    case "find-links":
      if (!isPlainHttp(s.value)) return undefined;
      return {
        severity: "high",
        confidence: "high",
        message: `${s.source} installs Python packages from ${value} over plain http (\`${s.option}\`), so anyone on the network path can replace them.`,
        remediation: "Use the index's https URL.",
        cwe: "CWE-319",
      };
    case "extra-index-url":
      if (isPlainHttp(s.value)) {
        return {
          severity: "high",
          confidence: "high",
          message: `${s.source} adds the package index ${value} over plain http (\`extra-index-url\`), so anyone on the network path can replace packages, and pip also prefers whichever index offers the higher version.`,
          remediation: "Use the index's https URL, and with uv declare it as an `[[tool.uv.index]]` with `explicit = true` for the packages that need it.",
          cwe: "CWE-319",
        };
      }
      return {
        severity: "medium",
        confidence: "medium",
        message: `${s.source} adds a second package index ${value} with \`extra-index-url\`: pip takes each package from whichever index has the highest version, so a public package named like a private one wins (dependency confusion).`,
        remediation:
          "Serve private packages through one index that proxies PyPI (`--index-url`), or with uv declare the index with `explicit = true` and map only your packages to it in `[tool.uv.sources]`; pin hashes with `--require-hashes`.",
        cwe: "CWE-427",
      };
    case "index-strategy":
      if (!/^unsafe-/i.test(s.value)) return undefined;
      return {
        severity: "medium",
        confidence: "high",
        message: `${s.source} sets uv's index strategy to \`${s.value}\`, which turns off uv's protection against dependency confusion across indexes.`,
        remediation: "Remove the setting (uv's default `first-index` takes each package from the first index that has it) and pin private packages to their index in `[tool.uv.sources]`.",
        cwe: "CWE-427",
      };
    default:
      return undefined;
  }
}

function npmRegistryFinding(s: IndexSetting): { severity: Severity; confidence: Confidence; message: string; remediation: string; cwe: string } | undefined {
  const value = hideUserinfo(s.value);
  if (isReference(s.value)) return undefined;
  if (s.option === "registry") {
    if (!isPlainHttp(s.value)) return undefined;
    return {
      severity: "high",
      confidence: "high",
      message: `${s.source} downloads npm packages from ${value} over plain http, so anyone on the network path can replace them.`,
      remediation: "Use the registry's https URL (e.g. `registry=https://registry.npmjs.org/`).",
      cwe: "CWE-319",
    };
  }
  if (s.option === "strict-ssl" && /^false$/i.test(s.value.trim())) {
    return {
      severity: "medium",
      confidence: "high",
      message: `${s.source} turns off TLS certificate checks for the npm registry (\`strict-ssl\` false), so anyone on the network path can replace packages.`,
      remediation: "Remove the setting; for a private CA set `cafile=` (npm) or `caFilePath` (yarn) instead.",
      cwe: "CWE-295",
    };
  }
  if (s.option === "unsafe-http-whitelist" && !isLocalUrl(`http://${s.value}`)) {
    return {
      severity: "medium",
      confidence: "high",
      message: `${s.source} allows plain-http downloads from ${value} (\`unsafeHttpWhitelist\`), so packages from that host can be replaced in transit.`,
      remediation: "Remove the host from `unsafeHttpWhitelist` and serve it over https.",
      cwe: "CWE-319",
    };
  }
  return undefined;
}

function indexFindings(settings: IndexSetting[]): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const s of settings) {
    const verdict = s.ecosystem === "PyPI" ? pythonIndexFinding(s) : npmRegistryFinding(s);
    if (!verdict) continue;
    findings.push({
      ruleId: s.ecosystem === "PyPI" ? PYTHON_INDEX_RULE : NPM_REGISTRY_RULE,
      category: "supply-chain",
      severity: verdict.severity,
      confidence: verdict.confidence,
      path: s.path,
      line: s.line,
      endLine: s.line,
      message: clip(verdict.message, 400),
      evidence: clip(hideUserinfo(s.snippet), 200),
      remediation: verdict.remediation,
      cwe: [verdict.cwe],
      owasp: OWASP,
      key: `${s.source}#${s.option}#${hideUserinfo(s.value)}`,
    });
  }
  return findings;
}

// ---------- MCPW-SUPPLY-008: unreadable files ----------

function problemFindings(problems: SupplyChainProblem[]): RawFinding[] {
  return problems.map((p) => ({
    ruleId: UNREADABLE_RULE,
    category: "misconfiguration" as const,
    severity: "low" as const,
    confidence: "high" as const,
    path: p.path,
    line: p.line,
    endLine: p.line,
    message: clip(`${p.path} could not be checked for supply-chain risks: ${p.message} (line ${p.line}, column ${p.column}).`, 400),
    evidence: clip(p.message, 200),
    remediation: "Fix the file at the reported position; if it is generated or not meant for builds, exclude it with `paths.exclude` in .github/mcp-warden.yml.",
    cwe: [],
    owasp: [],
    key: `${p.path}#unreadable`,
  }));
}

export const supplyChain: RuleFamily = {
  id: "supply-chain",
  rules: [
    {
      id: SHELL_LAUNCH_RULE,
      title: "MCP client config launches the server through a shell",
      category: "supply-chain",
      severity: "low",
      looksFor:
        "Client-config entries whose command is `sh -c`, `bash -c`, `cmd /c` or `powershell -Command` with a command string (low); high when that string downloads code and runs it (`curl ... | sh`) or PowerShell gets an `-EncodedCommand`.",
      ignores:
        "Launches that name the program directly (`npx`, `uvx`, `node`, `docker`); `bash ./start.sh` (a local script, not a command string); `cmd /c npx -y pkg` with separate arguments and no characters cmd interprets (`& | < > ^ % ! ( )`), which is how Windows clients must start npx/uvx shims. The version of a package launched inside the wrapper is judged by MCPW-LAUNCH-001, not here.",
      remediation: 'Put the program in "command" and its arguments in "args" instead of a shell command string; never run downloaded scripts at launch.',
    },
    {
      id: REMOTE_EXEC_RULE,
      title: "Downloaded script piped into a shell or interpreter",
      category: "supply-chain",
      severity: "medium",
      looksFor:
        "`curl URL | sh`, `wget -qO- URL | sudo bash -s`, `bash -c \"$(curl URL)\"`, `sh <(curl URL)`, `iwr URL | iex` in Dockerfile RUN (medium), package.json install hooks (high), other package.json scripts and shell scripts in the server's folder (low); one level higher over plain http or with certificate checks off.",
      ignores:
        "Downloads saved to a file (`curl -o`, `wget -O file`), pipes into non-interpreters (`| tar xz`, `| jq`), `python -c` reading data from a pipe, README and other prose, and files under fixtures/testdata/.devcontainer.",
      remediation: "Download to a file, verify a pinned checksum (`sha256sum -c`), then run it; or install the tool with a pinned version or from a digest-pinned image.",
    },
    {
      id: REMOTE_ADD_RULE,
      title: "Dockerfile ADD of a remote URL without a checksum",
      category: "supply-chain",
      severity: "medium",
      looksFor: "`ADD https://...` (high over plain http) and `ADD` of a git URL not pinned to a commit, without `--checksum=`.",
      ignores: "`ADD --checksum=sha256:...`, git sources ending in `#<full commit sha>`, and local sources (`ADD ./local /app`, `COPY`).",
      remediation: "Use `ADD --checksum=sha256:<digest> URL dest`, or download in RUN and verify with `sha256sum -c`; pin git sources to a commit.",
    },
    {
      id: BASE_IMAGE_RULE,
      title: "Dockerfile base image without a tag or with :latest and no digest",
      category: "supply-chain",
      severity: "low",
      looksFor:
        "`FROM image` without a tag, or `FROM image:latest`, without `@sha256:` digest, in any stage (build-arg defaults declared before the first FROM are substituted). Category supply-chain, not unpinned-launch: the base image is a build input, like a dependency, while unpinned-launch is what an MCP client starts on a user's machine.",
      ignores: "Version tags (`node:20.11-slim`), digests (`node:20.11-slim@sha256:...`), `scratch`, `FROM <earlier stage>`, and images from build arguments without a default.",
      remediation: "Pin a version and digest (`FROM image:<version>@sha256:<digest>`) and let Renovate or Dependabot update it.",
    },
    {
      id: INSTALL_HOOK_RULE,
      title: "Server package runs code at install time (preinstall/install/postinstall)",
      category: "supply-chain",
      severity: "medium",
      looksFor:
        "`preinstall`, `install` and `postinstall` scripts in the package.json of a published (not private) server package: medium when they run anything beyond the package's own files (npx, downloads, unknown tools), low when they run a script shipped in the package (`node scripts/setup.js`).",
      ignores:
        "`prepare`, `prepublishOnly`, `build` and other scripts; private packages; hooks that only build what the package ships (tsc, node-gyp, node-gyp-build, prebuild-install, node-pre-gyp, cmake-js, husky, patch-package, `npm run <script>`), because native builds are the reason install hooks exist and flagging them would be noise nobody can act on. Hooks that pipe a download into a shell are reported as MCPW-SUPPLY-002.",
      remediation: "Move the step to build time (`prepare`/`prepublishOnly`) and publish the built files, or do the work when the server starts.",
    },
    {
      id: PYTHON_INDEX_RULE,
      title: "Python packages from an insecure or confusable index",
      category: "supply-chain",
      severity: "medium",
      looksFor:
        "`--trusted-host` / `allow-insecure-host` (medium), `--index-url http://`, `--find-links http://` (high), and `--extra-index-url` (medium, dependency confusion; high over http), in requirements files, pip.conf/pip.ini, Dockerfile RUN pip/uv install and ENV (PIP_*, UV_*), pyproject.toml `[tool.uv]` / `[[tool.uv.index]]` / `[[tool.poetry.source]]` and uv.toml; uv's `index-strategy = \"unsafe-...\"` (medium).",
      ignores: "`--index-url https://...` alone, `[[tool.uv.index]]` over https (uv takes each package from the first index that has it), localhost indexes, and values from environment variables.",
      remediation: "Use https indexes only; serve private packages through one index that proxies PyPI, or pin them to an explicit uv index in `[tool.uv.sources]`.",
    },
    {
      id: NPM_REGISTRY_RULE,
      title: "npm/yarn registry over plain http or without certificate checks",
      category: "supply-chain",
      severity: "high",
      looksFor:
        "`registry=http://` (also per scope) in .npmrc, `registry \"http://...\"` in .yarnrc, `npmRegistryServer: http://...` in .yarnrc.yml, `npm config set registry http://` / `--registry http://` in Dockerfile RUN and NPM_CONFIG_REGISTRY in ENV (high); `strict-ssl=false`, `enableStrictSsl: false` and `unsafeHttpWhitelist` (medium).",
      ignores: "https registries, localhost registries (Verdaccio on 127.0.0.1), and values from environment variables.",
      remediation: "Use the registry's https URL and keep certificate checks on (set `cafile` for a private CA).",
    },
    {
      id: UNREADABLE_RULE,
      title: "Supply-chain file could not be read",
      category: "misconfiguration",
      severity: "low",
      looksFor: "Dockerfiles that are larger than 128 KiB, binary or garbled, .yarnrc.yml and uv.toml files that do not parse, and shell scripts too large to read whole; the scan goes on without them.",
      ignores: "pyproject.toml and package.json syntax errors (reported where projects and dependencies are read).",
      remediation: "Fix the file at the reported position, or exclude it with `paths.exclude` in .github/mcp-warden.yml.",
    },
  ],
  run(ctx: RuleContext): RawFinding[] {
    const facts = ctx.manifests?.supplyChain;
    const configs = ctx.facts?.clientConfigs ?? [];
    const out = configs.flatMap(shellLaunchFindings);
    if (!facts) return out;
    return [
      ...out,
      ...remoteExecFindings(facts.remoteExecs),
      ...addFindings(facts.dockerfiles),
      ...baseImageFindings(facts.dockerfiles),
      ...installHookFindings(facts.installHooks, facts.remoteExecs),
      ...indexFindings(facts.indexSettings),
      ...problemFindings(facts.problems),
    ];
  },
};
