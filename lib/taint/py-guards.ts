import type { Node } from "web-tree-sitter";
import { callArguments, type ConstnessAnalyzer } from "../extract/constness.js";
import { args, field, literalString, walk } from "../extract/shell-ast.js";
import type { FlowKind } from "./types.js";
import {
  ALL_KINDS, bothFacts, checkNote, GuardCollector, type GuardFact, lastLeaves, oneOfFact, operatorOf as operatorText, PREFIX_NOTE,
  UNNORMALISED_NOTE,
} from "./py-go-common.js";

/**
 * Python checks that make a value safe for the code after them (`if x not in ALLOWED: raise`,
 * `assert`, `try: p.relative_to(root) except ValueError: return`) or inside them
 * (`if x in ALLOWED: ...`).
 */

const EXIT_CALLS = /^(sys\.exit|exit|quit|os\._exit|abort|flask\.abort)$/;
/** Calls that return the same path, normalised. */
const NORMALISERS = new Set(["os.path.realpath", "os.path.abspath", "os.path.normpath", "posixpath.normpath", "posixpath.realpath"]);
const NORMALISING_METHODS = new Set(["resolve", "absolute"]);
/** One-argument wrappers whose result is still "the same value" for a check. */
const WRAPPERS = new Set([
  ...NORMALISERS, "os.path.expanduser", "pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "str",
  "urllib.parse.urlparse", "urllib.parse.urlsplit", "urlparse", "urlsplit",
]);
const SAME_VALUE_METHODS = new Set(["resolve", "absolute", "lower", "strip", "casefold", "expanduser", "rstrip", "lstrip"]);
const URL_PARTS = new Set(["hostname", "netloc", "host", "scheme"]);
const TRUTH_METHODS = new Set(["isalnum", "isdigit", "isidentifier", "isdecimal", "isnumeric", "isalpha"]);

interface Subject {
  names: string[];
  normalised: boolean;
  urlPart: boolean;
}

export class PyGuards extends GuardCollector {
  constructor(
    root: Node,
    private readonly analyzer: ConstnessAnalyzer,
  ) {
    super();
    walk(root, (node) => {
      if (node.type === "if_statement") this.ifGuards(node);
      else if (node.type === "assert_statement") {
        const cond = args(node)[0];
        const facts = cond ? this.good(cond) : [];
        if (facts.length && node.parent) this.guards.push({ facts, region: node.parent, after: node.endIndex, note: checkNote("assert ", cond!) });
      } else if (node.type === "try_statement") this.tryGuard(node);
      else if (node.type === "match_statement") this.matchGuards(node);
    });
  }

  protected exits(block: Node): boolean {
    return exits(block);
  }

  protected elseBranches(ifNode: Node): Node[] {
    return ifNode.childrenForFieldName("alternative").filter((alt): alt is Node => alt?.type === "else_clause");
  }

  /** `match x:` / `case "a" | "b":` - inside that case, x is one of the literals. */
  private matchGuards(node: Node): void {
    const s = this.subject(field(node, "subject"));
    if (!s) return;
    for (const c of args(field(node, "body"))) {
      if (c.type !== "case_clause") continue;
      const pattern = args(c).find((p) => p.type === "case_pattern");
      const body = field(c, "consequence");
      const inner = pattern ? args(pattern)[0] : undefined;
      const literals = inner?.type === "union_pattern" ? args(inner) : inner ? [inner] : [];
      if (!body || literals.length === 0 || !literals.every((l) => l.type === "string" || l.type === "integer")) continue;
      const facts: GuardFact[] = [oneOfFact(s)];
      this.guards.push({ facts, region: body, after: body.startIndex, note: checkNote("case ", pattern!) });
    }
  }

  /** `try: p.relative_to(root)` with an except clause that leaves: p is inside root afterwards. */
  private tryGuard(node: Node): void {
    const body = field(node, "body");
    const handlers = args(node).filter((c) => c.type === "except_clause");
    if (!body || !handlers.some((h) => exits(args(h).find((c) => c.type === "block") ?? h))) return;
    const fn = enclosingFunction(node);
    for (const stmt of args(body)) {
      const call = stmt.type === "expression_statement" ? args(stmt)[0] : undefined;
      const fnNode = call?.type === "call" ? field(call, "function") : null;
      if (fnNode?.type !== "attribute" || field(fnNode, "attribute")?.text !== "relative_to") continue;
      const subject = this.subject(field(fnNode, "object"));
      if (!subject) continue;
      const facts: GuardFact[] = [pathFact(subject, true)];
      this.guards.push({ facts, region: fn ?? node, after: stmt.endIndex, note: checkNote("", stmt) });
    }
  }

