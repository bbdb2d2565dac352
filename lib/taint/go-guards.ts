import type { Node } from "web-tree-sitter";
import type { ConstnessAnalyzer } from "../extract/constness.js";
import { args, field, literalString, walk } from "../extract/shell-ast.js";
import {
  bothFacts, checkNote, GuardCollector, type GuardFact, lastLeaves, oneOfFact, operatorOf as operator, PREFIX_NOTE, UNNORMALISED_NOTE,
} from "./py-go-common.js";
import { regexKinds } from "./py-guards.js";

/**
 * Go checks that make a value safe: `if !allowed[x] { return }`, `if _, ok := m[x]; !ok`,
 * `switch x { case "a", "b": ... }`, `filepath.Rel` not starting with "..",
 * `strings.HasPrefix(p, root+string(os.PathSeparator))`, `filepath.IsLocal`, host allow-lists.
 */

const NORMALISERS = new Set(["filepath.Clean", "filepath.Abs", "filepath.Join", "filepath.EvalSymlinks", "path.Clean", "path.Join", "filepath.Rel"]);
const WRAPPERS = new Map<string, number>([
  ["filepath.Clean", 0], ["filepath.Abs", 0], ["filepath.EvalSymlinks", 0], ["path.Clean", 0], ["strings.ToLower", 0],
  ["strings.TrimSpace", 0], ["url.Parse", 0], ["url.ParseRequestURI", 0], ["filepath.Rel", 1], ["filepath.ToSlash", 0],
]);
const EXIT_CALLS = /^(panic|os\.Exit|log\.Fatal\w*|log\.Panic\w*|t\.Fatal\w*)$/;

interface Subject {
  names: string[];
  normalised: boolean;
  urlPart: boolean;
  /** The subject is a `filepath.Rel` result (its ".." test is the containment check). */
  rel: boolean;
}

export class GoGuards extends GuardCollector {
  constructor(
    root: Node,
    private readonly analyzer: ConstnessAnalyzer,
  ) {
    super();
    walk(root, (node) => {
      if (node.type === "if_statement") this.ifGuards(node);
      else if (node.type === "expression_switch_statement") this.switchGuards(node);
    });
  }

  protected exits(block: Node): boolean {
    return exits(block);
  }

  protected elseBranches(ifNode: Node): Node[] {
    const alt = field(ifNode, "alternative");
    return alt ? [alt] : [];
  }

  /** `switch x { case "a", "b": <here> }`: x is one of the literals inside that case. */
  private switchGuards(node: Node): void {
    const value = field(node, "value");
    const s = value ? this.subject(value) : undefined;
    if (!s) return;
    for (const c of args(node)) {
      if (c.type !== "expression_case") continue;
      const values = args(field(c, "value"));
      if (values.length && values.every((v) => this.analyzer.analyze(v).constant)) {
        const note = checkNote("case ", field(c, "value")!);
        this.guards.push({ facts: [oneOfFact(s)], region: c, after: c.startIndex, note });
      }
    }
  }

  good(cond: Node, depth = 0): GuardFact[] {
    if (depth > 12) return [];
    switch (cond.type) {
      case "parenthesized_expression":
        return args(cond)[0] ? this.good(args(cond)[0], depth + 1) : [];
      case "unary_expression":
        return operator(cond) === "!" && field(cond, "operand") ? this.bad(field(cond, "operand")!, depth + 1) : [];
      case "binary_expression": {
        const op = operator(cond);
        const l = field(cond, "left");
        const r = field(cond, "right");
        if (!l || !r) return [];
        if (op === "&&") return [...this.good(l, depth + 1), ...this.good(r, depth + 1)];
        if (op === "==") return this.equality(l, r);
        return [];
      }
      case "index_expression":
        return this.membership(cond);
      case "identifier": {
        // `_, ok := allowed[x]` ... `if ok`
        const bound = this.analyzer.valueOf(cond);
        return bound?.type === "index_expression" ? this.membership(bound) : [];
      }
      case "call_expression":
        return this.goodCall(cond);
      default:
        return [];
    }
  }

