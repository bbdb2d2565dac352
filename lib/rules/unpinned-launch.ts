import type { ClientConfigFile, ClientConfigServer } from "../extract/client-config.js";
import type { RawFinding } from "../model.js";
import { analyseContainerLaunch, analyseLaunch, type LaunchedPackage } from "./launch-command.js";
import type { RuleContext, RuleFamily } from "./types.js";

export const LAUNCH_RULE = "MCPW-LAUNCH-001";
export const CONFIG_PARSE_RULE = "MCPW-CONFIG-001";
export const IMAGE_RULE = "MCPW-LAUNCH-003";

const MAX_EVIDENCE = 300;

function clip(text: string, max = MAX_EVIDENCE): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function jsonArray(items: string[]): string {
  return `[${items.map((a) => JSON.stringify(a)).join(", ")}]`;
}

function evidenceOf(server: ClientConfigServer): string {
  const parts = [`"${server.name}": {`];
  if (server.command !== undefined) parts.push(` "command": ${JSON.stringify(server.command)},`);
  parts.push(` "args": ${jsonArray(server.args)} }`);
  return clip(parts.join(""));
}

/** The server's args with the unpinned spec replaced by its pinned form. */
function pinnedArgs(server: ClientConfigServer, pkg: LaunchedPackage, tokens: string[]): string {
  const fixed = [...tokens];
  const original = fixed[pkg.tokenIndex];
  fixed[pkg.tokenIndex] = original.includes("=") && original.startsWith("-")
    ? `${original.slice(0, original.indexOf("=") + 1)}${pkg.pinnedExample}`
    : original === pkg.spec
      ? pkg.pinnedExample
      : original.replace(pkg.spec, pkg.pinnedExample);
  // Show the args in the shape the file uses: `command` separate when it was.
  const sameShape = server.command !== undefined && tokens.length === server.args.length + 1 && tokens[0] === server.command;
  const shown = sameShape ? `"args": ${jsonArray(fixed.slice(1))}` : `"command": ${JSON.stringify(fixed[0])}, "args": ${jsonArray(fixed.slice(1))}`;
  // As code, so the report shows it literally: in prose a URL argument is de-linked with an
  // invisible character that would end up in the user's config when copied.
  return shown.includes("`") || shown.length > 200 ? shown : `\`${shown}\``;
}

function versionHint(pkg: LaunchedPackage): string {
  if (pkg.problem === "git reference without a commit hash") return "the commit is the full hash of the revision you reviewed";
  return pkg.ecosystem === "npm"
    ? `1.2.3 stands for the version you reviewed (\`npm view ${pkg.name} version\` shows the newest)`
    : `1.2.3 stands for the version you reviewed (\`pip index versions ${pkg.name}\` lists them)`;
}

/**
 * npx, `npm exec` and bunx use the project's own installed copy when the package is a declared
 * dependency next to the config: that version is fixed by the lockfile, so there is nothing to pin.
 */
function installedLocally(ctx: RuleContext, file: ClientConfigFile, pkg: LaunchedPackage): boolean {
  if (pkg.ecosystem !== "npm" || !(pkg.runner === "npx" || pkg.runner === "npm exec" || pkg.runner === "bunx")) return false;
  const configDir = file.path.includes("/") ? file.path.slice(0, file.path.lastIndexOf("/")) : "";
  const deps = [...(ctx.deps?.dependencies ?? []), ...(ctx.deps?.unresolved ?? [])];
  return deps.some((d) => {
    if (d.ecosystem !== "npm" || !d.direct || d.name !== pkg.name) return false;
    const depDir = d.path.includes("/") ? d.path.slice(0, d.path.lastIndexOf("/")) : "";
    return depDir === "" || configDir === depDir || configDir.startsWith(`${depDir}/`);
  });
}

function launchFindings(ctx: RuleContext, file: ClientConfigFile): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const server of file.servers) {
    if (server.command === undefined && server.args.length === 0) continue; // remote (url) server
    const { tokens, packages } = analyseLaunch(server.command, server.args);
    for (const pkg of packages) {
      if (pkg.pinned || installedLocally(ctx, file, pkg)) continue;
      const what = pkg.role === "with" ? "installs the extra package" : `launches the ${pkg.ecosystem === "npm" ? "npm" : "PyPI"} package`;
      findings.push({
        ruleId: LAUNCH_RULE,
        category: "unpinned-launch",
        severity: "medium",
        confidence: "high",
        path: file.path,
        line: server.span.line,
        endLine: server.span.endLine,
        message: clip(
          `MCP server entry "${server.name}" ${what} "${pkg.name}" with ${pkg.runner} without an exact version (${pkg.problem}), so every client start runs whatever that package publishes next.`,
          400,
        ),
        evidence: evidenceOf(server),
        remediation: clip(
          `Pin an exact version, e.g. ${pinnedArgs(server, pkg, tokens)}, where ${versionHint(pkg)}, and update it deliberately after reviewing the changes.`,
          600,
        ),
        cwe: ["CWE-829"],
        owasp: ["MCP04"],
        key: `${file.path}#${server.name}#${pkg.name}`,
      });
    }
  }
  return findings;
}

