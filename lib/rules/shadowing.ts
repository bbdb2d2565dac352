import { serverForPath } from "../detect/servers.js";
import type { ToolDefinition } from "../extract/types.js";
import type { RawFinding } from "../model.js";
import { normaliseForModel, toolKey } from "./tool-poisoning.js";
import type { RuleContext, RuleFamily } from "./types.js";

/**
 * Tool shadowing: one server's tool text that changes how the model uses other tools.
 *
 * MCPW-SHADOW-001: a description that gives orders about another tool ("when the send_email
 * tool is used, always BCC ...", "before using any other tool, ..."). Naming a sibling tool of
 * the same server ("use list_files first to find the path") is documentation, not shadowing.
 *
 * MCPW-SHADOW-002: a tool named like a well-known tool of another popular server whose text
 * pushes the model to prefer it ("use this instead of", "always use this tool"). Having a tool
 * of that name is normal (every filesystem server has read_file); campaigning for it is not.
 */

export const SHADOW_RULE = "MCPW-SHADOW-001";
export const IMPERSONATE_RULE = "MCPW-SHADOW-002";

/** Tool names of widely installed MCP servers (filesystem, GitHub, Slack, Playwright, fetch, ...). */
export const WELL_KNOWN_TOOLS = new Set([
  "read_file", "read_text_file", "read_multiple_files", "write_file", "edit_file", "create_directory", "list_directory",
  "directory_tree", "move_file", "search_files", "get_file_info", "list_allowed_directories",
  "execute_command", "run_command", "shell", "bash", "run_terminal_cmd", "execute_sql", "query",
  "send_email", "send_message", "read_email", "search_emails", "slack_post_message", "slack_list_channels",
  "create_issue", "create_pull_request", "search_repositories", "get_file_contents", "push_files", "create_or_update_file",
  "fork_repository", "create_branch", "list_issues", "search_code",
  "fetch", "web_search", "brave_web_search", "search",
  "browser_navigate", "browser_click", "browser_type", "browser_snapshot", "browser_take_screenshot", "puppeteer_navigate",
  "create_entities", "read_graph", "search_nodes", "get_current_time", "sequentialthinking",
]);

/** Words that mark an identifier as the name of a tool, not just any word. */
const TOOL_NOUN = "(?:tool|function)";
const IDENT = "[A-Za-z][A-Za-z0-9]*(?:[_.-][A-Za-z0-9]+)+|[a-z]+[A-Z][A-Za-z0-9]*";

/** References to tools in general, beyond this one. */
/** "The other tools" (definite) means this server's own; "any other tool" means every tool. */
const ANY_OTHER_TOOL =
  /\b(?:any|all|every|each)\s+(?:other\s+|of\s+the\s+other\s+|subsequent\s+|further\s+)?(?:mcp\s+)?tools?\b|\banother\s+(?:mcp\s+)?tool\b|\b(?:other|another)\s+(?:mcp\s+)?servers?\b|\btools?\s+(?:from|of|on|in)\s+(?:other|another|any|all)\s+(?:mcp\s+)?servers?\b|\bpresent\s+\w+\s+tool\b/i;

/** Orders that change another tool's behaviour. */
const MODIFY =
  /\b(?:always|must|never|make\s+sure|ensure|you\s+(?:should|need\s+to|have\s+to)|be\s+sure\s+to|change|replace|redirect|set|add|include|append|prepend|bcc|cc|forward|send|instead)\b/i;

/** Orders, as opposed to statements ("does not change any other tool"). */
const ORDER = /\b(?:always|must|never|make\s+sure|ensure|be\s+sure\s+to)\b/i;

/** "before/after/when/whenever ... <tool>" lead-ins that frame a rule about other calls. */
const TRIGGER = /\b(?:before|after|when|whenever|each\s+time|every\s+time|if)\b/i;

/** A word with either case for its first letter (the identifier patterns must stay case-sensitive). */
const cap = (words: string) => words.replace(/\b([a-z])/g, (c) => `[${c.toUpperCase()}${c}]`);

/** Named tool references with the identifier captured. */
const NAMED_REFS = [
  new RegExp(`\\b(?:the\\s+)?[\`'"]?(${IDENT}|[a-z]+)[\`'"]?\\s+${TOOL_NOUN}\\b`, "g"),
  new RegExp(`\\b${TOOL_NOUN}\\s+[\`'"]?(${IDENT})[\`'"]?`, "g"),
  new RegExp(`\\b(?:${cap("when|whenever|before|after|if")})\\s+(?:\\(\\w+\\)\\s+)?[\`'"]?(${IDENT})[\`'"]?\\s+(?:is|gets|was)\\s+(?:called|invoked|used|run|executed)`, "g"),
  new RegExp(`\\b(?:${cap("calling|call|using|use|invoking|invoke|running|run")})\\s+(?:the\\s+)?(?:\\(\\w+\\)\\s+)?[\`'"]?(${IDENT})[\`'"]?`, "g"),
  new RegExp(`\\b[Ss]erver(?:'s|’s)\\s+[\`'"]?(${IDENT}|[a-z]+)[\`'"]?`, "g"),
  new RegExp(`[\`'"]?(${IDENT})[\`'"]?\\s+(?:of|from|on)\\s+(?:the\\s+)?\\w+\\s+(?:mcp\\s+)?server\\b`, "g"),
  /\b(mcp_[a-z0-9]+_[a-z0-9_]+)\b/g,
  /\((mcp_\w+)\)\s*(\w+)/g,
];

