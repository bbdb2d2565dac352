import type { FileFacts, ShellCall, ToolDefinition } from "../extract/types.js";
import type { Confidence, RawFinding, Severity } from "../model.js";
import type { TaintFlow } from "../taint/types.js";
import { languageFamily, traceText, whoPasses } from "./taint.js";
import type { RuleContext, RuleFamily } from "./types.js";

export const RULE_ID = "MCPW-EXEC-001";

/** Names MCP handlers and frameworks commonly give the object holding the caller's arguments. */
const ARGS_LIKE = new Set([
  "args", "arguments", "params", "parameters", "input", "inputs", "request", "req", "body", "payload",
  "data", "kwargs", "toolInput", "tool_input", "toolArgs", "tool_args",
]);

/** Values set by whoever runs the server (environment, command line), not by the model. */
const OPERATOR_INPUT = /^(process\.env|process\.argv|os\.environ|os\.getenv|sys\.argv|os\.Getenv|os\.Args|Deno\.env|import\.meta\.env)\b/;

const REMEDIATION: Record<"js" | "python" | "go", string> = {
  js:
    "Run the program directly with `execFile` or `spawn`, passing the program name and an argument array and no `shell` option " +
    "(e.g. `execFile(\"git\", [\"log\", \"--\", repo])`), so the value is never parsed by a shell. " +
    "Validate the value against an allow-list (and reject values starting with `-`) before using it.",
  python:
    "Pass an argument list with `shell=False` (e.g. `subprocess.run([\"git\", \"log\", \"--\", repo], check=True)`) instead of " +
    "`os.system`/`os.popen`/`shell=True`; if a shell is truly unavoidable, quote every value with `shlex.quote`. " +
    "Validate the value against an allow-list before using it.",
  go:
    "Call `exec.Command(name, args...)` with each value as its own argument instead of `sh -c` with a built string. " +
    "Validate the value against an allow-list (and reject values starting with `-`) before using it.",
};

function rootOf(input: string): string {
  return input.split(/[.[(]/, 1)[0];
}

/** The tool whose handler contains the call: by handler span first, then by the name the extractor set. */
function toolFor(call: ShellCall, tools: ToolDefinition[]): ToolDefinition | undefined {
  const byName = call.tool === undefined ? undefined : tools.find((t) => t.name === call.tool);
  if (byName) return byName;
  // The innermost handler that encloses the call (handlers can be nested in a registration helper).
  let best: ToolDefinition | undefined;
  for (const t of tools) {
    const h = t.handler?.span;
    if (!h || h.path !== call.span.path || h.line > call.span.line || h.endLine < call.span.endLine) continue;
    const b = best?.handler?.span;
    if (!b || h.endLine - h.line < b.endLine - b.line) best = t;
  }
  return best;
}

interface Assessment {
  severity: Severity;
  confidence: Confidence;
  message: string;
}

function assess(call: ShellCall, tool: ToolDefinition | undefined, toolName: string | undefined): Assessment {
  const inputs = call.command.inputs;
  const shown = inputs.map((i) => `\`${i}\``).join(", ");
  const api = call.shell ? `\`${call.api}\`` : `\`${call.api}\` (which splits on spaces)`;
  const operatorOnly = inputs.every((i) => OPERATOR_INPUT.test(i));
  const params = new Set(tool?.handler?.params ?? []);
  const traced = inputs.filter((i) => params.has(rootOf(i)) || ARGS_LIKE.has(rootOf(i)));
  const fromToolInput = traced.length > 0;
  const inTool = toolName !== undefined;
  let result: Assessment;
  if (operatorOnly) {
    result = {
      severity: "medium",
      confidence: "low",
      message: `${api} runs a shell command built from ${shown}; whoever sets that value can run any command, so keep it out of reach of tool input.`,
    };
  } else if (inTool && fromToolInput) {
    result = {
      severity: "critical",
      confidence: "high",
      message: `Tool \`${toolName}\` passes its input (${traced.map((i) => `\`${i}\``).join(", ")}) into a shell command run by ${api}; a crafted value can run any command on the server.`,
    };
  } else if (inTool) {
    result = {
      severity: "high",
      confidence: "medium",
      message: `Tool \`${toolName}\` runs a shell command built at run time from ${shown} with ${api}; if any part comes from the caller, it can run any command on the server.`,
    };
  } else {
    result = {
      severity: "high",
      confidence: "medium",
      message: `${api} runs a shell command built from ${shown}, which is not a constant; if it can carry caller input, it can run any command on the server.`,
    };
  }
  if (!call.shell) {
    // No shell: a value cannot chain commands, only add arguments (`--output=...`).
    result.severity = result.severity === "critical" ? "high" : "medium";
    result.message = result.message.replace("run any command on the server", "add arguments to the command");
  }
  return result;
}

