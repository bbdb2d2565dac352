import type { Node } from "web-tree-sitter";
import type { ConstnessAnalyzer } from "../extract/constness.js";
import { field } from "../extract/shell-ast.js";
import type { Binding, Scopes } from "../extract/shell-scope.js";
import {
  applyGuards, type BindingSite, type GuardIndex, guardEffect, label, lineOf, reaching, type SourceFunction, sourceTaint,
  stepAll, type Taint, toolFor, typedSource, union,
} from "./py-go-common.js";

/**
 * A call of a same-file function being followed: its parameters hold the caller's arguments
 * (`A`: one node per parameter, or a list where a variadic parameter takes several).
 */
export interface CallCtx<A> {
  fn: Node;
  args: Map<string, A>;
  caller: CallCtx<A> | null;
  depth: number;
}

const MAX_STEPS = 20_000;
/** All sinks of one file together: a hostile file cannot make the scan slow. */
const FILE_MAX_STEPS = 1_000_000;
const MAX_DEPTH = 150;
const MAX_CALL_DEPTH = 4;
const MAX_HOPS = 3;

/**
 * Demand-driven taint evaluation over scope bindings, shared by Python and Go: the step, depth
 * and hop budgets, the cycle guard per call context, names, parameters (source, followed call
 * or same-file callers) and following same-file calls. Each language supplies `evalNode` and
 * how its parameters, arguments and returns are found.
 */
export abstract class ScopedTaint<A> {
  private steps = 0;
  private fileSteps = 0;
  private depth = 0;
  private hops = 0;
  private readonly inProgress = new Set<string>();
  private readonly ctxIds = new WeakMap<CallCtx<A>, number>();
  private nextCtx = 1;
  private calls: Node[] | undefined;
  /** Line of the sink being evaluated (tool attribution for shared handlers). */
  sinkLine: number | undefined;
  /** Named functions of the file; a name defined once can be followed. */
  protected readonly functionsByName = new Map<string, Node[]>();

  constructor(
    protected readonly root: Node,
    protected readonly scopes: Scopes,
    protected readonly analyzer: ConstnessAnalyzer,
    protected readonly sources: Map<number, SourceFunction>,
    protected readonly guards: GuardIndex,
    functionTypes: readonly string[],
    private readonly callType: string,
  ) {
    for (const type of functionTypes) {
      for (const fn of root.descendantsOfType(type)) {
        const name = fn && field(fn, "name")?.text;
        if (!fn || !name) continue;
        const list = this.functionsByName.get(name) ?? [];
        list.push(fn);
        this.functionsByName.set(name, list);
      }
    }
  }

  /** What one expression node is built from; `ctx` is the call being followed, if any. */
  protected abstract evalNode(node: Node, ctx: CallCtx<A> | null): Taint[];
  /** Bindings other than parameters and loop variables (assignments, imports, decoding). */
  protected abstract evalOtherBinding(b: Binding, name: string, use: Node, ctx: CallCtx<A> | null): Taint[];
  /** The statement a binding comes from, for `reaching`. */
  protected abstract site(b: Binding): BindingSite | undefined;
  /** The declaration of parameter `name` of `fn`. */
  protected abstract paramDecl(fn: Node, name: string): Node | undefined;
  /** True when a declared type cannot carry text. */
  protected abstract cleanType(type: string): boolean;
  /** The taints of what a caller passed for one parameter. */
  protected abstract evalArg(arg: A, ctx: CallCtx<A> | null): Taint[];
  /** Each call of helper `fn` (named `fname`) in the file that passes something for parameter `name`. */
  protected abstract passedBy(fn: Node, fname: string, name: string): { call: Node; passed: A }[];
  /** What `call` passes for each parameter of `fn`. */
  protected abstract bindArguments(fn: Node, call: Node, argv: Node[], boundMethod: boolean): Map<string, A>;
  /** The expressions `fn` returns. */
  protected abstract returnValues(fn: Node): Node[];

  /** Whether a callee can be followed into at all. */
  protected canFollow(_fn: Node): boolean {
    return true;
  }

  /** The tool a source read at `use` belongs to. */
  protected toolAt(src: SourceFunction, use: Node): string | undefined {
    return toolFor(src, lineOf(use), this.sinkLine);
  }

  /** Taints of an expression at the top level (no call being followed). */
  evaluate(node: Node): Taint[] {
    this.steps = 0;
    this.depth = 0;
    this.hops = 0;
    this.inProgress.clear();
    return this.eval(node, null);
  }

  private ctxKey(ctx: CallCtx<A> | null): number {
    if (!ctx) return 0;
    let id = this.ctxIds.get(ctx);
    if (!id) {
      id = this.nextCtx++;
      this.ctxIds.set(ctx, id);
    }
    return id;
  }

  protected eval(node: Node, ctx: CallCtx<A> | null): Taint[] {
    if (++this.steps > MAX_STEPS || ++this.fileSteps > FILE_MAX_STEPS || this.depth >= MAX_DEPTH) return [];
    const key = `${node.id}:${this.ctxKey(ctx)}`;
    if (this.inProgress.has(key)) return [];
    this.inProgress.add(key);
    this.depth++;
    try {
      return this.evalNode(node, ctx);
    } finally {
      this.depth--;
      this.inProgress.delete(key);
    }
  }

