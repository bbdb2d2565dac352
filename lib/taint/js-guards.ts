import type { Node } from "web-tree-sitter";
import { type ConstnessAnalyzer, unwrap } from "../extract/constness.js";
import { args, field, literalString } from "../extract/shell-ast.js";
import type { FlowKind } from "./types.js";

/**
 * What a check does to the value it tests:
 * - allow: only listed values pass (`ALLOWED.includes(x)`, `x === "a"`, `switch`, `/^[a-z]+$/.test(x)`)
 * - dash: values starting with `-` are rejected (`x.startsWith("-")`)
 * - contain: a path is kept under a root (`startsWith(root + path.sep)`, `relative()` not `..`)
 * - prefix: `startsWith(root)` without a separator: `/allowed-evil` passes it
 * - dotdot: `..` is rejected, but absolute paths still pass
 * - call: a call whose own checks decide (`assertInside(p)`, `if (!isAllowed(x))`); the subject is
 *   the call, which the caller looks into when it is a function of the same file
 */
export type CheckClass = "allow" | "dash" | "contain" | "prefix" | "dotdot" | "call";

/** Per-file cache: block node id -> its early-exit checks with their positions. */
export type GuardCache = Map<number, { start: number; checks: Check[] }[]>;

export interface Check {
  cls: CheckClass;
  /** The expression tested. */
  subject: Node;
}

const FUNCTIONS = new Set(["function_declaration", "function_expression", "function", "arrow_function", "method_definition", "generator_function_declaration", "generator_function"]);

/** Which check classes end a flow of each kind (partial ones are handled by the caller). */
export function ends(cls: CheckClass, kind: FlowKind): boolean {
  if (cls === "allow") return true;
  if (cls === "dash") return kind === "argument";
  if (cls === "contain") return kind === "path";
  return false;
}

/**
 * Checks that guard `pos` inside `fn`: conditions of enclosing `if`/ternary/`&&`, `switch`
 * cases, and earlier `if (...) { throw / return }` and `assert(...)` statements. The polarity of
 * a condition is not checked: code that runs the sink only when an allow-list check fails is
 * rare enough that reading the condition as a guard is the better trade.
 */
export function guardsAt(
  pos: Node,
  fn: Node,
  analyzer: ConstnessAnalyzer,
  cache: GuardCache = new Map(),
  /** Which `f(x);` statements may be validators (same-file functions); others are skipped early. */
  isValidator: (call: Node) => boolean = () => true,
): Check[] {
  // A block's statements are read once per file however many sinks follow them.
  const blockChecks = (block: Node): { start: number; checks: Check[] }[] => {
    let list = cache.get(block.id);
    if (!list) {
      list = [];
      for (const s of block.namedChildren) {
        if (!s) continue;
        const checks = earlyExitChecks(s, analyzer).filter((c) => c.cls !== "call" || isValidator(c.subject));
        if (checks.length > 0) list.push({ start: s.startIndex, checks });
      }
      cache.set(block.id, list);
    }
    return list;
  };
  const out: Check[] = [];
  let child: Node = pos;
  for (let n = pos.parent; n; child = n, n = n.parent) {
    switch (n.type) {
      case "if_statement": {
        const cond = field(n, "condition");
        if (cond && cond.id !== child.id) out.push(...checksIn(cond, analyzer));
        break;
      }
      case "ternary_expression": {
        const cond = field(n, "condition");
        if (cond && cond.id !== child.id) out.push(...checksIn(cond, analyzer));
        break;
      }
      case "binary_expression": {
        const left = field(n, "left");
        if (field(n, "operator")?.text === "&&" && left && left.id !== child.id) out.push(...checksIn(left, analyzer));
        break;
      }
      case "switch_case": {
        const value = field(n, "value");
        const subject = n.parent?.parent ? field(n.parent.parent, "value") : null;
        if (value && subject && isConstant(value, analyzer)) out.push({ cls: "allow", subject: unwrap(subject) });
        break;
      }
    }
    if (n.type === "statement_block" || n.type === "program" || n.type === "switch_case" || n.type === "switch_default") {
      for (const { start, checks } of blockChecks(n)) {
        if (start >= child.startIndex) break;
        out.push(...checks);
      }
    }
    if (n.id === fn.id) break;
  }
  return out;
}

