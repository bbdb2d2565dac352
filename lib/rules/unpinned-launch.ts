import type { ClientConfigFile, ClientConfigServer } from "../extract/client-config.js";
import type { RawFinding } from "../model.js";
import { analyseLaunch, type LaunchedPackage } from "./launch-command.js";
import type { RuleContext, RuleFamily } from "./types.js";

export const LAUNCH_RULE = "MCPW-LAUNCH-001";
export const CONFIG_PARSE_RULE = "MCPW-CONFIG-001";

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
    { id: LAUNCH_RULE, title: "MCP client config launches a package with npx/uvx without pinning an exact version" },
    { id: CONFIG_PARSE_RULE, title: "MCP client config is not valid JSON" },
  ],
  run(ctx: RuleContext): RawFinding[] {
    // The pipeline fills clientConfigs; reading them here keeps the family usable on its own.
    const files = ctx.facts?.clientConfigs ?? [];
    return files.flatMap((file) => [...parseErrorFinding(file), ...launchFindings(ctx, file)]);
  },
};
