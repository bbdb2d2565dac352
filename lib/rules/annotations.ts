import { isLethalCombination } from "../extract/capabilities-view.js";
import type { ToolCapability, ToolDefinition } from "../extract/types.js";
import type { Confidence, RawFinding, Severity } from "../model.js";
import { toolKey } from "./tool-poisoning.js";
import type { RuleContext, RuleFamily } from "./types.js";

/**
 * Annotations that lie, and tools that hold every capability an injected prompt needs.
 *
 * MCPW-ANNOT-001 is a `misconfiguration`: annotations are settings a client trusts to decide
 * whether to ask the user before a call (many auto-approve read-only tools), and a wrong one
 * is usually a mistake rather than an attack. `tool-poisoning` stays reserved for text that
 * instructs the model, so its count keeps meaning hostile intent.
 *
 * MCPW-CAP-001 is `info` (`excessive-permissions`): the combination is not a flaw by itself,
 * so it costs no points and stays out of the issue's findings by default; the capability table
 * in the issue marks these tools, and the JSON output carries the finding.
 */

export const ANNOT_RULE = "MCPW-ANNOT-001";
export const LETHAL_RULE = "MCPW-CAP-001";

const ANNOT_REMEDIATION =
  "Make the annotations say what the handler does: set `readOnlyHint: false` (and `destructiveHint: true` when it deletes, moves or " +
  "overwrites), or move the writing, command or mutating request out of this tool into a separate tool annotated as such. Clients " +
  "use these hints to decide whether to ask the user first.";

const LETHAL_REMEDIATION =
  "Split the tool so no single tool can run commands, reach the network and read local data; restrict outgoing requests to an " +
  "allow-list of hosts; run commands without a shell from a fixed allow-list; and annotate the tool with `openWorldHint: true` " +
  "and `destructiveHint: true` so clients ask before calling it.";

/** Programs that only read, and their read-only subcommands (first word after the program). */
const READ_ONLY_PROGRAMS = new Set([
  "ls", "cat", "head", "tail", "grep", "egrep", "fgrep", "rg", "wc", "stat", "file", "du", "df", "ps", "uname", "whoami", "id", "date",
  "echo", "pwd", "which", "printenv", "uptime", "hostname", "tree", "diff", "sort", "uniq", "jq", "less", "more", "md5sum", "sha256sum",
  "shasum", "cut", "tr", "nproc", "free", "lsof", "netstat", "ss", "dig", "nslookup", "ping", "whois", "type", "realpath", "readlink",
]);
const READ_ONLY_SUBCOMMANDS: Record<string, Set<string>> = {
  git: new Set(["log", "status", "diff", "show", "blame", "rev-parse", "ls-files", "ls-tree", "cat-file", "describe", "grep", "shortlog", "rev-list", "reflog", "ls-remote", "branch", "tag", "--version", "version"]),
  kubectl: new Set(["get", "describe", "logs", "top", "explain", "version", "api-resources", "api-versions"]),
  docker: new Set(["ps", "images", "inspect", "logs", "version", "info", "stats"]),
  npm: new Set(["ls", "list", "view", "info", "outdated", "audit", "--version", "-v", "search"]),
  pip: new Set(["list", "show", "freeze", "--version"]),
  go: new Set(["list", "version", "env", "doc", "vet"]),
  gh: new Set(["view", "list", "status", "search"]),
  aws: new Set(["describe", "list", "get"]),
  find: new Set(),
};
const DESTRUCTIVE_PROGRAMS = new Set(["rm", "rmdir", "mv", "dd", "shred", "truncate", "kill", "pkill", "killall", "shutdown", "reboot", "mkfs"]);
const DESTRUCTIVE_SUBCOMMANDS: Record<string, Set<string>> = {
  git: new Set(["reset", "clean", "rm", "mv", "push", "rebase", "checkout", "restore", "stash", "filter-branch"]),
  kubectl: new Set(["delete", "drain", "replace", "scale", "rollout"]),
  docker: new Set(["rm", "rmi", "kill", "stop", "prune", "system"]),
};

/** Helpers whose writes are bookkeeping (logs, caches, metrics), not the tool's effect. */
const INCIDENTAL_HELPER = /log|debug|trace|audit|cache|telemetry|metric/i;

function programWords(program: string): string[] {
  const words = program.trim().split(/\s+/);
  if (words[0]) words[0] = words[0].split(/[\\/]/).pop() ?? words[0];
  return words;
}