  /** Facts that hold when `cond` is true. */
  good(cond: Node, depth = 0): GuardFact[] {
    if (depth > 12) return [];
    switch (cond.type) {
      case "parenthesized_expression":
        return args(cond)[0] ? this.good(args(cond)[0], depth + 1) : [];
      case "boolean_operator": {
        if (operatorText(cond) !== "and") return [];
        const l = field(cond, "left");
        const r = field(cond, "right");
        return [...(l ? this.good(l, depth + 1) : []), ...(r ? this.good(r, depth + 1) : [])];
      }
      case "not_operator": {
        const inner = field(cond, "argument");
        return inner ? this.bad(inner, depth + 1) : [];
      }
      case "comparison_operator":
        return this.comparison(cond, false);
      case "call":
        return this.goodCall(cond);
      default:
        return [];
    }
  }

  /** Facts that hold when `cond` is false (the code after `if cond: raise`). */
  bad(cond: Node, depth = 0): GuardFact[] {
    if (depth > 12) return [];
    switch (cond.type) {
      case "parenthesized_expression":
        return args(cond)[0] ? this.bad(args(cond)[0], depth + 1) : [];
      case "boolean_operator": {
        const l = field(cond, "left");
        const r = field(cond, "right");
        if (!l || !r) return [];
        if (operatorText(cond) === "and") return bothFacts(this.bad(l, depth + 1), this.bad(r, depth + 1));
        return [...this.bad(l, depth + 1), ...this.bad(r, depth + 1)];
      }
      case "not_operator": {
        const inner = field(cond, "argument");
        return inner ? this.good(inner, depth + 1) : [];
      }
      case "comparison_operator": {
        // `".." in name`: half of a path check
        const [a, b] = args(cond);
        const op = cond.children.filter((c) => c && !c.isNamed).map((c) => c!.text).join(" ");
        if (op === "in" && a && b && literalString(a) === "..") {
          const s = this.subject(b);
          return s ? [{ subjects: s.names, kinds: ["path"], half: "dotdot" }] : [];
        }
        return this.comparison(cond, true);
      }
      case "call": {
        const fn = field(cond, "function");
        const argv = callArguments(cond);
        // `os.path.isabs(name)`: the other half of a path check
        if (fn && /(^|\.)isabs$/.test(fn.text) && argv[0]) {
          const s = this.subject(argv[0]);
          return s ? [{ subjects: s.names, kinds: ["path"], half: "absolute" }] : [];
        }
        if (fn?.type !== "attribute") return [];
        const method = field(fn, "attribute")?.text;
        const subject = this.subject(field(fn, "object"));
        if (!subject) return [];
        if (method === "is_absolute" && argv.length === 0) return [{ subjects: subject.names, kinds: ["path"], half: "absolute" }];
        if (method !== "startswith") return [];
        // `if x.startswith("-"): raise`: no option smuggling afterwards.
        const prefixes = argv[0] ? stringsOf(argv[0]) : [];
        const facts: GuardFact[] = [];
        if (prefixes.includes("-")) facts.push({ subjects: subject.names, kinds: ["argument"] });
        if (prefixes.includes("/")) facts.push({ subjects: subject.names, kinds: ["path"], half: "absolute" });
        return facts;
      }
      default:
        return [];
    }
  }

  /** `a in S`, `a not in S`, `a == "x"`, `commonpath([root, a]) == root`; `negated` flips the reading. */
  private comparison(node: Node, negated: boolean): GuardFact[] {
    const operands = args(node);
    const ops = node.children.filter((c) => c && !c.isNamed).map((c) => c!.text);
    if (operands.length !== 2 || ops.length === 0) return [];
    const op = ops.join(" ");
    const [a, b] = operands;
    const positive = negated ? op === "not in" || op === "!=" || op === "is not" : op === "in" || op === "==" || op === "is";
    if (!positive) return [];
    if (op === "in" || op === "not in") {
      if (!this.constantCollection(b)) return [];
      const s = this.subject(a);
      if (!s) return [];
      return [oneOfFact(s)];
    }
    // Equality: one side a constant, or the commonpath idiom.
    for (const [x, y] of [[a, b], [b, a]] as const) {
      const common = commonpathSubject(x, y);
      if (common) {
        const s = this.subject(common);
        if (s) return [pathFact(s, s.normalised)];
      }
      if (this.analyzer.analyze(y).constant) {
        const s = this.subject(x);
        if (s) return [oneOfFact(s)];
      }
    }
    return [];
  }

