import type { Node } from "web-tree-sitter";
import { ConstnessAnalyzer, unwrap } from "./constness.js";
import { namedDescendants } from "./nodes.js";
import { args, field, literalString } from "./shell-ast.js";
import { shellScript, type ShellCallDraft } from "./shell-common.js";

export interface Target {
  module: string;
  name: string;
}

const CHILD_PROCESS_ALWAYS = new Set(["exec", "execSync"]);
const CHILD_PROCESS_OPTIONAL = new Set(["spawn", "spawnSync", "execFile", "execFileSync"]);

/** child_process, execa, shelljs and cross-spawn calls that go through a shell. */
export function jsShellCalls(root: Node, analyzer: ConstnessAnalyzer): ShellCallDraft[] {
  const out: ShellCallDraft[] = [];
  for (const call of namedDescendants(root, ["call_expression"])) {
    if (!call) continue;
    const fn = field(call, "function");
    const target = fn ? resolveTarget(fn, analyzer, 0) : undefined;
    if (!target) continue;
    const draft = classify(call, target, analyzer);
    if (draft) out.push(draft);
  }
  return out;
}

function normaliseModule(module: string): string {
  return module.startsWith("node:") ? module.slice(5) : module;
}

/** Follow aliases back to a module member: `run` -> child_process.exec via `promisify(exec)`. */
export function resolveTarget(fn: Node, analyzer: ConstnessAnalyzer, depth = 0): Target | undefined {
  if (depth > 8) return undefined;
  const node = unwrap(fn);
  if (node.type === "identifier") {
    const imp = analyzer.importOf(node);
    if (imp) return { module: normaliseModule(imp.module), name: imp.name };
    const value = analyzer.valueOf(node);
    return value ? resolveTarget(value, analyzer, depth + 1) : undefined;
  }
  if (node.type === "member_expression") {
    const prop = field(node, "property");
    // `exec.bind(cp)`, `cp.exec.bind(null)`: the bound function.
    if (prop?.text === "bind") {
      const obj = field(node, "object");
      return obj ? resolveTarget(obj, analyzer, depth + 1) : undefined;
    }
    const q = analyzer.qualifiedName(node);
    if (q?.module !== undefined) return { module: normaliseModule(q.module), name: q.name };
    return undefined;
  }
  if (node.type === "call_expression") {
    // `promisify(exec)`, `util.promisify(cp.exec)`, `exec.bind(cp)`
    const inner = field(node, "function");
    const q = inner ? analyzer.qualifiedName(inner) : undefined;
    const first = args(field(node, "arguments"))[0];
    if (q?.name === "promisify" && first) return resolveTarget(first, analyzer, depth + 1);
    if (inner?.type === "member_expression" && field(inner, "property")?.text === "bind") {
      const obj = field(inner, "object");
      return obj ? resolveTarget(obj, analyzer, depth + 1) : undefined;
    }
  }
  return undefined;
}

function classify(call: Node, target: Target, analyzer: ConstnessAnalyzer): ShellCallDraft | undefined {
  const argv = args(field(call, "arguments"));
  const first = argv[0];
  if (!first || first.type === "spread_element") return undefined;
  const { module, name } = target;

  if (module === "child_process" && CHILD_PROCESS_ALWAYS.has(name)) {
    return { call, api: `child_process.${name}`, shell: true, command: [first] };
  }
  if (module === "shelljs" && name === "exec") {
    return { call, api: "shelljs.exec", shell: true, command: [first] };
  }
  if (module === "child_process" && CHILD_PROCESS_OPTIONAL.has(name)) {
    return spawnLike(call, `child_process.${name}`, argv, analyzer);
  }
  if (module === "cross-spawn" && (name === "*" || name === "spawn" || name === "sync")) {
    return spawnLike(call, "cross-spawn", argv, analyzer);
  }
  if (module === "execa") {
    if (name === "execaCommand" || name === "execaCommandSync" || name === "command" || name === "commandSync") {
      // Split on spaces without a shell unless asked for one: values can add arguments.
      const shell = shellOption(optionsArg(argv.slice(1), analyzer), analyzer);
      const api = name === "command" ? "execaCommand" : name === "commandSync" ? "execaCommandSync" : name;
      return { call, api: `execa.${api}`, shell, command: [first] };
    }
    if (name === "execa" || name === "execaSync" || name === "*" || name === "sync") {
      return spawnLike(call, `execa.${name === "*" ? "execa" : name}`, argv, analyzer);
    }
  }
  return undefined;
}

/** spawn/execFile/execa: a shell only with `shell: true`, or when the program is `sh -c`. */
function spawnLike(call: Node, api: string, argv: Node[], analyzer: ConstnessAnalyzer): ShellCallDraft | undefined {
  const [program, second] = argv;
  const list = second ? arrayElements(second, analyzer) : undefined;
  const programName = analyzer.stringValue(program);
  if (programName !== undefined && list) {
    const script = shellScript(programName, list, analyzer);
    if (script) return { call, api, shell: true, command: [script] };
  }
  const options = optionsArg(argv.slice(1), analyzer);
  if (!shellOption(options, analyzer)) return undefined;
  // With shell: true, Node joins program and arguments with spaces and hands that to the shell.
  const command = second && second.type !== "object" && second.id !== options?.id ? [program, second] : [program];
  return { call, api, shell: true, command };
}

function arrayElements(node: Node, analyzer: ConstnessAnalyzer): Node[] | undefined {
  let n = unwrap(node);
  if (n.type === "identifier") n = analyzer.valueOf(n) ?? n;
  return n.type === "array" ? args(n) : undefined;
}

/** The options object among the trailing arguments (a literal or a local bound to one). */
function optionsArg(rest: Node[], analyzer: ConstnessAnalyzer): Node | undefined {
  for (const a of rest) {
    let n = unwrap(a);
    if (n.type === "identifier") n = analyzer.valueOf(n) ?? n;
    if (n.type === "object") return n;
  }
  return undefined;
}

/** True for `shell: true`, a shell path, or any non-literal value (it may be truthy). */
function shellOption(options: Node | undefined, analyzer: ConstnessAnalyzer): boolean {
  if (!options) return false;
  for (const p of args(options)) {
    if (p.type === "shorthand_property_identifier" && p.text === "shell") return true;
    if (p.type !== "pair") continue;
    const key = field(p, "key");
    const keyText = key ? (literalString(key) ?? key.text) : "";
    if (keyText !== "shell") continue;
    const value = field(p, "value");
    if (!value) return false;
    const v = unwrap(value);
    if (v.type === "false" || v.type === "null" || v.type === "undefined") return false;
    if (v.type === "identifier" && v.text === "undefined") return false;
    if (v.type === "identifier") {
      const bound = analyzer.valueOf(v);
      if (bound && (bound.type === "false" || bound.type === "null")) return false;
    }
    if (v.type === "string" || v.type === "template_string") return literalString(v) !== "";
    if (v.type === "number") return v.text !== "0";
    if (v.type === "true") return true;
    const c = analyzer.analyze(v);
    return !(c.constant && c.value === "");
  }
  return false;
}

