import { serverForPath } from "../detect/index.js";
import type { ToolDefinition } from "../extract/types.js";
import { isCodexConfigPath } from "../manifests/codex.js";
import type { ManifestProblem, ProblemKind } from "../manifests/parse-safe.js";
import { HOSTILE_KINDS, MANIFEST_LIMITS } from "../manifests/parse-safe.js";
import type { ManifestLaunch, McpbDocument, RegistryDocument, RegistryPackage, ServerJsonDocument } from "../manifests/registry-types.js";
import type { RawFinding, Severity } from "../model.js";
import { analyseLaunch } from "./launch-command.js";
import { broadPath, type BroadPath } from "./permissions.js";
import { isTestPath } from "./secrets.js";
import type { RuleContext, RuleFamily } from "./types.js";

export const MANIFEST_INVALID_RULE = "MCPW-MANIFEST-001";
export const MANIFEST_CONSISTENCY_RULE = "MCPW-MANIFEST-002";
export const MANIFEST_HTTP_RULE = "MCPW-MANIFEST-003";
export const MANIFEST_LAUNCH_RULE = "MCPW-LAUNCH-002";
export const MANIFEST_PERMISSION_RULE = "MCPW-PERM-004";

const MAX_PROBLEMS_PER_FILE = 5;
const MAX_TOOL_FINDINGS = 20;