/** Whitespace-collapsed snippet: the same call keeps its key when lines move or are re-indented. */
function normalise(snippet: string): string {
  return snippet.replace(/\s+/g, " ").trim();
}

function evidenceFor(call: ShellCall): string {
  const via = /^[A-Za-z_$][\w$]*$/.test(call.command.source) && !call.command.inputs.includes(call.command.source) ? ` via ${call.command.source}` : "";
  return `${call.snippet}\nbuilt from: ${call.command.inputs.join(", ")}${via}`;
}

/** Flows of one kind in a file by call position, so a call and the flow into it meet. */
function flowsByCall(file: FileFacts, kind: TaintFlow["kind"]): Map<string, TaintFlow[]> {
  const out = new Map<string, TaintFlow[]>();
  for (const flow of file.flows ?? []) {
    if (flow.kind !== kind) continue;
    const id = `${flow.span.line}:${flow.span.endLine}`;
    const list = out.get(id);
    if (list) list.push(flow);
    else out.set(id, [flow]);
  }
  return out;
}

/**
 * The flows into `call` among those at its lines. Spans carry lines only, so when several shell
 * calls share them (`exec(a); exec(b)` on one line, minified code) the snippet tells them apart:
 * the JS front end records the call's own snippet, Python and Go the call's text, which ends it.
 */
function flowsInto(call: ShellCall, atPosition: TaintFlow[], callsAtPosition: number): TaintFlow[] {
  if (callsAtPosition <= 1) return atPosition;
  return atPosition.filter((f) => f.snippet === call.snippet || call.snippet.endsWith(f.snippet));
}

/** A finding for a shell call that the data-flow analysis traced from a tool's (or route's) input. */
function fromFlows(flows: TaintFlow[], file: FileFacts, api: string, snippet: string, key: string): RawFinding {
  flows.sort((a, b) => (a.tool ?? "").localeCompare(b.tool ?? ""));
  const flow = flows.find((f) => f.tool !== undefined) ?? flows[0];
  const { who, input, plural } = whoPasses(flows);
  return {
    ruleId: RULE_ID,
    category: "command-injection",
    severity: "critical",
    confidence: flow.check === "partial" ? "medium" : "high",
    path: flow.span.path,
    line: flow.span.line,
    endLine: flow.span.endLine,
    ...(flow.tool !== undefined ? { tool: flow.tool } : {}),
    message: `${who} ${plural ? "pass" : "passes"} ${input} into a shell command run by \`${api}\`; a crafted value can run any command on the server.`,
    evidence: `${snippet}\ntrace: ${traceText(flow)}${flow.note ? `\ncheck: ${flow.note}` : ""}`,
    remediation: REMEDIATION[languageFamily(file)],
    cwe: ["CWE-78"],
    owasp: ["MCP05"],
    key,
  };
}