  protected all(nodes: (Node | null | undefined)[], ctx: CallCtx<A> | null): Taint[] {
    return union(nodes.filter((n): n is Node => !!n).map((n) => this.eval(n, ctx)));
  }

  protected allCalls(): Node[] {
    this.calls ??= this.root.descendantsOfType(this.callType).filter((c): c is Node => !!c);
    return this.calls;
  }

  // ------------------------------------------------------------ names and parameters

  protected evalName(id: Node, ctx: CallCtx<A> | null): Taint[] {
    const name = id.text;
    const bindings = this.scopes.lookup(name, id);
    if (!bindings) return [];
    const scope = this.bindingScope(name, id);
    const out: Taint[][] = [];
    for (const b of reaching(bindings, id, (x) => this.site(x))) out.push(this.evalBinding(b, name, id, scope, ctx));
    return applyGuards(union(out), guardEffect(this.guards, name, id));
  }

  private evalBinding(b: Binding, name: string, use: Node, scope: Node | undefined, ctx: CallCtx<A> | null): Taint[] {
    switch (b.kind) {
      case "param":
        return scope ? this.evalParam(name, scope, use, ctx) : [];
      case "iter":
        return stepAll(this.eval(b.iterable, ctx), name, lineOf(b.iterable));
      default:
        return this.evalOtherBinding(b, name, use, ctx);
    }
  }

  /** The scope node that binds `name` as seen from `use`. */
  protected bindingScope(name: string, use: Node): Node | undefined {
    for (let n: Node | null = use; n; n = n.parent) {
      if (this.scopes.isScope(n) && this.scopes.bindingsOf(n).has(name)) return n;
    }
    return undefined;
  }

  /** The function whose parameter (and nothing else) the name `id` is. */
  private paramScope(id: Node): Node | undefined {
    const bindings = this.scopes.lookup(id.text, id);
    if (bindings?.length !== 1 || bindings[0].kind !== "param") return undefined;
    return this.bindingScope(id.text, id);
  }

  protected inContext(fn: Node, ctx: CallCtx<A> | null): boolean {
    for (let c = ctx; c; c = c.caller) if (c.fn.id === fn.id) return true;
    return false;
  }

  private evalParam(name: string, fn: Node, use: Node, ctx: CallCtx<A> | null): Taint[] {
    const decl = this.paramDecl(fn, name);
    const declLine = decl ? lineOf(decl) : lineOf(fn);
    // Following a call into this function: the parameter holds the caller's argument.
    for (let c = ctx; c; c = c.caller) {
      if (c.fn.id !== fn.id) continue;
      const arg = c.args.get(name);
      return arg ? stepAll(this.evalArg(arg, c.caller), name, declLine) : [];
    }
    const src = this.sources.get(fn.id);
    if (src?.params.has(name)) {
      const type = decl ? field(decl, "type")?.text : undefined;
      const t = sourceTaint(name, declLine, src.kind, this.toolAt(src, use));
      return [type && this.cleanType(type) ? typedSource(t, `the parameter type \`${label(type)}\``) : t];
    }
    return this.fromCallers(fn, name, declLine);
  }

  /** The same-file helper (defined once, not a handler) that the name `id` is a parameter of. */
  protected helperOf(id: Node): { fn: Node; fname: string } | undefined {
    if (id.type !== "identifier") return undefined;
    const fn = this.paramScope(id);
    const fname = fn && field(fn, "name")?.text;
    if (!fn || !fname || this.sources.has(fn.id) || this.functionsByName.get(fname)?.length !== 1) return undefined;
    return { fn, fname };
  }

  /** A helper's parameter: what its callers in this file pass. */
  private fromCallers(fn: Node, name: string, declLine: number): Taint[] {
    const fname = field(fn, "name")?.text;
    if (!fname || this.hops >= MAX_HOPS || this.functionsByName.get(fname)?.length !== 1) return [];
    const out: Taint[][] = [];
    this.hops++;
    try {
      for (const { call, passed } of this.passedBy(fn, fname, name)) {
        out.push(stepAll(stepAll(this.evalArg(passed, null), call.text, lineOf(call)), name, declLine));
      }
    } finally {
      this.hops--;
    }
    return union(out);
  }

  // ------------------------------------------------------------ source reads and calls

  /** The source function whose parameter `root` (the start of a read chain) is, outside followed calls. */
  protected sourceParam(root: Node, ctx: CallCtx<A> | null): { fn: Node; src: SourceFunction } | undefined {
    const fn = this.paramScope(root);
    if (!fn || this.inContext(fn, ctx)) return undefined;
    const src = this.sources.get(fn.id);
    if (!src?.params.has(root.text)) return undefined;
    return { fn, src };
  }

  /** The values a same-file function returns for this call's arguments. */
  protected followCall(fn: Node, call: Node, argv: Node[], ctx: CallCtx<A> | null, boundMethod = false): Taint[] {
    const depth = ctx ? ctx.depth + 1 : 1;
    if (depth > MAX_CALL_DEPTH || !this.canFollow(fn)) return this.all(argv, ctx);
    // Arguments are evaluated in the caller's context; the callee's body in a new one.
    const inner: CallCtx<A> = { fn, args: this.bindArguments(fn, call, argv, boundMethod), caller: ctx, depth };
    const results: Taint[][] = [];
    for (const r of this.returnValues(fn)) results.push(this.eval(r, inner));
    return stepAll(union(results), call.text, lineOf(call));
  }
}