/** "read-only" when the command only reads; "destructive" when it removes or moves; else "writes". */
export function commandEffect(program: string | undefined): "read-only" | "writes" | "destructive" | "unknown" {
  if (!program) return "unknown";
  const [bin = "", sub = "", ...rest] = programWords(program);
  if (/[>|;&`$]/.test(program)) return /\brm\s|\bmv\s/.test(program) ? "destructive" : "writes";
  if (DESTRUCTIVE_PROGRAMS.has(bin) || DESTRUCTIVE_SUBCOMMANDS[bin]?.has(sub)) return "destructive";
  if (bin === "find") return /-delete|-exec/.test(program) ? "destructive" : "read-only";
  if (bin === "sed" || bin === "yq") return /(^|\s)-i/.test(program) ? "writes" : "read-only";
  if (bin === "curl") return /\s-(X|d|F|T)\b|--data|--request|--upload/.test(program) ? "writes" : "read-only";
  if (READ_ONLY_PROGRAMS.has(bin)) return "read-only";
  const subs = READ_ONLY_SUBCOMMANDS[bin];
  if (subs?.has(sub) && !rest.some((w) => /^-(d|D|m|M|f)$/.test(w))) return "read-only";
  return subs || READ_ONLY_PROGRAMS.has(bin) ? "writes" : "unknown";
}

interface Offence {
  cap: ToolCapability;
  what: string;
  /** Strong: the capability certainly contradicts the hint. */
  strong: boolean;
  severe: boolean;
}

function where(c: ToolCapability): string {
  const via = c.via.length > 0 ? ` via ${c.via.join(" → ")}` : "";
  return `${c.span.path}:${c.span.line} ${c.api}${c.detail ? ` (${c.detail})` : ""}${via}`;
}

/** What contradicts `readOnlyHint: true`. */
function readOnlyOffences(caps: ToolCapability[]): Offence[] {
  const out: Offence[] = [];
  for (const c of caps) {
    if (c.kind === "writes-files") {
      // Appending to a log or filling a cache is a write, but rarely what "read-only" is about.
      const incidental = !c.destructive && (/append/i.test(c.api) || c.via.some((n) => INCIDENTAL_HELPER.test(n)));
      out.push({ cap: c, what: c.destructive ? "deletes or moves files" : "writes files", strong: !incidental, severe: !!c.destructive });
    }
    else if (c.kind === "evaluates-code") out.push({ cap: c, what: "evaluates code", strong: true, severe: true });
    else if (c.kind === "network" && c.mutating === true) out.push({ cap: c, what: `sends ${c.detail ?? "mutating"} requests`, strong: true, severe: !!c.destructive });
    else if (c.kind === "runs-commands") {
      const effect = commandEffect(c.program);
      if (effect === "read-only") continue;
      const what = effect === "unknown" && !c.program ? "runs commands chosen at run time" : `runs ${c.program ? `\`${c.program}\`` : "commands"}`;
      out.push({ cap: c, what, strong: effect !== "unknown" || !c.program, severe: effect === "destructive" || !c.program });
    }
  }
  return out;
}

/** What contradicts `destructiveHint: false` (per the MCP spec, additive updates are allowed). */
function destructiveOffences(caps: ToolCapability[]): Offence[] {
  const out: Offence[] = [];
  for (const c of caps) {
    if (c.kind === "writes-files" && c.destructive) out.push({ cap: c, what: "deletes or moves files", strong: true, severe: true });
    else if (c.kind === "network" && c.destructive) out.push({ cap: c, what: "sends DELETE requests", strong: true, severe: true });
    else if (c.kind === "runs-commands") {
      const effect = commandEffect(c.program);
      if (effect === "destructive") out.push({ cap: c, what: `runs \`${c.program}\``, strong: true, severe: true });
      else if (!c.program) out.push({ cap: c, what: "runs commands chosen at run time", strong: false, severe: false });
    }
  }
  return out;
}

function label(tool: ToolDefinition): string {
  return tool.name ? `Tool "${tool.name}"` : "A tool whose name is computed at run time";
}

