import type { Node } from "web-tree-sitter";
import type { ConstnessAnalyzer } from "./constness.js";
import { namedDescendants } from "./nodes.js";
import { args, field } from "./shell-ast.js";
import { shellScript, type ShellCallDraft } from "./shell-common.js";

/** exec.Command("sh", "-c", script) and exec.CommandContext(ctx, "bash", "-c", script). */
export function goShellCalls(root: Node, analyzer: ConstnessAnalyzer): ShellCallDraft[] {
  const out: ShellCallDraft[] = [];
  for (const call of namedDescendants(root, ["call_expression"])) {
    if (!call) continue;
    const fn = field(call, "function");
    if (fn?.type !== "selector_expression") continue;
    const q = analyzer.qualifiedName(fn);
    if (q?.module !== "os/exec" || (q.name !== "Command" && q.name !== "CommandContext")) continue;
    const argList = field(call, "arguments");
    // `exec.Command(name, args...)`: the arguments are only known at run time.
    if (argList && argList.children.some((c) => c?.type === "...")) continue;
    const argv = args(argList).slice(q.name === "CommandContext" ? 1 : 0);
    const program = argv[0] ? analyzer.stringValue(argv[0]) : undefined;
    const script = program !== undefined ? shellScript(program, argv.slice(1), analyzer) : undefined;
    if (script) out.push({ call, api: `exec.${q.name}`, shell: true, command: [script] });
  }
  return out;
}