  bad(cond: Node, depth = 0): GuardFact[] {
    if (depth > 12) return [];
    switch (cond.type) {
      case "parenthesized_expression":
        return args(cond)[0] ? this.bad(args(cond)[0], depth + 1) : [];
      case "unary_expression":
        return operator(cond) === "!" && field(cond, "operand") ? this.good(field(cond, "operand")!, depth + 1) : [];
      case "binary_expression": {
        const op = operator(cond);
        const l = field(cond, "left");
        const r = field(cond, "right");
        if (!l || !r) return [];
        if (op === "||") return [...this.bad(l, depth + 1), ...this.bad(r, depth + 1)];
        if (op === "&&") return bothFacts(this.bad(l, depth + 1), this.bad(r, depth + 1));
        if (op === "!=") return this.equality(l, r);
        if (op === "==") {
          // rel == ".." after filepath.Rel
          const s = this.subject(l);
          if (s?.rel && literalString(r) === "..") return [{ subjects: s.names, kinds: ["path"] }];
        }
        return [];
      }
      case "call_expression": {
        const name = this.callName(cond);
        const argv = args(field(cond, "arguments"));
        if ((name === "strings.HasPrefix" || name === "strings.Contains") && argv.length === 2) {
          const s = this.subject(argv[0]);
          const prefix = literalString(argv[1]) ?? this.analyzer.stringValue(argv[1]);
          if (!s || prefix === undefined) return [];
          if (name === "strings.HasPrefix" && prefix === "-") return [{ subjects: s.names, kinds: ["argument"] }];
          if (s.rel && prefix.startsWith("..")) return [{ subjects: s.names, kinds: ["path"] }];
          if (name === "strings.Contains" && prefix === "..") return [{ subjects: s.names, kinds: ["path"], half: "dotdot" }];
          if (name === "strings.HasPrefix" && prefix === "/") return [{ subjects: s.names, kinds: ["path"], half: "absolute" }];
        }
        if ((name === "filepath.IsAbs" || name === "path.IsAbs") && argv[0]) {
          const s = this.subject(argv[0]);
          if (s?.rel) return [{ subjects: s.names, kinds: ["path"] }];
          if (s) return [{ subjects: s.names, kinds: ["path"], half: "absolute" }];
        }
        return [];
      }
      default:
        return [];
    }
  }

  private equality(a: Node, b: Node): GuardFact[] {
    for (const [x, y] of [[a, b], [b, a]] as const) {
      if (!this.analyzer.analyze(y).constant || y.type === "nil") continue;
      const s = this.subject(x);
      if (s && !s.rel) return [oneOfFact(s)];
    }
    return [];
  }

  /** `allowed[x]` on a constant map. */
  private membership(index: Node): GuardFact[] {
    const operand = field(index, "operand");
    const key = field(index, "index");
    if (!operand || !key || !this.constantCollection(operand)) return [];
    const s = this.subject(key);
    return s ? [oneOfFact(s)] : [];
  }

  private goodCall(call: Node): GuardFact[] {
    const name = this.callName(call);
    const argv = args(field(call, "arguments"));
    if (name === "slices.Contains" && argv.length === 2 && this.constantCollection(argv[0])) {
      const s = this.subject(argv[1]);
      return s ? [oneOfFact(s)] : [];
    }
    if (name === "filepath.IsLocal" && argv[0]) {
      const s = this.subject(argv[0]);
      return s ? [{ subjects: s.names, kinds: ["path"] }] : [];
    }
    if (name === "strings.HasPrefix" && argv.length === 2) {
      const s = this.subject(argv[0]);
      if (!s || literalString(argv[1]) === "-") return [];
      const full = /PathSeparator|filepath\.Separator|"\/"\s*$|\/"\s*$/.test(argv[1].text);
      if (!full) return [{ subjects: s.names, kinds: ["path"], partial: PREFIX_NOTE }];
      return [s.normalised ? { subjects: s.names, kinds: ["path"] } : { subjects: s.names, kinds: ["path"], partial: UNNORMALISED_NOTE }];
    }
    // re.MatchString(x) with re = regexp.MustCompile(`^[a-z]+$`)
    const fn = field(call, "function");
    if (fn?.type === "selector_expression" && field(fn, "field")?.text === "MatchString" && argv[0]) {
      const re = field(fn, "operand");
      const compiled = re?.type === "identifier" ? this.analyzer.valueOf(re) : re;
      if (compiled?.type !== "call_expression" || !/regexp\.(Must)?Compile$/.test(field(compiled, "function")?.text ?? "")) return [];
      const pattern = args(field(compiled, "arguments"))[0];
      const text = pattern ? this.analyzer.stringValue(pattern) : undefined;
      const s = this.subject(argv[0]);
      if (!s || text === undefined || !text.startsWith("^")) return [];
      return [{ subjects: s.names, kinds: regexKinds(text, true) }];
    }
    return [];
  }

