import type { Node } from "web-tree-sitter";
import { callArguments, type ConstnessAnalyzer } from "./constness.js";
import { namedDescendants } from "./nodes.js";
import { args, field } from "./shell-ast.js";
import { shellScript, type ShellCallDraft } from "./shell-common.js";

const SUBPROCESS_OPTIONAL = new Set(["run", "call", "check_call", "check_output", "Popen"]);
const SUBPROCESS_ALWAYS = new Set(["getoutput", "getstatusoutput"]);

/** subprocess with shell=True, os.system, os.popen, asyncio.create_subprocess_shell. */
export function pythonShellCalls(root: Node, analyzer: ConstnessAnalyzer): ShellCallDraft[] {
  const out: ShellCallDraft[] = [];
  for (const call of namedDescendants(root, ["call"])) {
    if (!call) continue;
    const fn = field(call, "function");
    const q = fn ? analyzer.qualifiedName(fn) : undefined;
    if (q?.module === undefined) continue;
    const draft = classify(call, q.module, q.name, analyzer);
    if (draft) out.push(draft);
  }
  return out;
}

function classify(call: Node, module: string, name: string, analyzer: ConstnessAnalyzer): ShellCallDraft | undefined {
  const argv = callArguments(call);
  const positional = argv.filter((a) => a.type !== "keyword_argument" && a.type !== "comment");
  const keyword = (k: string) => argv.find((a) => a.type === "keyword_argument" && field(a, "name")?.text === k);
  const keywordValue = (k: string) => {
    const kw = keyword(k);
    return kw ? (field(kw, "value") ?? undefined) : undefined;
  };
  const commandArg = (names: string[]) => {
    const p = positional[0];
    if (p && p.type !== "list_splat" && p.type !== "dictionary_splat") return p;
    for (const n of names) {
      const v = keywordValue(n);
      if (v) return v;
    }
    return undefined;
  };

  if (module === "os" && (name === "system" || name === "popen")) {
    const cmd = commandArg(["command", "cmd"]);
    return cmd ? { call, api: `os.${name}`, shell: true, command: [cmd] } : undefined;
  }
  if ((module === "asyncio" || module === "asyncio.subprocess") && name === "create_subprocess_shell") {
    const cmd = commandArg(["cmd"]);
    return cmd ? { call, api: "asyncio.create_subprocess_shell", shell: true, command: [cmd] } : undefined;
  }
  if (module !== "subprocess") return undefined;
  const cmd = commandArg(["args", "cmd"]);
  if (!cmd) return undefined;
  if (SUBPROCESS_ALWAYS.has(name)) return { call, api: `subprocess.${name}`, shell: true, command: [cmd] };
  if (!SUBPROCESS_OPTIONAL.has(name)) return undefined;

  // ["bash", "-c", script] runs a shell even with shell=False.
  if (cmd.type === "list" || cmd.type === "tuple") {
    const [program, ...rest] = args(cmd);
    const programName = program ? analyzer.stringValue(program) : undefined;
    const script = programName !== undefined ? shellScript(programName, rest, analyzer) : undefined;
    if (script) return { call, api: `subprocess.${name}`, shell: true, command: [script] };
  }
  const shell = keywordValue("shell");
  if (!shell || !truthy(shell, analyzer)) return undefined;
  return { call, api: `subprocess.${name}`, shell: true, command: [cmd] };
}

/** shell=True, shell=1, or a run-time value (it may be true); False/None/0 are not a shell. */
function truthy(value: Node, analyzer: ConstnessAnalyzer): boolean {
  if (value.type === "false" || value.type === "none") return false;
  if (value.type === "true") return true;
  if (value.type === "integer") return Number(value.text) !== 0;
  if (value.type === "identifier") {
    const bound = analyzer.valueOf(value);
    if (bound && (bound.type === "false" || bound.type === "none" || (bound.type === "integer" && Number(bound.text) === 0))) return false;
  }
  return true;
}