function clip(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const FORMAT_NAMES: Record<RegistryDocument["format"], string> = {
  "server.json": "MCP registry manifest",
  "smithery.yaml": "Smithery config",
  mcpb: "MCPB bundle manifest",
  codex: "Codex MCP config",
};

// ---------- MCPW-MANIFEST-001: unreadable, invalid or hostile ----------

const SCHEMA_HELP: Record<RegistryDocument["format"], string> = {
  "server.json": "Validate it against the registry schema named in its `$schema` (https://static.modelcontextprotocol.io/schemas/), e.g. with `mcp-publisher publish --dry-run` style validation or a JSON Schema validator",
  "smithery.yaml": "Follow the smithery.yaml reference (https://smithery.ai/docs/config/smithery.yaml): `startCommand.type` is `stdio` or `http`, `commandFunction` is a string",
  mcpb: "Run `mcpb validate manifest.json` (the MCPB CLI) and fix what it reports",
  codex: "Give each `[mcp_servers.NAME]` table a `command` (with `args` as an array of strings) or a `url`, as Codex's configuration reference describes",
};

function problemRemediation(kind: ProblemKind, doc: RegistryDocument): string {
  switch (kind) {
    case "syntax":
      return "Fix the syntax at the reported line and column (an editor or validator for the format shows the problem).";
    case "schema":
      return `${SCHEMA_HELP[doc.format]}.`;
    case "duplicate-key":
      return "Keep exactly one entry per key. Parsers disagree on duplicates (JSON.parse keeps the last, others keep the first or refuse), so a reviewer and a client can read different values.";
    case "unsafe-key":
      return "Remove the `__proto__` / `constructor` key: no manifest field has that name, and JavaScript readers may treat it as the object's prototype.";
    case "too-deep":
      return `Flatten the document: real manifests nest a few levels; more than ${MANIFEST_LIMITS.maxDepth} is refused because deep nesting exhausts recursive parsers.`;
    case "alias-expansion":
      return "Remove the YAML anchors and aliases (write the values out): aliases that expand exponentially exhaust the memory of whoever reads the file.";
    case "too-large":
      return `Keep the manifest small (under ${MANIFEST_LIMITS.maxBytes / 1024} KiB): move data out of it.`;
    case "encoding":
      return "Save the file as UTF-8 text; it holds binary or invalid bytes that clients cannot read.";
  }
}

function problemFinding(doc: RegistryDocument, p: ManifestProblem): RawFinding {
  const hostile = HOSTILE_KINDS.has(p.kind);
  const what = p.kind === "schema" ? "does not match its format's schema" : hostile ? "has content that confuses or exhausts parsers" : "could not be read";
  const consequence =
    p.kind === "schema"
      ? "clients and registries may reject it or read it differently"
      : hostile
        ? "tools that read it may see different values, stall or crash"
        : "clients and registries will reject it, and its launches and settings were not checked";
  // Test fixtures are often broken on purpose: still listed, but they cost nothing.
  const fixture = isTestPath(doc.path);
  return {
    ruleId: MANIFEST_INVALID_RULE,
    category: "misconfiguration",
    severity: fixture ? "info" : hostile ? "medium" : "low",
    confidence: "high",
    path: doc.path,
    line: p.line,
    endLine: p.line,
    message: clip(`The ${FORMAT_NAMES[doc.format]} ${doc.path} ${what}: ${p.message} (line ${p.line}, column ${p.column}); ${consequence}.`, 500),
    evidence: clip(`${p.line}:${p.column} ${p.snippet ?? ""}`.trim(), 220),
    remediation: problemRemediation(p.kind, doc),
    cwe: hostile ? ["CWE-20"] : [],
    owasp: [],
    key: `${doc.path}#${p.kind}#${p.message.slice(0, 120)}`,
  };
}

function problemFindings(doc: RegistryDocument): RawFinding[] {
  return doc.problems.slice(0, MAX_PROBLEMS_PER_FILE).map((p) => problemFinding(doc, p));
}

// ---------- MCPW-LAUNCH-002: unpinned packages and launches ----------

/** Why a registry package version is not one exact version; undefined when it is. */
export function versionProblem(version: string | undefined): string | undefined {
  const v = version?.trim() ?? "";
  if (v === "") return "no version";
  if (/^(latest|next|stable|current|main|master|head|\*)$/i.test(v)) return `"${v}"`;
  if (/[\^~<>=*|,]|\s-\s|(^|\.)[xX](\.|$)/.test(v)) return `version range "${v}"`;
  return undefined;
}

/** An OCI reference with a digest (or a tag that is not `latest`) names one image. */
function ociPinnedByIdentifier(identifier: string): boolean {
  if (/@sha256:[0-9a-f]{64}$/i.test(identifier)) return true;
  const tag = /:([\w][\w.-]{0,127})$/.exec(identifier.slice(identifier.lastIndexOf("/") + 1))?.[1];
  return tag !== undefined && versionProblem(tag) === undefined;
}

function packageLaunchFinding(doc: ServerJsonDocument, pkg: RegistryPackage): RawFinding | undefined {
  const identifier = pkg.identifier ?? "";
  if (identifier === "") return undefined;
  const problem = versionProblem(pkg.version);
  if (problem === undefined) return undefined;
  if (pkg.registryType === "oci" && ociPinnedByIdentifier(identifier)) return undefined;
  const registry = pkg.registryType ?? "package";
  return {
    ruleId: MANIFEST_LAUNCH_RULE,
    category: "unpinned-launch",
    severity: "medium",
    confidence: "high",
    path: doc.path,
    line: pkg.line,
    endLine: pkg.line,
    message: clip(
      `The registry manifest publishes the ${registry} package "${identifier}" without an exact version (${problem}), so clients that install this server get whatever that package publishes next.`,
      400,
    ),
    evidence: clip(`packages[${pkg.index}]: { "registryType": ${JSON.stringify(registry)}, "identifier": ${JSON.stringify(identifier)}${pkg.version !== undefined ? `, "version": ${JSON.stringify(pkg.version)}` : ""} }`),
    remediation:
      'Set `"version"` to the exact version you released and reviewed (e.g. "1.2.3"; the registry rejects ranges and "latest"), and update it with each release, ideally from your release workflow.',
    cwe: ["CWE-829"],
    owasp: ["MCP04"],
    key: `${doc.path}#package#${registry}#${identifier}`,
  };
}

function jsonArray(items: string[]): string {
  return `[${items.map((a) => JSON.stringify(a)).join(", ")}]`;
}

function commandLaunchFindings(doc: RegistryDocument, launch: ManifestLaunch): RawFinding[] {
  const { packages } = analyseLaunch(launch.command, launch.args);
  return packages
    .filter((pkg) => !pkg.pinned)
    .map((pkg) => ({
      ruleId: MANIFEST_LAUNCH_RULE,
      category: "unpinned-launch" as const,
      severity: "medium" as const,
      confidence: "high" as const,
      path: doc.path,
      line: launch.line,
      endLine: Math.max(launch.line, launch.endLine),
      message: clip(
        `The ${FORMAT_NAMES[doc.format]} starts the server (\`${launch.label}\`) by running the ${pkg.ecosystem === "npm" ? "npm" : "PyPI"} package "${pkg.name}" with ${pkg.runner} without an exact version (${pkg.problem}), so every start runs whatever that package publishes next.`,
        400,
      ),
      evidence: clip(`command: ${JSON.stringify(launch.command ?? "")}, args: ${jsonArray(launch.args)}`),
      remediation: clip(
        `Pin an exact version, e.g. \`${pkg.pinnedExample}\` where 1.2.3 stands for the version you reviewed, or depend on the package in package.json / pyproject.toml and run the locked copy.`,
        500,
      ),
      cwe: ["CWE-829"],
      owasp: ["MCP04"],
      key: `${doc.path}#${launch.label}#${pkg.name}`,
    }));
}

function launchFindings(doc: RegistryDocument): RawFinding[] {
  switch (doc.format) {
    case "server.json":
      return doc.packages.flatMap((p) => packageLaunchFinding(doc, p) ?? []);
    case "smithery.yaml":
    case "mcpb":
      return doc.launches.flatMap((l) => commandLaunchFindings(doc, l));
    default:
      // Codex servers are client configs: MCPW-LAUNCH-001 reads them.
      return [];
  }
}

// ---------- MCPW-MANIFEST-003: remote servers over plain HTTP ----------

/** True for an `http://` URL whose host is neither loopback nor a template variable. */
export function isInsecureRemoteUrl(url: string): boolean {
  const m = /^http:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^/:?#]*)/i.exec(url.trim());
  if (!m) return false;
  const host = m[1].toLowerCase();
  if (host === "" || /[{}$%<>]/.test(host)) return false;
  if (host === "localhost" || host.endsWith(".localhost") || host === "host.docker.internal") return false;
  if (/^127\.\d+\.\d+\.\d+$/.test(host) || host === "0.0.0.0" || host === "[::1]" || host === "[::]") return false;
  return true;
}

function httpFinding(doc: RegistryDocument, where: string, url: string, line: number, severity: Severity): RawFinding {
  return {
    ruleId: MANIFEST_HTTP_RULE,
    category: "insecure-transport",
    severity,
    confidence: "high",
    path: doc.path,
    line,
    endLine: line,
    message: clip(`The ${FORMAT_NAMES[doc.format]} points ${where} at ${url} over plain HTTP, so anyone on the network path can read and change the MCP traffic, including tokens and tool results.`, 400),
    evidence: clip(`${where}: ${url}`),
    remediation: `Serve the endpoint over HTTPS and use \`${url.replace(/^http:/i, "https:")}\`; plain \`http://\` is only reasonable for localhost.`,
    cwe: ["CWE-319"],
    owasp: ["MCP07"],
    key: `${doc.path}#${where}#${url}`,
  };
}

function httpFindings(doc: RegistryDocument): RawFinding[] {
  const out: RawFinding[] = [];
  if (doc.format === "server.json") {
    for (const r of doc.remotes) {
      if (r.url && isInsecureRemoteUrl(r.url)) out.push(httpFinding(doc, `remote #${r.index + 1} (${r.type ?? "remote"})`, r.url, r.line, "high"));
    }
    for (const p of doc.packages) {
      if (p.transportUrl && isInsecureRemoteUrl(p.transportUrl)) {
        out.push(httpFinding(doc, `the ${p.transportType ?? "HTTP"} transport of package "${p.identifier ?? p.index}"`, p.transportUrl, p.transportUrlLine ?? p.line, "medium"));
      }
    }
  } else if (doc.format === "codex") {
    for (const s of doc.servers) {
      if (s.url && isInsecureRemoteUrl(s.url)) out.push(httpFinding(doc, `server "${s.name}"`, s.url, s.line, "medium"));
    }
  }
  return out;
}

/** JSON client configs (`.mcp.json`, `.cursor/mcp.json`, ...) that reach a remote server over plain HTTP. */
function clientConfigHttpFindings(ctx: RuleContext): RawFinding[] {
  const out: RawFinding[] = [];
  for (const file of ctx.facts?.clientConfigs ?? []) {
    // Codex configs are registry documents too and are reported above.
    if (isCodexConfigPath(file.path)) continue;
    for (const s of file.servers) {
      if (!s.url || !isInsecureRemoteUrl(s.url)) continue;
      out.push({
        ruleId: MANIFEST_HTTP_RULE,
        category: "insecure-transport",
        severity: "medium",
        confidence: "high",
        path: file.path,
        line: s.span.line,
        endLine: s.span.endLine,
        message: clip(`The MCP client config connects server "${s.name}" to ${s.url} over plain HTTP, so anyone on the network path can read and change the MCP traffic, including tokens and tool results.`, 400),
        evidence: clip(`server "${s.name}": ${s.url}`),
        remediation: `Use \`${s.url.replace(/^http:/i, "https:")}\`; plain \`http://\` is only reasonable for localhost.`,
        cwe: ["CWE-319"],
        owasp: ["MCP07"],
        key: `${file.path}#client#${s.name}#${s.url}`,
      });
    }
  }
  return out;
}

// ---------- MCPW-MANIFEST-002: manifest and code disagree ----------

/** Tools defined in the code of the manifest's server, or undefined when that cannot be known. */
function codeToolsFor(ctx: RuleContext, manifestPath: string): Map<string, ToolDefinition> | undefined {
  const root = serverForPath(ctx.servers, manifestPath);
  const files = (ctx.facts?.files ?? []).filter((f) => serverForPath(ctx.servers, f.path) === root);
  // A file that did not parse, or a tool whose name is computed, may hide any tool name.
  if (files.some((f) => f.problems.length > 0)) return undefined;
  const tools = files.flatMap((f) => f.tools);
  if (tools.length === 0 || tools.some((t) => t.name === null)) return undefined;
  return new Map(tools.map((t) => [t.name as string, t]));
}

function toolConsistency(ctx: RuleContext, doc: ServerJsonDocument | McpbDocument): RawFinding[] {
  if (!doc.tools) return [];
  const code = codeToolsFor(ctx, doc.path);
  if (!code) return [];
  const declared = new Map(doc.tools.map((t) => [t.name, t]));
  const out: RawFinding[] = [];
  const manifestName = FORMAT_NAMES[doc.format];
  for (const tool of declared.values()) {
    if (code.has(tool.name) || out.length >= MAX_TOOL_FINDINGS) continue;
    out.push({
      ruleId: MANIFEST_CONSISTENCY_RULE,
      category: "misconfiguration",
      severity: "low",
      confidence: "medium",
      path: doc.path,
      line: tool.line,
      endLine: tool.line,
      tool: tool.name,
      message: clip(`The ${manifestName} declares the tool "${tool.name}", but the server's code defines no tool of that name, so users approve a tool list that is not what runs.`, 400),
      evidence: clip(`declared: "${tool.name}"; defined in code: ${[...code.keys()].slice(0, 10).map((n) => `"${n}"`).join(", ")}`),
      remediation: "Make the manifest's `tools` list exactly the tools the server registers: remove or rename the stale entry.",
      cwe: [],
      owasp: ["MCP03"],
      key: `${doc.path}#declared-not-defined#${tool.name}`,
    });
  }
  // A manifest that says its tools are generated at run time does not claim to list them all.
  if (doc.format === "mcpb" && doc.toolsGenerated) return out;
  for (const [name, tool] of code) {
    if (declared.has(name) || out.length >= MAX_TOOL_FINDINGS) continue;
    out.push({
      ruleId: MANIFEST_CONSISTENCY_RULE,
      category: "misconfiguration",
      severity: "medium",
      confidence: "medium",
      path: doc.path,
      line: doc.toolsLine ?? 1,
      endLine: doc.toolsLine ?? 1,
      tool: name,
      message: clip(`The server's code defines the tool "${name}" (${tool.span.path}:${tool.span.line}), but the ${manifestName} ${doc.path} does not declare it, so users who review the manifest never see that tool.`, 400),
      evidence: clip(`${tool.span.path}:${tool.span.line} defines "${name}"; ${doc.path} declares ${[...declared.keys()].slice(0, 10).map((n) => `"${n}"`).join(", ") || "no tools"}`),
      remediation: `Add "${name}" with its description to the manifest's \`tools\` list${doc.format === "mcpb" ? " (or set `tools_generated: true` when tools are created at run time)" : ""}, or remove the tool from the code.`,
      cwe: [],
      owasp: ["MCP03"],
      key: `${doc.path}#defined-not-declared#${name}`,
    });
  }
  return out;
}

function nameConsistency(doc: ServerJsonDocument): RawFinding[] {
  const pkg = doc.packageJson;
  if (!pkg) return [];
  const out: RawFinding[] = [];
  const npm = doc.packages.filter((p) => p.registryType === "npm" && p.identifier);
  if (pkg.name !== undefined && npm.length > 0 && !npm.some((p) => p.identifier === pkg.name)) {
    const first = npm[0];
    out.push({
      ruleId: MANIFEST_CONSISTENCY_RULE,
      category: "misconfiguration",
      severity: "medium",
      confidence: "high",
      path: doc.path,
      line: first.line,
      endLine: first.line,
      message: clip(`The registry manifest publishes the npm package "${first.identifier}", but ${pkg.path} in the same folder is "${pkg.name}", so users install a package other than the code in this repository.`, 400),
      evidence: clip(`${doc.path}: "identifier": ${JSON.stringify(first.identifier)}; ${pkg.path}: "name": ${JSON.stringify(pkg.name)}`),
      remediation: `Set the package's \`identifier\` to "${pkg.name}" (or rename the package), so the registry entry points at the package built from this code.`,
      cwe: [],
      owasp: ["MCP04"],
      key: `${doc.path}#package-name#${first.identifier}#${pkg.name}`,
    });
  }
  if (pkg.mcpName !== undefined && doc.name !== undefined && pkg.mcpName !== doc.name) {
    out.push({
      ruleId: MANIFEST_CONSISTENCY_RULE,
      category: "misconfiguration",
      severity: "low",
      confidence: "high",
      path: doc.path,
      line: doc.nameLine,
      endLine: doc.nameLine,
      message: clip(`The registry manifest is named "${doc.name}", but \`mcpName\` in ${pkg.path} is "${pkg.mcpName}"; the registry verifies package ownership with that field, so publishing fails or points at the wrong entry.`, 400),
      evidence: clip(`${doc.path}: "name": ${JSON.stringify(doc.name)}; ${pkg.path}: "mcpName": ${JSON.stringify(pkg.mcpName)}`),
      remediation: `Make \`mcpName\` in ${pkg.path} and \`name\` in ${doc.path} the same reverse-DNS name (e.g. "io.github.owner/server").`,
      cwe: [],
      owasp: [],
      key: `${doc.path}#mcp-name#${doc.name}#${pkg.mcpName}`,
    });
  }
  return out;
}

// ---------- MCPW-PERM-004: whole-disk or whole-home access in MCPB ----------

const REACH: Record<BroadPath, string> = {
  root: "the whole file system",
  drive: "a whole drive",
  "all-homes": "every user's home folder",
  home: "the user's whole home folder (SSH keys, cloud credentials, browser profiles)",
};

function permissionFinding(doc: McpbDocument, where: string, value: string, scope: BroadPath, line: number): RawFinding {
  const reach = REACH[scope];
  return {
    ruleId: MANIFEST_PERMISSION_RULE,
    category: "excessive-permissions",
    severity: scope === "home" ? "medium" : "high",
    confidence: "high",
    path: doc.path,
    line,
    endLine: line,
    message: clip(`The MCPB bundle manifest grants ${where} ${JSON.stringify(value)}, which gives the server ${reach} unless the user narrows it.`, 400),
    evidence: clip(`${where}: ${JSON.stringify(value)}`),
    remediation:
      'Default to a narrow folder the server needs (e.g. "${HOME}/Documents/my-project" or "${DOCUMENTS}"), or leave the default empty with `required: true` so the user picks one.',
    cwe: ["CWE-250"],
    owasp: ["MCP02"],
    key: `${doc.path}#${where}#${value}`,
  };
}

function permissionFindings(doc: McpbDocument): RawFinding[] {
  const out: RawFinding[] = [];
  for (const option of doc.userConfig) {
    if (option.type !== "directory" && option.type !== "file") continue;
    for (const d of option.defaults) {
      const scope = broadPath(d);
      if (scope) out.push(permissionFinding(doc, `the default of user_config "${option.key}" (${option.type})`, d, scope, option.line));
    }
  }
  for (const p of doc.permissionPaths) {
    const scope = broadPath(p.value);
    if (scope) out.push(permissionFinding(doc, `\`${p.path}\``, p.value, scope, p.line));
  }
  for (const launch of doc.launches) {
    for (const arg of launch.args) {
      const scope = broadPath(arg);
      if (scope) out.push(permissionFinding(doc, `the argument of \`${launch.label}\``, arg, scope, launch.line));
    }
  }
  return out;
}

// ---------- family ----------

function documentFindings(ctx: RuleContext, doc: RegistryDocument): RawFinding[] {
  const findings = problemFindings(doc);
  if (!doc.valid && doc.format !== "codex") return findings;
  findings.push(...launchFindings(doc), ...httpFindings(doc));
  if (doc.format === "server.json") findings.push(...toolConsistency(ctx, doc), ...nameConsistency(doc));
  if (doc.format === "mcpb") findings.push(...toolConsistency(ctx, doc), ...permissionFindings(doc));
  return findings;
}

export const manifests: RuleFamily = {
  id: "manifests",
  rules: [
    {
      id: MANIFEST_INVALID_RULE,
      title: "Registry manifest or Codex config cannot be read, does not match its schema, or is hostile to parsers",
      category: "misconfiguration",
      severity: "low",
      looksFor:
        "server.json, smithery.yaml, MCPB manifest.json and .codex/config.toml files with syntax errors, schema violations (wrong types, missing required fields), duplicate keys, `__proto__`/`constructor` keys, nesting deeper than 32 levels, YAML alias bombs, more than 256 KiB, or binary/invalid UTF-8 content. Medium for the hostile cases (duplicate or prototype keys, deep nesting, alias expansion).",
      ignores:
        "Files under test, fixture and example folders are reported as info only (often broken on purpose); server.json and manifest.json files that belong to other software (no registry `$schema`, no `packages`/`remotes`; no MCPB `server` with `manifest_version`/`dxt_version`), unknown extra fields, and the rest of a Codex config outside `mcp_servers`.",
      remediation: "Fix the reported line and column; validate with the format's own tool (`mcpb validate`, the registry's JSON Schema); keep one entry per key and no YAML aliases.",
    },
    {
      id: MANIFEST_CONSISTENCY_RULE,
      title: "Manifest and code disagree: undeclared or missing tools, or a package name that is not this repository's",
      category: "misconfiguration",
      severity: "medium",
      looksFor:
        "Tools the server's code defines that its MCPB manifest (or a `tools` list in server.json) does not declare (medium), declared tools the code does not define (low), a server.json npm package whose identifier differs from package.json `name` in the same folder (medium), and package.json `mcpName` that differs from server.json `name` (low).",
      ignores:
        "Servers where any tool name is computed at run time or a source file did not parse (inconclusive), servers whose code shows no tools at all, manifests without a tools list, the code-to-manifest direction when the MCPB manifest sets `tools_generated: true`, and packages of other registries (pypi, oci, nuget).",
      remediation: "Make the manifest's `tools` exactly the tools the server registers, and the package identifier and `mcpName` match package.json and server.json `name`.",
    },
    {
      id: MANIFEST_HTTP_RULE,
      title: "Registry manifest or Codex config reaches a remote MCP server over plain HTTP",
      category: "insecure-transport",
      severity: "high",
      looksFor:
        "`http://` URLs in server.json `remotes` (high), in a package's streamable-http/SSE transport (medium) in Codex `mcp_servers.*.url` and in the `url` of JSON MCP client configs (medium).",
      ignores: "localhost, *.localhost, 127.0.0.0/8, [::1], 0.0.0.0, host.docker.internal, and URL templates whose host is a `{variable}`.",
      remediation: "Serve the endpoint over HTTPS and use the `https://` URL; keep `http://` for localhost only.",
    },
    {
      id: MANIFEST_LAUNCH_RULE,
      title: "Registry manifest publishes or launches a package without an exact version",
      category: "unpinned-launch",
      severity: "medium",
      looksFor:
        'server.json packages without `version`, with "latest" or with a range (^, ~, >=, 1.x, *), and smithery.yaml `commandFunction` / MCPB `mcp_config` launches through npx, npm exec, pnpm/yarn dlx, bunx, uvx or pipx of a package without an exact version.',
      ignores:
        "Exact versions, git URLs pinned to a full commit hash, OCI images pinned by digest or a non-latest tag in the identifier, local paths, and arguments computed from the user's config (unknowable). Codex configs are checked by MCPW-LAUNCH-001 like other client configs.",
      remediation: 'Set `"version"` (or the package spec in the launch) to the exact version you reviewed, e.g. `pkg@1.2.3` / `pkg==1.2.3`, and update it deliberately.',
    },
    {
      id: MANIFEST_PERMISSION_RULE,
      title: "MCPB bundle gives the server the whole disk or the whole home folder by default",
      category: "excessive-permissions",
      severity: "medium",
      looksFor:
        "MCPB `user_config` options of type directory or file whose default is `/`, a drive root (`C:\\`), `/home`, `/Users`, or a home folder (`~`, `$HOME`, `${HOME}`, `%USERPROFILE%`, `/Users/name`), the same values in a `permissions` object or as an `mcp_config` argument (the same path test as MCPW-PERM-001). High for a disk, drive or all homes, medium for one home folder.",
      ignores: 'Narrower defaults such as "${HOME}/Desktop" or "${DOCUMENTS}", options of other types, and values taken from the user at install time.',
      remediation: "Default to the narrow folder the server needs, or no default with `required: true` so the user chooses.",
    },
  ],
  run(ctx: RuleContext): RawFinding[] {
    const documents = ctx.manifests?.registry?.documents ?? [];
    return [...documents.flatMap((doc) => documentFindings(ctx, doc)), ...clientConfigHttpFindings(ctx)];
  },
};