function annotationFinding(tool: ToolDefinition): RawFinding | undefined {
  const caps = tool.capabilities;
  if (!caps || caps.length === 0) return undefined;
  let hint: string;
  let offences: Offence[];
  if (tool.annotations.readOnlyHint === true) {
    hint = "readOnlyHint: true";
    offences = readOnlyOffences(caps);
  } else if (tool.annotations.destructiveHint === false) {
    hint = "destructiveHint: false";
    offences = destructiveOffences(caps);
  } else return undefined;
  if (offences.length === 0) return undefined;
  offences.sort((a, b) => Number(b.strong) - Number(a.strong) || Number(b.severe) - Number(a.severe));
  const first = offences[0]!;
  const whats = [...new Set(offences.map((o) => o.what))].slice(0, 3);
  const severity: Severity = offences.some((o) => o.severe) ? "high" : offences.some((o) => o.strong) ? "medium" : "low";
  const confidence: Confidence = offences.some((o) => o.strong) ? (first.cap.via.length <= 2 ? "high" : "medium") : "low";
  const at = `${first.cap.span.path}:${first.cap.span.line}`;
  return {
    ruleId: ANNOT_RULE,
    category: "misconfiguration",
    severity,
    confidence,
    path: tool.span.path,
    line: tool.span.line,
    endLine: tool.span.endLine,
    tool: tool.name ?? undefined,
    message: `${label(tool)} is annotated \`${hint}\`, but its handler ${whats.join(", ")} (${at}); clients that skip confirmation for such tools will run it without asking.`,
    evidence: [`annotations: ${hint}`, ...offences.slice(0, 4).map((o) => where(o.cap))].join("\n"),
    remediation: ANNOT_REMEDIATION,
    cwe: ["CWE-451"],
    owasp: ["MCP02"],
    key: `${toolKey(tool)}|${hint}`,
  };
}

function lethalFinding(tool: ToolDefinition): RawFinding | undefined {
  if (!isLethalCombination(tool)) return undefined;
  const caps = tool.capabilities ?? [];
  const pick = (...kinds: string[]) => caps.find((c) => kinds.includes(c.kind));
  const exec = pick("runs-commands", "evaluates-code")!;
  const net = pick("network")!;
  const data = pick("reads-files", "reads-env")!;
  const verb = exec.kind === "runs-commands" ? "run commands" : "evaluate code";
  const local = data.kind === "reads-files" ? "read files" : "read environment secrets";
  return {
    ruleId: LETHAL_RULE,
    category: "excessive-permissions",
    severity: "info",
    confidence: "high",
    path: tool.span.path,
    line: tool.span.line,
    endLine: tool.span.endLine,
    tool: tool.name ?? undefined,
    message: `${label(tool)} can ${verb}, reach the network and ${local}: an injected prompt that reaches this tool has everything it needs to steal data.`,
    evidence: [exec, net, data].map(where).join("\n"),
    remediation: LETHAL_REMEDIATION,
    cwe: ["CWE-250"],
    owasp: ["MCP02"],
    key: `${toolKey(tool)}|lethal`,
  };
}

export const annotations: RuleFamily = {
  id: "annotations",
  rules: [
    {
      id: ANNOT_RULE,
      title: "Tool annotated read-only or non-destructive, but its handler writes, deletes or runs commands",
      category: "misconfiguration",
      severity: "medium",
      looksFor:
        "`readOnlyHint: true` on a tool whose handler (or a function it calls, in the same file or another file of the repository) " +
        "writes files, evaluates code, runs a command that is not known to be read-only, or sends a POST/PUT/PATCH/DELETE request; and " +
        "`destructiveHint: false` on one that deletes or moves files, sends DELETE requests or runs a destructive command. High when " +
        "the contradiction deletes data or runs commands chosen at run time; low when it is only an append, a write in a logging or " +
        "cache helper, or a command not known either way.",
      ignores:
        "Read-only tools that only read files, send GET requests or run read-only commands (`git log`, `ls`, `kubectl get`); tools " +
        "without annotations; writes in functions the handler never calls; additive writes under `destructiveHint: false`, which the " +
        "MCP specification allows.",
      remediation: ANNOT_REMEDIATION,
    },
    {
      id: LETHAL_RULE,
      title: "Tool can run commands, reach the network and read local data",
      category: "excessive-permissions",
      severity: "info",
      looksFor:
        "A tool whose handler can run commands or evaluate code, and send network requests, and read files or environment variables: " +
        "the combination a prompt injection needs to steal data. Informational; the issue's capability table marks these tools.",
      ignores: "Tools that have only some of these capabilities, and capabilities in code the handler never calls.",
      remediation: LETHAL_REMEDIATION,
    },
  ],
  run(ctx: RuleContext): RawFinding[] {
    const out: RawFinding[] = [];
    const seen = new Set<string>();
    for (const file of ctx.facts.files) {
      for (const tool of file.tools) {
        for (const f of [annotationFinding(tool), lethalFinding(tool)]) {
          if (!f) continue;
          const id = `${f.ruleId}|${f.path}|${f.key}`;
          if (seen.has(id)) continue;
          seen.add(id);
          out.push(f);
        }
      }
    }
    return out;
  },
};