  private goodCall(call: Node): GuardFact[] {
    const fn = field(call, "function");
    if (!fn) return [];
    const argv = callArguments(call);
    if (fn.type === "attribute") {
      const method = field(fn, "attribute")?.text ?? "";
      const obj = field(fn, "object");
      if (method === "startswith" && argv[0]) {
        const s = this.subject(obj);
        if (!s) return [];
        if (stringsOf(argv[0]).includes("-")) return [];
        const prefix = argv[0];
        const full = /os\.sep|os\.path\.sep|["']\/["']|\/["']\s*$|os\.path\.join\([^)]*,\s*["']["']\)/.test(prefix.text);
        if (!full) return [{ subjects: s.names, kinds: ["path"], partial: PREFIX_NOTE }];
        return [pathFact(s, s.normalised)];
      }
      if (method === "is_relative_to" && argv[0]) {
        const s = this.subject(obj);
        return s ? [pathFact(s, s.normalised)] : [];
      }
      if (TRUTH_METHODS.has(method) && argv.length === 0) {
        const s = this.subject(obj);
        return s ? [{ subjects: s.names, kinds: ALL_KINDS }] : [];
      }
      // re.fullmatch(P, x) / PATTERN.fullmatch(x)
      if (method === "fullmatch" || method === "match") {
        const q = this.analyzer.qualifiedName(fn);
        const isModule = q?.module === "re";
        const target = isModule ? argv[1] : argv[0];
        const pattern = isModule ? argv[0] : patternOf(obj, this.analyzer);
        const s = target ? this.subject(target) : undefined;
        const text = pattern ? this.analyzer.stringValue(pattern) : undefined;
        if (!s || text === undefined) return [];
        return [{ subjects: s.names, kinds: regexKinds(text, method === "match") }];
      }
    }
    return [];
  }

  /** The name(s) a checked expression stands for, through wrappers and single assignments. */
  subject(node: Node | null | undefined, depth = 0): Subject | undefined {
    if (!node || depth > 8) return undefined;
    switch (node.type) {
      case "identifier": {
        const out: Subject = { names: [node.text], normalised: false, urlPart: false };
        const bound = this.analyzer.valueOf(node);
        if (bound) {
          const inner = this.subject(bound, depth + 1);
          if (inner) {
            out.normalised = inner.normalised;
            out.urlPart = inner.urlPart;
            for (const n of inner.names) if (!out.names.includes(n)) out.names.push(n);
          } else if (isNormalising(bound, this.analyzer)) out.normalised = true;
        }
        return out;
      }
      case "parenthesized_expression":
        return this.subject(args(node)[0], depth + 1);
      case "attribute": {
        const attr = field(node, "attribute")?.text ?? "";
        if (!URL_PARTS.has(attr)) return undefined;
        const inner = this.subject(field(node, "object"), depth + 1);
        return inner ? { ...inner, urlPart: true } : undefined;
      }
      case "call": {
        const fn = field(node, "function");
        if (!fn) return undefined;
        const argv = callArguments(node);
        if (fn.type === "attribute" && argv.length === 0 && SAME_VALUE_METHODS.has(field(fn, "attribute")?.text ?? "")) {
          const inner = this.subject(field(fn, "object"), depth + 1);
          if (!inner) return undefined;
          return NORMALISING_METHODS.has(field(fn, "attribute")!.text) ? { ...inner, normalised: true } : inner;
        }
        const q = this.analyzer.qualifiedName(fn);
        const name = q?.module !== undefined ? `${q.module}.${q.name}` : fn.text;
        if (WRAPPERS.has(name) && argv.length === 1) {
          const inner = this.subject(argv[0], depth + 1);
          if (!inner) return undefined;
          return NORMALISERS.has(name) ? { ...inner, normalised: true } : inner;
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }

  /** A literal or constant collection (list, tuple, set, dict keys, SCREAMING_CASE name). */
  private constantCollection(node: Node): boolean {
    let n = node;
    if (n.type === "call") {
      const fn = field(n, "function");
      const argv = callArguments(n);
      if (fn?.type === "attribute" && field(fn, "attribute")?.text === "keys" && argv.length === 0) n = field(fn, "object") ?? n;
      else if (fn?.type === "identifier" && /^(frozenset|set|tuple|list)$/.test(fn.text) && argv[0]) n = argv[0];
      else return false;
    }
    if (n.type === "identifier") {
      const bound = this.analyzer.valueOf(n);
      if (!bound) {
        // SCREAMING_CASE defined elsewhere (imported, or a global we cannot see) is a constant by convention.
        const bindings = this.analyzer.scopes.lookup(n.text, n);
        return /^[A-Z][A-Z0-9_]*$/.test(n.text) && (!bindings || bindings.every((b) => b.kind === "import"));
      }
      return this.constantCollection(bound);
    }
    if (n.type === "list" || n.type === "tuple" || n.type === "set") return args(n).every((e) => this.analyzer.analyze(e).constant);
    if (n.type === "dictionary") {
      return args(n).every((p) => p.type === "pair" && !!field(p, "key") && this.analyzer.analyze(field(p, "key")!).constant);
    }
    if (n.type === "attribute") return /^[A-Z][A-Z0-9_]*$/.test(field(n, "attribute")?.text ?? "");
    return false;
  }
}

function pathFact(s: Subject, normalised: boolean): GuardFact {
  return normalised ? { subjects: s.names, kinds: ["path"] } : { subjects: s.names, kinds: ["path"], partial: UNNORMALISED_NOTE };
}

function isNormalising(node: Node, analyzer: ConstnessAnalyzer): boolean {
  if (node.type !== "call") return false;
  const fn = field(node, "function");
  if (!fn) return false;
  if (fn.type === "attribute" && NORMALISING_METHODS.has(field(fn, "attribute")?.text ?? "")) return true;
  const q = analyzer.qualifiedName(fn);
  return q?.module !== undefined && NORMALISERS.has(`${q.module}.${q.name}`);
}

/** `os.path.commonpath([root, p])` -> the non-root element (the one the caller checks). */
function commonpathSubject(node: Node, other: Node): Node | undefined {
  if (node.type !== "call" || !/(^|\.)commonpath$/.test(field(node, "function")?.text ?? "")) return undefined;
  const list = callArguments(node)[0];
  if (!list || (list.type !== "list" && list.type !== "tuple")) return undefined;
  const items = args(list);
  // The checked path is the element that is not the root the result is compared with.
  return items.find((i) => i.text !== other.text) ?? items[items.length - 1];
}

function patternOf(obj: Node | null, analyzer: ConstnessAnalyzer): Node | undefined {
  if (!obj) return undefined;
  const compiled = obj.type === "identifier" ? analyzer.valueOf(obj) : obj;
  if (compiled?.type !== "call") return undefined;
  const q = analyzer.qualifiedName(field(compiled, "function")!);
  return q?.module === "re" && q.name === "compile" ? callArguments(compiled)[0] : undefined;
}

/** What an allow-list regex rules out: anchored character classes without `/`, `.` or a leading `-`. */
export function regexKinds(pattern: string, matchOnly: boolean): FlowKind[] {
  const anchoredEnd = /(\$|\\Z)$/.test(pattern);
  if (matchOnly && !anchoredEnd) return [];
  const body = pattern.replace(/^\^/, "").replace(/(\$|\\Z)$/, "");
  const token = /(\[[^\]]+\]|\\w|\\d)([+*?]|\{\d+(?:,\d*)?\})?/y;
  const classes: string[] = [];
  let at = 0;
  while (at < body.length) {
    token.lastIndex = at;
    const m = token.exec(body);
    if (!m) return [];
    classes.push(m[1].startsWith("[") ? m[1].slice(1, -1) : m[1]);
    at = token.lastIndex;
  }
  if (classes.length === 0 || classes.some((c) => c.startsWith("^"))) return [];
  const literal = classes.map((c) => c.replace(/\\[wd]/g, "").replace(/\\[-._]/g, (e) => e[1])).join("");
  if (/[\s;&|`$<>(){}'"\\*?!#~%]/.test(literal)) return [];
  const kinds: FlowKind[] = ["shell", "code", "sql", "url"];
  const first = classes[0].replace(/\\[wd]/g, "");
  if (!/^-|[^\\]-$|\\-/.test(first)) kinds.push("argument");
  if (!/[./]/.test(literal)) kinds.push("path");
  return kinds;
}

function stringsOf(node: Node): string[] {
  const single = literalString(node);
  if (single !== undefined) return [single];
  if (node.type === "tuple") return args(node).map(literalString).filter((s): s is string => s !== undefined);
  return [];
}

/** A block that always leaves: its last statement raises, returns, continues or exits. */
export function exits(block: Node): boolean {
  return lastLeaves(args(block), ["raise_statement", "return_statement", "continue_statement", "break_statement"], "call", EXIT_CALLS);
}

function enclosingFunction(node: Node): Node | undefined {
  for (let n = node.parent; n; n = n.parent) if (n.type === "function_definition") return n;
  return undefined;
}
