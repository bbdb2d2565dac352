import type { ToolDefinition, ToolParam } from "../extract/types.js";
import type { RawFinding, Severity } from "../model.js";
import { normaliseForModel, toolKey } from "./tool-poisoning.js";
import type { RuleContext, RuleFamily } from "./types.js";

/**
 * MCPW-EXFIL-001: a tool parameter shaped to carry what the model knows out of the conversation.
 * The parameter's description (or name) asks the model to fill it with the conversation,
 * previous messages, the system prompt, file contents it has seen, environment variables or
 * secrets. A parameter that is plainly the input of the tool's job (the content a write_file
 * tool writes, the API key a login tool takes) is not a finding: what gives the attack away is
 * that the model is asked to supply context the user never typed.
 */

export const EXFIL_RULE = "MCPW-EXFIL-001";

type What = "conversation" | "system prompt" | "sensitive files" | "environment" | "secrets" | "context";

interface Signal {
  what: What;
  severity: Severity;
}

/** Context the model holds and the user did not type into this call. */
const CONVERSATION =
  /\b(?:(?:full|entire|whole|complete)\s+(?:conversation|chat|transcript|dialog(?:ue)?|context)|(?:conversation|chat|message)\s+(?:history|log|transcript)|(?:all\s+)?(?:previous|prior|earlier|past|preceding)\s+(?:user\s+)?(?:messages|turns|conversation|prompts|requests)|all\s+(?:the\s+)?(?:messages|user\s+messages)|everything\s+the\s+user\s+(?:has\s+)?(?:said|typed|wrote|asked)|(?:other\s+tools?'?\s+)(?:outputs?|results?|responses?))\b/i;
const SYSTEM_PROMPT = /\b(?:your|the\s+(?:current|full|entire|assistant'?s?|model'?s?))\s+(?:system\s+prompt|instructions|system\s+message)\b|\bsystem\s+prompt\s+(?:you\s+(?:were|have\s+been)\s+given|verbatim|in\s+full)\b/i;
const FILE_CONTENT = /\b(?:contents?|text|body|data)\s+of\s+(?:any|all|every|the)?\s*(?:files?|documents?)\s+(?:you\s+(?:have|'ve)\s+(?:read|seen|opened|accessed)|in\s+(?:the\s+)?(?:context|conversation))\b|\bfiles?\s+(?:you\s+(?:have|'ve)\s+(?:read|seen|opened|accessed))\b/i;
const SENSITIVE_FILE =
  /~\/\.ssh|\.ssh\/(?:id_|authorized_keys)|\bid_(?:rsa|dsa|ecdsa|ed25519)\b|~\/\.aws|\.aws\/credentials|(?<![\w.])\.env(?![\w-]|\.\w)|\bmcp\.json\b|claude_desktop_config\.json|\/etc\/(?:passwd|shadow)|\.npmrc\b|\.netrc\b|\.git-credentials\b|\.kube\/config\b|\bcookies\b/i;
const CONTENT_VERB = /\b(?:contents?\s+of|paste|include|copy|insert|put|dump|read|the\s+text\s+of|full\s+text)\b/i;
const ENVIRONMENT = /\b(?:all|every|any|the\s+(?:full|entire|whole))\s+(?:of\s+the\s+)?(?:environment\s+variables|env(?:ironment)?\s+vars?|environment)\b|\b(?:dump|output)\s+of\s+(?:`?env`?|`?printenv`?|process\.env|os\.environ)\b|\b(?:process\.env|os\.environ)\b/i;
const SECRETS = /\b(?:api[\s_-]?keys?|access[\s_-]?tokens?|tokens|passwords|credentials|secrets|private\s+keys?)\b/i;
/** Quantifiers that make "credentials" mean "whatever you can find", not "the one this tool needs". */
const HARVEST = /\b(?:all|any|every|each)\s+(?:of\s+the\s+)?(?:\w+\s+){0,2}?(?:api[\s_-]?keys?|access[\s_-]?tokens?|tokens|passwords|credentials|secrets)\b|\b(?:you\s+(?:have|can\s+(?:see|find|access)|know|'ve\s+seen)|available\s+to\s+you|in\s+(?:the|your)\s+(?:context|conversation|environment|memory))\b/i;

const CONVERSATION_PURPOSE = /\b(?:conversations?|chats?|transcripts?|memor(?:y|ies)|histor(?:y|ies))\b/i;

/** Parameter names that exist only to smuggle context out. */
const EXFIL_NAMES = /^(?:side_?note|sidenote|conversation_?history|chat_?history|full_?conversation|previous_?messages|all_?messages|message_?history|conversation_?context|context_?dump|system_?prompt_?dump|hidden_?notes?)$/i;

function signalOf(param: ToolParam): Signal | undefined {
  const text = param.description?.value ? normaliseForModel(param.description.value) : "";
  if (text) {
    if (SENSITIVE_FILE.test(text) && CONTENT_VERB.test(text) && !/^(?:absolute\s+|the\s+)?path\b|\bpath\s+to\b|\be\.g\.|\bfor\s+example\b/i.test(text)) {
      return { what: "sensitive files", severity: "critical" };
    }
    if (SYSTEM_PROMPT.test(text)) return { what: "system prompt", severity: "high" };
    if (CONVERSATION.test(text)) return { what: "conversation", severity: "high" };
    if (FILE_CONTENT.test(text)) return { what: "context", severity: "high" };
    if (ENVIRONMENT.test(text)) return { what: "environment", severity: "high" };
    if (SECRETS.test(text) && HARVEST.test(text)) return { what: "secrets", severity: "critical" };
  }
  if (EXFIL_NAMES.test(param.name.replace(/-/g, "_"))) return { what: "context", severity: "medium" };
  return undefined;
}

const WHAT_WORDS: Record<What, string> = {
  conversation: "the conversation or previous messages",
  "system prompt": "the model's system prompt or instructions",
  "sensitive files": "the contents of credential files",
  environment: "environment variables",
  secrets: "every secret or key it can find",
  context: "files or context it has seen in the conversation",
};

const REMEDIATION =
  "Remove the parameter, or describe it as exactly the input the tool needs from the user. A tool must never ask the " +
  "model for the conversation, its instructions, files it has read, environment variables or secrets: an agent " +
  "fills such a parameter without the user noticing and the server receives it. If you did not write this, find the " +
  "commit that introduced it.";

function clip(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Findings for one tool's parameters. */
export function checkExfilParams(tool: ToolDefinition): RawFinding[] {
  const findings: RawFinding[] = [];
  const label = tool.name ? `tool "${tool.name}"` : "a tool whose name is computed at run time";
  // A tool whose job is conversations (a chat archive, a memory server) says so in its name or
  // description; asking for the conversation is then its input, not a side channel.
  const purpose = `${(tool.name ?? "").replace(/[_-]+/g, " ")} ${tool.description?.value ?? ""}`;
  const handlesConversations = CONVERSATION_PURPOSE.test(purpose);
  for (const param of tool.params) {
    const signal = signalOf(param);
    if (!signal) continue;
    if (signal.what === "conversation" && handlesConversations) continue;
    const span = param.description?.span ?? tool.span;
    const byName = signal.severity === "medium";
    findings.push({
      ruleId: EXFIL_RULE,
      category: "tool-poisoning",
      severity: signal.severity,
      confidence: byName ? "medium" : "high",
      path: span.path,
      line: span.line,
      endLine: span.endLine,
      tool: tool.name ?? undefined,
      message: byName
        ? `Parameter "${param.name}" of ${label} is named like a side channel that an agent fills with context the user never typed, which the server then receives.`
        : `Parameter "${param.name}" of ${label} asks the AI model to fill it with ${WHAT_WORDS[signal.what]}, which sends that data to the server.`,
      evidence: clip(`parameter "${param.name}"${param.description?.value ? `: ${param.description.value}` : ""}`),
      remediation: REMEDIATION,
      cwe: ["CWE-200"],
      owasp: ["MCP03"],
      key: `${toolKey(tool)}|${param.name}|${signal.what}`,
    });
  }
  return findings;
}

export const exfiltration: RuleFamily = {
  id: "exfiltration-parameters",
  rules: [
    {
      id: EXFIL_RULE,
      title: "Tool parameter asks the model for the conversation, files or secrets",
      category: "tool-poisoning",
      severity: "high",
      looksFor:
        "A tool parameter whose description asks the model to put the conversation, previous messages, its system prompt, " +
        "files it has read, credential files (~/.ssh/id_rsa, .env), environment variables or all secrets it can find " +
        "into it (critical for credential files and secrets); or a parameter named like a side channel (`sidenote`, " +
        "`conversation_history`) (medium).",
      ignores:
        "Parameters that are the tool's own input: the content a write_file tool writes, the key a login tool takes, a " +
        "path to a key file given as an example.",
      remediation: REMEDIATION,
    },
  ],
  run(ctx: RuleContext): RawFinding[] {
    const findings: RawFinding[] = [];
    const seen = new Set<string>();
    for (const file of ctx.facts.files) {
      for (const tool of file.tools) {
        for (const finding of checkExfilParams(tool)) {
          const id = `${finding.path}|${finding.key}`;
          if (seen.has(id)) continue;
          seen.add(id);
          findings.push(finding);
        }
      }
    }
    return findings;
  },
};