/**
 * `docker run image` / `podman run image:latest`: without a digest (or at least a version tag)
 * every client start pulls whatever the tag points to now. A version tag without a digest is
 * not reported: it is what registries document, and reporting it would flag nearly every config.
 */
function imageFindings(file: ClientConfigFile): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const server of file.servers) {
    if (server.command === undefined && server.args.length === 0) continue;
    const launch = analyseContainerLaunch(server.command, server.args);
    const image = launch?.image;
    if (!launch || !image || image.digest !== undefined) continue;
    if (image.tag !== undefined && image.tag.toLowerCase() !== "latest") continue;
    const problem = image.tag === undefined ? "no tag, so it means :latest" : "the tag :latest";
    findings.push({
      ruleId: IMAGE_RULE,
      category: "unpinned-launch",
      severity: "medium",
      confidence: "high",
      path: file.path,
      line: server.span.line,
      endLine: server.span.endLine,
      message: clip(
        `MCP server entry "${server.name}" runs the container image "${image.ref}" with ${launch.engine} run and ${problem}, so every client start may run a different image.`,
        400,
      ),
      evidence: evidenceOf(server),
      remediation: clip(
        `Pin the image by digest, e.g. \`${image.name}:1.2.3@sha256:<digest>\` (\`docker buildx imagetools inspect ${image.name}:1.2.3\` prints it), and update it deliberately after reviewing the new image.`,
        600,
      ),
      cwe: ["CWE-829"],
      owasp: ["MCP04"],
      key: `${file.path}#${server.name}#image:${image.name}`,
    });
  }
  return findings;
}

function parseErrorFinding(file: ClientConfigFile): RawFinding[] {
  if (!file.error) return [];
  return [
    {
      ruleId: CONFIG_PARSE_RULE,
      category: "misconfiguration",
      severity: "low",
      confidence: "high",
      path: file.path,
      line: file.error.line,
      endLine: file.error.line,
      message: `The MCP client config ${file.path} is not valid JSON (${file.error.message} at line ${file.error.line}, column ${file.error.column}); clients will refuse it or read it partly.`,
      evidence: `${file.error.message} at ${file.error.line}:${file.error.column}`,
      remediation: "Fix the syntax at the reported position (your editor or a JSON validator shows the problem).",
      cwe: [],
      owasp: [],
      key: `${file.path}#parse-error`,
    },
  ];
}

export const unpinnedLaunch: RuleFamily = {
  id: "unpinned-launch",
  rules: [
    {
      id: LAUNCH_RULE,
      title: "MCP client config launches a package with npx/uvx without pinning an exact version",
      category: "unpinned-launch",
      severity: "medium",
      looksFor:
        "Client-config entries that download and run a package on every start (npx, npm exec, pnpm dlx, yarn dlx, bunx, uvx, uv tool run, pipx run) with no version, a range, a dist-tag such as @latest, or a git reference without a commit hash; also inside `cmd /c`, `sh -c` and `env` wrappers.",
      ignores:
        "Exact versions (pkg@1.2.3, pkg==1.2.3), git references pinned to a full commit hash, local paths, values from client inputs or variables, and npx/bunx of a package the project itself declares (its lockfile fixes the version).",
      remediation: "Pin an exact version in the args (e.g. `pkg@1.2.3`, `pkg==1.2.3`) and update it deliberately after reviewing the changes.",
    },
    {
      id: IMAGE_RULE,
      title: "MCP client config runs a container image without a tag or with :latest and no digest",
      category: "unpinned-launch",
      severity: "medium",
      looksFor: "`docker run` / `podman run` / `nerdctl run` launches in client configs whose image has no tag or the tag latest, and no @sha256 digest.",
      ignores: "Images pinned by digest (`image@sha256:...`, `image:1.2@sha256:...`), images with a version tag, and images named through variables or client inputs.",
      remediation: "Pin the image by digest (`image:1.2.3@sha256:<digest>`) and update it deliberately after reviewing the new image.",
    },
    {
      id: CONFIG_PARSE_RULE,
      title: "MCP client config is not valid JSON",
      category: "misconfiguration",
      severity: "low",
      looksFor: "MCP client configs (.mcp.json, mcp.json, .cursor/mcp.json, .vscode/mcp.json, claude_desktop_config.json, ...) that do not parse as JSON/JSONC, with the parser's line and column.",
      ignores: "Comments and trailing commas, which the clients accept; settings files that declare no MCP servers.",
      remediation: "Fix the syntax at the reported position (your editor or a JSON validator shows the problem).",
    },
  ],
  run(ctx: RuleContext): RawFinding[] {
    // The pipeline fills clientConfigs; reading them here keeps the family usable on its own.
    const files = ctx.facts?.clientConfigs ?? [];
    return files.flatMap((file) => [...parseErrorFinding(file), ...launchFindings(ctx, file), ...imageFindings(file)]);
  },
};