/** `if (cond) throw/return`, `assert(cond)`, `invariant(cond)` before the sink. */
function earlyExitChecks(stmt: Node, analyzer: ConstnessAnalyzer): Check[] {
  if (stmt.type === "if_statement") {
    const cond = field(stmt, "condition");
    const consequence = field(stmt, "consequence");
    if (cond && consequence && exits(consequence)) return checksIn(cond, analyzer);
    return [];
  }
  if (stmt.type === "expression_statement") {
    const call = unwrap(args(stmt)[0] ?? stmt);
    if (call.type !== "call_expression") return [];
    const fn = field(call, "function")?.text ?? "";
    const first = args(field(call, "arguments"))[0];
    if (first && /^(assert|assert\.ok|invariant|ok)$/.test(fn)) return checksIn(first, analyzer);
    // `validatePath(p)`: a validator that throws; the caller looks into it.
    if (first && field(call, "function")?.type === "identifier") return [{ cls: "call", subject: call }];
  }
  return [];
}

/**
 * The checks a same-file function makes on its way out: `if (...) throw/return` statements in
 * its body and, for predicates, the conditions it returns (`return LIST.includes(x)`).
 */
export function functionChecks(decl: Node, analyzer: ConstnessAnalyzer): Check[] {
  const body = field(decl, "body");
  if (!body) return [];
  if (body.type !== "statement_block") return checksIn(body, analyzer);
  const out: Check[] = [];
  for (const s of args(body)) {
    out.push(...earlyExitChecks(s, analyzer));
    if (s.type === "return_statement") {
      const v = args(s)[0];
      if (v) out.push(...checksIn(v, analyzer));
    }
  }
  return out;
}

function exits(node: Node): boolean {
  const stack: Node[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === "throw_statement" || n.type === "return_statement" || n.type === "continue_statement" || n.type === "break_statement") return true;
    for (const c of n.namedChildren) if (c && !FUNCTIONS.has(c.type)) stack.push(c);
  }
  return false;
}

function isConstant(node: Node, analyzer: ConstnessAnalyzer): boolean {
  const v = unwrap(node);
  if (v.type === "string" || v.type === "number" || v.type === "template_string" && args(v).every((c) => c.type !== "template_substitution")) return true;
  if (v.type === "member_expression" || v.type === "identifier") return analyzer.analyze(v).constant;
  return false;
}

/** The checks a condition expresses. */
export function checksIn(condition: Node, analyzer: ConstnessAnalyzer, depth = 0): Check[] {
  if (depth > 16) return [];
  const c = unwrap(condition);
  switch (c.type) {
    case "unary_expression": {
      const arg = field(c, "argument");
      return arg && field(c, "operator")?.text === "!" ? checksIn(arg, analyzer, depth + 1) : [];
    }
    case "binary_expression": {
      const op = field(c, "operator")?.text ?? "";
      const left = field(c, "left");
      const right = field(c, "right");
      if (!left || !right) return [];
      if (op === "&&" || op === "||") return [...checksIn(left, analyzer, depth + 1), ...checksIn(right, analyzer, depth + 1)];
      if (op === "in") return [{ cls: "allow", subject: unwrap(left) }];
      if (!/^[!=]==?$/.test(op)) return [];
      const [subject, other] = isConstant(right, analyzer) ? [left, right] : isConstant(left, analyzer) ? [right, left] : [undefined, undefined];
      if (!subject || !other) return [];
      const s = unwrap(subject);
      if (literalString(unwrap(other)) === "-") {
        // x[0] === "-", x.charAt(0) === "-"
        const base = s.type === "subscript_expression" ? field(s, "object") : s.type === "call_expression" ? field(field(s, "function") ?? s, "object") : null;
        if (base) return [{ cls: "dash", subject: unwrap(base) }];
      }
      // `typeof x === "string"` says nothing about the value.
      if (s.type === "unary_expression") return [];
      return [{ cls: "allow", subject: s }];
    }
    case "call_expression":
      if (field(c, "function")?.type === "identifier") return [{ cls: "call", subject: c }];
      return callChecks(c, analyzer);
    default:
      return [];
  }
}