export const commandInjection: RuleFamily = {
  id: "command-injection",
  rules: [
    {
      id: RULE_ID,
      title: "Shell command built from a non-constant value",
      category: "command-injection",
      severity: "critical",
      looksFor:
        "Calls that run a command through a shell (`exec`, `execSync`, `spawn` with `shell: true` or `sh -c`, `subprocess` with `shell=True`, " +
        "`os.system`, Go `exec.Command(\"sh\", \"-c\", ...)`) with a command built at run time. Critical with the data-flow trace when a tool's " +
        "input reaches it; high when the value is not traced; medium when only environment or command-line values go in.",
      ignores:
        "Constant commands, values quoted with `shlex.quote`/`shell-quote` or converted to numbers, and calls guarded by an allow-list check on the value.",
      remediation: REMEDIATION.js,
    },
  ],
  run(ctx: RuleContext): RawFinding[] {
    const findings: RawFinding[] = [];
    for (const file of ctx.facts.files) {
      const seen = new Map<string, number>();
      const shellFlows = flowsByCall(file, "shell");
      const argumentFlows = flowsByCall(file, "argument");
      const callsAt = new Map<string, number>();
      for (const call of file.shellCalls) {
        const at = `${call.span.line}:${call.span.endLine}`;
        callsAt.set(at, (callsAt.get(at) ?? 0) + 1);
      }
      const used = new Set<TaintFlow>();
      const keyFor = (snippet: string) => {
        const base = normalise(snippet);
        const n = (seen.get(base) ?? 0) + 1;
        seen.set(base, n);
        // Identical calls in one file stay distinct without depending on line numbers.
        return n === 1 ? base : `${base} #${n}`;
      };
      for (const call of file.shellCalls) {
        // Constant commands are safe even through a shell; an empty input list means every
        // dynamic part was quoted or numeric.
        if (call.command.constant || call.command.inputs.length === 0) continue;
        const at = `${call.span.line}:${call.span.endLine}`;
        const sharing = callsAt.get(at) ?? 1;
        const flows = flowsInto(call, shellFlows.get(at) ?? [], sharing);
        for (const f of flows) used.add(f);
        const open = flows.filter((f) => f.check !== "checked");
        if (open.length > 0) {
          findings.push(fromFlows(open, file, call.api, call.snippet, keyFor(call.snippet)));
          continue;
        }
        // A full check (allow-list, quoting) guards every traced input: not a finding.
        if (flows.length > 0) continue;
        // Without a shell the value can only add arguments: MCPW-EXEC-002 reports it with its trace.
        if (!call.shell && flowsInto(call, argumentFlows.get(at) ?? [], sharing).some((f) => f.check !== "checked")) continue;
        const tool = toolFor(call, file.tools);
        const toolName = call.tool ?? tool?.name ?? undefined;
        const { severity, confidence, message } = assess(call, tool, toolName);
        findings.push({
          ruleId: RULE_ID,
          category: "command-injection",
          severity,
          confidence,
          path: call.span.path,
          line: call.span.line,
          endLine: call.span.endLine,
          ...(toolName !== undefined ? { tool: toolName } : {}),
          message,
          evidence: evidenceFor(call),
          remediation: REMEDIATION[languageFamily(file)],
          cwe: ["CWE-78"],
          owasp: ["MCP05"],
          key: keyFor(call.snippet),
        });
      }
      // Shell sinks a front end traced that the shell-call detector did not list, one finding per call.
      const unlisted = new Map<string, TaintFlow[]>();
      for (const [at, flows] of shellFlows) {
        for (const f of flows) {
          if (used.has(f) || f.check === "checked") continue;
          const id = `${at}|${f.snippet}`;
          const list = unlisted.get(id);
          if (list) list.push(f);
          else unlisted.set(id, [f]);
        }
      }
      for (const open of unlisted.values()) findings.push(fromFlows(open, file, open[0].sink, open[0].snippet, keyFor(open[0].snippet)));
    }
    return findings;
  },
};

export default commandInjection;