  private callName(call: Node): string | undefined {
    const fn = field(call, "function");
    if (fn?.type !== "selector_expression") return fn?.text;
    const q = this.analyzer.qualifiedName(fn);
    if (q?.module !== undefined) return `${q.module.split("/").pop()}.${q.name}`;
    return fn.text;
  }

  subject(node: Node | null | undefined, depth = 0): Subject | undefined {
    if (!node || depth > 8) return undefined;
    switch (node.type) {
      case "identifier": {
        const out: Subject = { names: [node.text], normalised: false, urlPart: false, rel: false };
        const bound = this.analyzer.valueOf(node);
        if (bound?.type === "call_expression") {
          const name = this.callName(bound);
          if (name && NORMALISERS.has(name)) out.normalised = true;
          if (name === "filepath.Rel") out.rel = true;
          const index = name ? WRAPPERS.get(name) : undefined;
          const inner = index !== undefined ? this.subject(args(field(bound, "arguments"))[index], depth + 1) : undefined;
          if (inner) {
            out.normalised ||= inner.normalised;
            out.urlPart ||= inner.urlPart;
            for (const n of inner.names) if (!out.names.includes(n)) out.names.push(n);
          }
        }
        return out;
      }
      case "parenthesized_expression":
        return this.subject(args(node)[0], depth + 1);
      case "selector_expression": {
        if (!/^(Host|Scheme)$/.test(field(node, "field")?.text ?? "")) return undefined;
        const inner = this.subject(field(node, "operand"), depth + 1);
        return inner ? { ...inner, urlPart: true } : undefined;
      }
      case "call_expression": {
        const fn = field(node, "function");
        if (fn?.type === "selector_expression" && field(fn, "field")?.text === "Hostname" && args(field(node, "arguments")).length === 0) {
          const inner = this.subject(field(fn, "operand"), depth + 1);
          return inner ? { ...inner, urlPart: true } : undefined;
        }
        const name = this.callName(node);
        const index = name ? WRAPPERS.get(name) : undefined;
        if (index === undefined) return undefined;
        const inner = this.subject(args(field(node, "arguments"))[index], depth + 1);
        return inner ? { ...inner, normalised: inner.normalised || NORMALISERS.has(name!) } : undefined;
      }
      default:
        return undefined;
    }
  }

  /** A map or slice literal with constant keys/elements, or a SCREAMING_CASE / package-level one. */
  private constantCollection(node: Node): boolean {
    let n: Node | undefined = node;
    if (n.type === "identifier") {
      const bound = this.analyzer.valueOf(n);
      if (!bound) return /^[A-Z][A-Z0-9_]*$/.test(n.text);
      n = bound;
    }
    if (n.type !== "composite_literal") return false;
    const body = field(n, "body");
    return args(body).every((el) => {
      const key = el.type === "keyed_element" ? args(el)[0] : el;
      const inner = key?.type === "literal_element" ? args(key)[0] : key;
      return !!inner && this.analyzer.analyze(inner).constant;
    });
  }
}

/** A block that always leaves: its last statement returns, panics, exits, continues or breaks. */
export function exits(block: Node): boolean {
  const list = args(block).find((c) => c.type === "statement_list") ?? block;
  return lastLeaves(args(list), ["return_statement", "continue_statement", "break_statement", "goto_statement"], "call_expression", EXIT_CALLS);
}