function callChecks(call: Node, analyzer: ConstnessAnalyzer): Check[] {
  const fn = field(call, "function");
  const argv = args(field(call, "arguments"));
  if (!fn) return [];
  if (fn.type !== "member_expression") return [];
  const obj = field(fn, "object");
  const method = field(fn, "property")?.text ?? "";
  if (!obj) return [];
  const first = argv[0];
  switch (method) {
    case "includes":
    case "has":
    case "indexOf":
      if (!first) return [];
      if (method === "includes" && /^\.\.[/\\]?$/.test(literalString(unwrap(first)) ?? "")) return [{ cls: "dotdot", subject: unwrap(obj) }];
      // `x.includes("a")` tests the value, not a list: not an allow-list.
      if (isConstant(first, analyzer)) return [];
      return [{ cls: "allow", subject: unwrap(first) }];
    case "isInteger":
    case "isSafeInteger":
    case "isFinite":
      return first && obj.text === "Number" ? [{ cls: "allow", subject: unwrap(first) }] : [];
    case "startsWith": {
      if (!first) return [];
      const prefix = literalString(unwrap(first));
      if (prefix === "-") return [{ cls: "dash", subject: unwrap(obj) }];
      if (prefix === ".." || prefix === "../" || prefix === "..\\") return [{ cls: "contain", subject: unwrap(obj) }];
      return [{ cls: endsWithSeparator(first, analyzer) ? "contain" : "prefix", subject: unwrap(obj) }];
    }
    case "test": {
      let re = unwrap(obj);
      // `const NAME_RE = /^...$/; NAME_RE.test(x)`: the constant's value.
      if (re.type === "identifier") {
        const value = analyzer.valueOf(re);
        if (value) re = unwrap(value);
      }
      if (re.type !== "regex" || !first) return [];
      const pattern = field(re, "pattern")?.text ?? "";
      if (/^\^(-|\\-)/.test(pattern)) return [{ cls: "dash", subject: unwrap(first) }];
      if (/^\^.*\$$/.test(pattern) && !/\.[*+]/.test(pattern)) return [{ cls: "allow", subject: unwrap(first) }];
      return [];
    }
    default:
      return [];
  }
}

/** `root + path.sep`, `root + "/"`, `` `${root}/` ``, or a constant ending in a separator. */
function endsWithSeparator(node: Node, analyzer: ConstnessAnalyzer, depth = 0): boolean {
  const n = unwrap(node);
  const value = analyzer.stringValue(n);
  if (value !== undefined) return /[/\\]$/.test(value);
  if (n.type === "binary_expression" && field(n, "operator")?.text === "+") {
    const right = field(n, "right");
    return !!right && (/^(path\.)?sep$/.test(right.text) || /[/\\]$/.test(analyzer.stringValue(right) ?? ""));
  }
  if (n.type === "template_string") {
    const last = args(n).at(-1);
    if (last?.type === "string_fragment") return /[/\\]$/.test(last.text);
    if (last?.type === "template_substitution") return /^(path\.)?sep$/.test(args(last)[0]?.text ?? "");
  }
  if (n.type === "identifier" && depth < 4) {
    const bound = analyzer.valueOf(n);
    return bound ? endsWithSeparator(bound, analyzer, depth + 1) : false;
  }
  return false;
}