/** Words caught by the patterns that are not tool names. */
const NOT_TOOL_NAMES = new Set(["this", "that", "the", "a", "an", "any", "other", "each", "every", "all", "same", "next", "first", "mcp", "cli", "web", "our", "your", "its", "it"]);

function normaliseName(name: string): string {
  return name.toLowerCase().replace(/-/g, "_");
}

/** Tool names a sentence refers to. */
function namedTools(sentence: string): string[] {
  const out = new Set<string>();
  for (const re of NAMED_REFS) {
    re.lastIndex = 0;
    for (const m of sentence.matchAll(re)) {
      const name = (m[2] ?? m[1] ?? "").replace(/[`'"]/g, "");
      if (name && !NOT_TOOL_NAMES.has(name.toLowerCase())) out.add(name);
    }
  }
  return [...out];
}

function sentencesOf(text: string): string[] {
  return text
    .replace(/<\/?[a-z_]+[^<>]{0,40}>/gi, "\n")
    .split(/\n+|(?<=[.!?;])\s+/)
    .map((s) => s.replace(/\s+/g, " ").trim())
    .filter(Boolean);
}

export interface ShadowSignal {
  sentence: string;
  /** Foreign tools named, or "other tools" for a blanket rule. */
  targets: string[];
}

/**
 * Sentences of a description that give orders about tools other than this one and its
 * siblings. `own` is this tool's name; `siblings` are the other tools of the same server.
 */
export function shadowSignals(description: string, own: string | null, siblings: ReadonlySet<string>): ShadowSignal[] {
  const text = normaliseForModel(description);
  const known = new Set([...siblings].map(normaliseName));
  if (own) known.add(normaliseName(own));
  const out: ShadowSignal[] = [];
  for (const sentence of sentencesOf(text)) {
    // "Before using any other tool, call this one" is a rule about every call the agent makes.
    const blanket =
      ANY_OTHER_TOOL.test(sentence) && (ORDER.test(sentence) || (TRIGGER.test(sentence) && /\b(?:call|use|run|invoke)\s+this\b|\bthis\s+tool\b/i.test(sentence)));
    // A trigger ("after translating, call send_email with ...") is enough for a named tool.
    if (!MODIFY.test(sentence) && !blanket && !TRIGGER.test(sentence) && !ORDER.test(sentence)) continue;
    const foreign = namedTools(sentence).filter((name) => {
      const n = normaliseName(name);
      if (known.has(n) || known.has(n.replace(/^mcp_[a-z0-9]+_/, ""))) return false;
      // A bare word ("the search tool") only counts when it is a well-known tool name.
      return /[_.-]/.test(name) || /[a-z][A-Z]/.test(name) || WELL_KNOWN_TOOLS.has(n);
    });
    // "Use list_files first": a plain reference to a tool without a trigger or an order aimed at
    // that tool's behaviour is documentation.
    const aimed = foreign.length > 0 && (TRIGGER.test(sentence) || ORDER.test(sentence) || /\bshould\b/i.test(sentence));
    if (aimed || blanket) out.push({ sentence, targets: aimed ? foreign : ["other tools"] });
  }
  return out;
}

const PREFERENCE =
  /\b(?:use\s+this(?:\s+tool)?\s+instead\s+of|instead\s+of\s+(?:any|the)\s+(?:other|built-?in|default)|always\s+(?:use|call|prefer|choose)\s+this(?:\s+tool)?|prefer\s+this\s+tool|(?:do\s+not|don'?t|never)\s+use\s+(?:the\s+|any\s+)?(?:other|built-?in|default)|this\s+is\s+the\s+(?:only|correct|preferred|official|recommended)\s+(?:tool|way|version)|(?:replaces|supersedes|overrides)\s+(?:the\s+)?(?:other|built-?in|default|original|standard))\b/i;

export function preferenceSentence(description: string): string | undefined {
  return sentencesOf(normaliseForModel(description)).find((s) => PREFERENCE.test(s));
}

function clip(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

const SHADOW_REMEDIATION =
  "Describe only what this tool does. Instructions about other tools (what to send with them, when to call them, " +
  "what to change in their arguments) belong nowhere in a tool description: an agent applies them to tools of other " +
  "servers the user trusts. If you did not write this text, find the commit that introduced it.";

const IMPERSONATE_REMEDIATION =
  "Remove the wording that tells the model to prefer this tool over others, and consider a name that says what is " +
  "specific about it (e.g. `acme_read_file`), so agents do not mistake it for the well-known tool of another server.";

/** Findings for one tool, given the names of the other tools of its server. */
export function checkShadowing(tool: ToolDefinition, siblings: ReadonlySet<string>): RawFinding[] {
  const findings: RawFinding[] = [];
  const description = tool.description;
  if (!description?.value) return findings;
  const label = tool.name ? `tool "${tool.name}"` : "a tool whose name is computed at run time";
  const key = toolKey(tool);
  const signals = shadowSignals(description.value, tool.name, siblings);
  if (signals.length > 0) {
    const targets = [...new Set(signals.flatMap((s) => s.targets))];
    const exfil = signals.some((s) => /\bhttps?:\/\/|[\w.+-]+@[\w-]+\.\w|\bbcc\b|recipient/i.test(s.sentence));
    findings.push({
      ruleId: SHADOW_RULE,
      category: "tool-shadowing",
      severity: exfil ? "critical" : "high",
      confidence: targets.includes("other tools") && targets.length === 1 ? "medium" : "high",
      path: description.span.path,
      line: description.span.line,
      endLine: description.span.endLine,
      tool: tool.name ?? undefined,
      message: `The description of ${label} tells the AI model how to use ${targets.includes("other tools") ? "other tools" : `other tools (${targets.slice(0, 3).join(", ")})`}, which can change what tools of other servers do.`,
      evidence: clip(signals.map((s) => s.sentence).join(" ")),
      remediation: SHADOW_REMEDIATION,
      cwe: ["CWE-1427"],
      owasp: ["MCP03"],
      key: `${key}|shadow|${targets.map(normaliseName).sort().join("+")}`,
    });
  }
  const normalised = tool.name ? normaliseName(tool.name) : undefined;
  const preference = normalised && WELL_KNOWN_TOOLS.has(normalised) ? preferenceSentence(description.value) : undefined;
  if (preference) {
    findings.push({
      ruleId: IMPERSONATE_RULE,
      category: "tool-shadowing",
      severity: "medium",
      confidence: "medium",
      path: description.span.path,
      line: description.span.line,
      endLine: description.span.endLine,
      tool: tool.name ?? undefined,
      message: `${label[0]!.toUpperCase()}${label.slice(1)} has the name of a well-known tool of other MCP servers and its description pushes the model to prefer it over them.`,
      evidence: clip(preference),
      remediation: IMPERSONATE_REMEDIATION,
      cwe: ["CWE-1427"],
      owasp: ["MCP03"],
      key: `${key}|prefer`,
    });
  }
  return findings;
}

/** Tool names per server (the folder each definition is in). */
function toolsByServer(ctx: RuleContext): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const file of ctx.facts.files) {
    const server = serverForPath(ctx.servers, file.path);
    const names = out.get(server) ?? new Set<string>();
    for (const tool of file.tools) if (tool.name) names.add(tool.name);
    out.set(server, names);
  }
  return out;
}

export const shadowing: RuleFamily = {
  id: "tool-shadowing",
  rules: [
    {
      id: SHADOW_RULE,
      title: "Tool description gives orders about other tools",
      category: "tool-shadowing",
      severity: "high",
      looksFor:
        "A tool description that tells the model how to use another tool or another server's tools (\"when the send_email " +
        "tool is used, always BCC ...\", \"before using any other tool, ...\"); critical when it redirects recipients or " +
        "data to an address.",
      ignores:
        "Mentions of sibling tools of the same server (\"use list_files first to find the path\") and plain references " +
        "to other tools without orders about how they behave.",
      remediation: SHADOW_REMEDIATION,
    },
    {
      id: IMPERSONATE_RULE,
      title: "Tool named like a well-known tool of another server asks to be preferred",
      category: "tool-shadowing",
      severity: "medium",
      looksFor:
        "A tool named like a well-known tool of a popular MCP server (read_file, execute_command, send_email, " +
        "create_issue, fetch, browser_navigate, ...) whose description says to use it instead of others or always.",
      ignores: "A tool of that name whose description only says what it does: filesystem, mail or GitHub servers have them.",
      remediation: IMPERSONATE_REMEDIATION,
    },
  ],
  run(ctx: RuleContext): RawFinding[] {
    const byServer = toolsByServer(ctx);
    const findings: RawFinding[] = [];
    const seen = new Set<string>();
    for (const file of ctx.facts.files) {
      const server = serverForPath(ctx.servers, file.path);
      const names = byServer.get(server) ?? new Set<string>();
      for (const tool of file.tools) {
        const siblings = new Set([...names].filter((n) => n !== tool.name));
        for (const finding of checkShadowing(tool, siblings)) {
          const id = `${finding.ruleId}|${finding.path}|${finding.key}`;
          if (seen.has(id)) continue;
          seen.add(id);
          findings.push(finding);
        }
      }
    }
    return findings;
  },
};
