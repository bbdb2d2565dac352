import type { Node } from "web-tree-sitter";
import { args, clip, contains, field, spanOf, walk } from "../extract/shell-ast.js";
import type { Scopes } from "../extract/shell-scope.js";
import { redactSecrets } from "../extract/shell-redact.js";
import type { ToolDefinition } from "../extract/types.js";
import type { FlowKind, TaintFlow, TraceStep } from "./types.js";
import { OPTION_PROGRAMS, takesValue } from "./argv.js";

/**
 * Pieces the Python and Go taint front ends share: the tainted-value record, merging, trace
 * hops, guards (checks that make a value safe after them), argv-list, URL-host and value-sink
 * checks, and turning a result into a TaintFlow. The evaluator base class is in py-go-eval.ts.
 */

export const ALL_KINDS: readonly FlowKind[] = ["shell", "argument", "code", "path", "url", "sql"];

/** A tainted value: where it came from, the hops it took, and what it is already safe for. */
export interface Taint {
  source: TaintFlow["source"];
  tool?: string;
  /** Source first. */
  steps: TraceStep[];
  /** Kinds this value can no longer exploit (`shlex.quote` for shells, `basename` for paths). */
  clean: ReadonlySet<FlowKind>;
  /** A bypassable path check applied (`startswith(root)` without a separator); says which. */
  partial?: string;
  /** Went through string building (f-string, `%`, `.format`, `+`, `Sprintf`, join). */
  built: boolean;
  /** The checks and conversions that made it safe for the kinds in `clean`, for the record. */
  checks?: string[];
}

const MAX_TAINTS = 4;
const MAX_TRACE = 10;

export function lineOf(node: Node): number {
  return node.startPosition.row + 1;
}

/** Short one-line text for a trace hop; secrets masked. */
export function label(text: string): string {
  return redactSecrets(clip(text, 80));
}

export function sourceTaint(name: string, line: number, kind: TaintFlow["source"]["kind"], tool: string | undefined): Taint {
  const shown = label(name);
  return { source: { name: shown, line, kind }, tool, steps: [{ label: shown, line }], clean: new Set(), built: false };
}

/** A source whose declared type admits no text (`Literal[...]`, an Enum, a number): safe for everything. */
export function typedSource(t: Taint, why: string): Taint {
  return { ...t, clean: new Set(ALL_KINDS), checks: [why] };
}

/** Append a hop unless it repeats the last one; long traces keep both ends. */
export function withStep(t: Taint, text: string, line: number): Taint {
  const step = { label: label(text), line };
  const last = t.steps[t.steps.length - 1];
  if (last && last.label === step.label && last.line === step.line) return t;
  let steps = [...t.steps, step];
  if (steps.length > MAX_TRACE) steps = [steps[0], ...steps.slice(steps.length - MAX_TRACE + 1)];
  return { ...t, steps };
}

export function stepAll(ts: Taint[], text: string, line: number): Taint[] {
  return ts.map((t) => withStep(t, text, line));
}

export function union(lists: Taint[][]): Taint[] {
  const out: Taint[] = [];
  for (const list of lists) {
    for (const t of list) {
      if (out.length >= MAX_TAINTS) return out;
      if (!out.some((o) => o.source.name === t.source.name && o.source.line === t.source.line && sameClean(o, t))) out.push(t);
    }
  }
  return out;
}

function sameClean(a: Taint, b: Taint): boolean {
  return a.clean.size === b.clean.size && [...a.clean].every((k) => b.clean.has(k)) && a.partial === b.partial;
}

export function built(ts: Taint[]): Taint[] {
  return ts.map((t) => (t.built ? t : { ...t, built: true }));
}

export function cleanFor(ts: Taint[], kinds: Iterable<FlowKind>, why?: string): Taint[] {
  const list = [...kinds];
  if (list.length === 0) return ts;
  return ts.map((t) => ({ ...t, clean: new Set([...t.clean, ...list]), checks: why ? [...(t.checks ?? []), why] : t.checks }));
}

/** The taint that makes the sink a flow: an unchecked one first, then a partially checked one. */
export function pick(ts: Taint[], kind: FlowKind, needBuilt = false): Taint | undefined {
  const live = ts.filter((t) => !t.clean.has(kind) && (!needBuilt || t.built));
  return live.find((t) => kind !== "path" || !t.partial) ?? live[0];
}

// ---------------------------------------------------------------- guards

/** What a check establishes about one name. */
export interface GuardFact {
  /** Names the check covers (the checked name and the name it was derived from, e.g. urlparse(u)). */
  subjects: string[];
  kinds: readonly FlowKind[];
  /** Set when the check is bypassable; only meaningful for path. */
  partial?: string;
  /** Half of a path check: rejecting `..` needs rejecting absolute paths too, and the other way round. */
  half?: "dotdot" | "absolute";
}

/**
 * What holds after `if a and b: leave` when each side alone would prove something:
 * `x != "a" and x != "b"` leaves x one of the two. Only facts both sides agree on survive.
 */
export function bothFacts(left: GuardFact[], right: GuardFact[]): GuardFact[] {
  const out: GuardFact[] = [];
  for (const f of left) {
    for (const g of right) {
      if (f.partial || g.partial || f.half || g.half) continue;
      const subjects = f.subjects.filter((n) => g.subjects.includes(n));
      const kinds = f.kinds.filter((k) => g.kinds.includes(k));
      if (subjects.length && kinds.length) out.push({ subjects, kinds });
    }
  }
  return out;
}

export const DOTDOT_NOTE = "the check rejects `..` but not absolute paths, which replace the root when joined";

/**
 * Pair up the halves of a path check (`".." in p` and `p.startswith("/")` / `isabs(p)` in the
 * same condition): together they keep a joined path inside its root; `..` alone is partial.
 */
export function pairHalves(facts: GuardFact[]): GuardFact[] {
  const out = facts.filter((f) => !f.half);
  for (const f of facts.filter((x) => x.half === "dotdot")) {
    const other = facts.find((x) => x.half === "absolute" && x.subjects.some((n) => f.subjects.includes(n)));
    out.push(other ? { subjects: f.subjects, kinds: ["path"] } : { subjects: f.subjects, kinds: ["path"], partial: DOTDOT_NOTE });
  }
  return out;
}

/** A check and the region of code it protects. */
export interface Guard {
  facts: GuardFact[];
  /** The check as written, with its line, e.g. "`if cmd not in ALLOWED` (line 12)". */
  note?: string;
  /** Uses inside this node are protected... */
  region: Node;
  /** ...when they start at or after this offset. */
  after: number;
}

export interface GuardEffect {
  clean: Set<FlowKind>;
  partial?: string;
  notes: string[];
}

/** Guards by the names they cover, so a lookup costs only the guards of that name. */
export type GuardIndex = Map<string, Guard[]>;

export function indexGuards(guards: Guard[]): GuardIndex {
  const index: GuardIndex = new Map();
  for (const g of guards) {
    for (const name of new Set(g.facts.flatMap((f) => f.subjects))) {
      const list = index.get(name);
      if (list) list.push(g);
      else index.set(name, [g]);
    }
  }
  return index;
}

/** Everything the guards establish for `name` at `use`. */
export function guardEffect(index: GuardIndex, name: string, use: Node): GuardEffect {
  const clean = new Set<FlowKind>();
  const notes: string[] = [];
  let partial: string | undefined;
  for (const g of index.get(name) ?? []) {
    if (use.startIndex < g.after || !contains(g.region, use)) continue;
    for (const f of g.facts) {
      if (!f.subjects.includes(name)) continue;
      if (f.partial) partial ??= f.partial;
      else {
        for (const k of f.kinds) clean.add(k);
        if (g.note && !notes.includes(g.note)) notes.push(g.note);
      }
    }
  }
  return { clean, partial: clean.has("path") ? undefined : partial, notes };
}

/** "`if x not in ALLOWED` (line 12)": how a check reads in a note. */
export function checkNote(prefix: string, cond: Node): string {
  return `\`${clip(`${prefix}${cond.text}`, 70)}\` (line ${lineOf(cond)})`;
}

export function applyGuards(ts: Taint[], effect: GuardEffect): Taint[] {
  if (effect.clean.size === 0 && !effect.partial) return ts;
  return ts.map((t) => {
    const clean = new Set([...t.clean, ...effect.clean]);
    const partial = clean.has("path") ? undefined : (t.partial ?? effect.partial);
    const checks = effect.notes.length ? [...(t.checks ?? []), ...effect.notes] : t.checks;
    return { ...t, clean, partial, checks };
  });
}

/**
 * Collects the guards of one file. Each language says what a condition proves when true
 * (`good`) or false (`bad`), which blocks always leave and which branches are the `else`.
 */
export abstract class GuardCollector {
  protected readonly guards: Guard[] = [];

  all(): Guard[] {
    return this.guards;
  }

  /** Facts that hold when `cond` is true. */
  abstract good(cond: Node, depth?: number): GuardFact[];
  /** Facts that hold when `cond` is false. */
  abstract bad(cond: Node, depth?: number): GuardFact[];
  protected abstract exits(block: Node): boolean;
  /** The `else` branches of an if statement. */
  protected abstract elseBranches(ifNode: Node): Node[];

  /** Inside `if cond:` the true facts hold; after `if cond: leave` (and in its else) the false ones do. */
  protected ifGuards(node: Node): void {
    const cond = field(node, "condition");
    const body = field(node, "consequence");
    if (!cond || !body) return;
    const note = checkNote("if ", cond);
    const inside = this.good(cond);
    if (inside.length) this.guards.push({ facts: inside, region: body, after: body.startIndex, note });
    if (this.exits(body)) {
      const after = pairHalves(this.bad(cond));
      if (after.length && node.parent) {
        this.guards.push({ facts: after, region: node.parent, after: node.endIndex, note });
        for (const alt of this.elseBranches(node)) this.guards.push({ facts: after, region: alt, after: alt.startIndex, note });
      }
    }
  }
}

/** The name(s) a checked value stands for is one of some constants: safe for everything (a URL part: for URLs). */
export function oneOfFact(s: { names: string[]; urlPart: boolean }): GuardFact {
  return { subjects: s.names, kinds: s.urlPart ? ["url"] : ALL_KINDS };
}

/** An operator's text: the `operator` field, else the first anonymous child. */
export function operatorOf(node: Node): string {
  return field(node, "operator")?.text ?? node.children.find((c) => c && !c.isNamed)?.text ?? "";
}

/** Whether the last of `stmts` leaves: a statement of `leaving` type, or an expression statement calling an exit function. */
export function lastLeaves(stmts: Node[], leaving: readonly string[], callType: string, exitCalls: RegExp): boolean {
  const last = stmts[stmts.length - 1];
  if (!last) return false;
  if (leaving.includes(last.type)) return true;
  if (last.type === "expression_statement") {
    const call = args(last)[0];
    const fn = call?.type === callType ? field(call, "function")?.text : undefined;
    return !!fn && exitCalls.test(fn);
  }
  return false;
}

export const PREFIX_NOTE =
  "the prefix check has no trailing separator, so a sibling such as `/allowed-evil` passes it";
export const UNNORMALISED_NOTE =
  "the containment check runs on a path that was not normalised first, so `../` segments pass it";

// ---------------------------------------------------------------- sources and flows

/** A function whose parameters are untrusted input. */
export interface SourceFunction {
  kind: TaintFlow["source"]["kind"];
  params: Set<string>;
  /** Tools whose handler is (in) this function. */
  tools: ToolDefinition[];
}

/** The tool a source belongs to: the handler containing the read, then the sink, then the only one. */
export function toolFor(src: SourceFunction, useLine: number, sinkLine: number | undefined): string | undefined {
  const named = src.tools.filter((t) => t.name !== null);
  const within = (line: number) =>
    named
      .filter((t) => t.handler && t.handler.span.line <= line && line <= t.handler.span.endLine)
      .sort((a, b) => a.handler!.span.endLine - a.handler!.span.line - (b.handler!.span.endLine - b.handler!.span.line))[0];
  const hit = within(useLine) ?? (sinkLine !== undefined ? within(sinkLine) : undefined);
  if (hit) return hit.name!;
  return named.length === 1 ? named[0].name! : undefined;
}

/** Innermost of `candidates` (function nodes) that spans lines `line`..`endLine`. */
export function functionAt(candidates: Node[], line: number, endLine: number): Node | undefined {
  let best: Node | undefined;
  for (const n of candidates) {
    if (n.startPosition.row + 1 > line || n.endPosition.row + 1 < endLine) continue;
    if (!best || n.endIndex - n.startIndex < best.endIndex - best.startIndex) best = n;
  }
  return best;
}

export interface SinkHit {
  kind: FlowKind;
  sink: string;
  call: Node;
  taint: Taint;
  withCredentials?: boolean;
  /** A full check makes the value safe here (reported as `check: "checked"` for shell sinks). */
  checked?: boolean;
}

/**
 * The shell-sink result for a command's taints: a flow, or (when every traced input is made safe
 * by a check) a "checked" record so the shell-call rule can stand down on this call.
 */
export function shellHit(ts: Taint[], sink: string, call: Node): SinkHit | undefined {
  const t = pick(ts, "shell");
  if (t) return { kind: "shell", sink, call, taint: t };
  const safe = ts[0];
  return safe ? { kind: "shell", sink, call, taint: safe, checked: true } : undefined;
}

export function toFlow(hit: SinkHit, path: string): TaintFlow {
  const snippet = redactSecrets(clip(hit.call.text, 200));
  const t = withStep(hit.taint, hit.call.text, lineOf(hit.call));
  const flow: TaintFlow = {
    kind: hit.kind,
    sink: hit.sink,
    span: spanOf(hit.call, path),
    snippet,
    source: t.source,
    trace: t.steps,
    check: hit.checked ? "checked" : hit.kind === "path" && t.partial ? "partial" : "none",
  };
  if (t.tool) flow.tool = t.tool;
  if (flow.check === "partial") flow.note = t.partial;
  if (flow.check === "checked") flow.note = t.checks?.length ? `checked by ${t.checks.slice(0, 2).join(", ")}` : "checked";
  if (hit.kind === "url" && hit.withCredentials) flow.withCredentials = true;
  return flow;
}

/** Interpreters whose `-c`/`-e` flag takes a script. */
export function scriptFlag(program: string): string[] | undefined {
  const base = program.split(/[\\/]/).pop() ?? program;
  if (/^python(\d+(\.\d+)?)?(\.exe)?$/.test(base) || base === "pypy" || base === "pypy3") return ["-c"];
  if (base === "node" || base === "nodejs" || base === "deno" || base === "bun") return ["-e", "--eval", "-p", "--print"];
  if (base === "ruby" || base === "perl") return ["-e"];
  if (base === "php") return ["-r"];
  return undefined;
}

export function programBase(program: string): string {
  return (program.split(/[\\/]/).pop() ?? program).replace(/\.exe$/i, "");
}

// ---------------------------------------------------------------- reaching assignments

/** Where a binding was made: its statement, and whether it replaces the value (plain `=`). */
export interface BindingSite {
  stmt: Node;
  kills: boolean;
}

const LOOPS = new Set(["for_statement", "while_statement", "for_in_statement"]);

/**
 * Flow-insensitive bindings narrowed to the ones that can reach `use`: a plain assignment that
 * runs before the use in an enclosing block hides earlier ones (`name = secure_filename(name)`).
 * `site` returns undefined for bindings it cannot place (parameters count as coming first).
 */
export function reaching<B>(bindings: B[], use: Node, site: (b: B) => BindingSite | undefined): B[] {
  let killer: BindingSite | undefined;
  for (const b of bindings) {
    const s = site(b);
    if (!s?.kills || s.stmt.endIndex > use.startIndex || !s.stmt.parent || !contains(s.stmt.parent, use)) continue;
    if (!killer || s.stmt.startIndex > killer.stmt.startIndex) killer = s;
  }
  if (!killer) return bindings;
  const k = killer;
  return bindings.filter((b) => {
    const s = site(b);
    if (!s) return false; // a parameter, overwritten before the use
    if (s.stmt.id === k.stmt.id) return true;
    if (s.stmt.startIndex < k.stmt.startIndex) return false;
    if (s.stmt.startIndex < use.startIndex) return true;
    // After the use: only a loop brings it back around.
    for (let n = use.parent; n; n = n.parent) if (LOOPS.has(n.type) && contains(n, s.stmt)) return true;
    return false;
  });
}

/** `conn.execute(text(f"..."))` is one flow: keep the innermost call per line and kind. */
export function dedupe(hits: SinkHit[]): SinkHit[] {
  const best = new Map<string, SinkHit>();
  const key = (h: SinkHit) => `${h.call.startPosition.row}:${h.kind}:${h.checked ? "c" : ""}`;
  for (const h of hits) {
    const prev = best.get(key(h));
    if (!prev || h.call.text.length < prev.call.text.length) best.set(key(h), h);
  }
  // An open flow and a checked record for the same call: the open flow wins.
  return hits.filter((h) => best.get(key(h)) === h && !(h.checked && hits.some((o) => !o.checked && o.call.id === h.call.id && o.kind === h.kind)));
}

/**
 * Text before the first input-controlled piece of a URL fixes where the request goes when it
 * holds a scheme, a host and the `/`, `?` or `#` that ends the host, or starts a relative path.
 * (`https://api.example.com` + input does not: `@evil.example` moves the host.)
 */
export function hostFixed(prefix: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/?#]+[/?#]/i.test(prefix) || (prefix.startsWith("/") && !prefix.startsWith("//"));
}

const SQL_WORDS = /\b(select|insert|update|delete|create|drop|alter|from|where|into|values|set|order\s+by|limit|pragma|truncate)\b/i;
const LITERALS = new Set(["string", "string_content", "interpreted_string_literal", "raw_string_literal"]);

/**
 * Does the literal text a query is built from read like SQL? Keeps `cache.Get(ctx, "user:"+id)`
 * and `executor.execute(job)` out of the SQL sinks. Follows local names a few levels.
 */
export function looksLikeSql(node: Node, scopes: Scopes, depth = 0): boolean {
  if (depth > 4) return false;
  let found = false;
  walk(node, (n) => {
    if (found) return false;
    if (LITERALS.has(n.type) && SQL_WORDS.test(n.text)) {
      found = true;
      return false;
    }
    if (n.type === "identifier" && depth < 4) {
      for (const b of scopes.lookup(n.text, n) ?? []) {
        if (b.kind === "value" && b.value.id !== node.id && looksLikeSql(b.value, scopes, depth + 1)) {
          found = true;
          return false;
        }
      }
    }
  });
  return found;
}

// ---------------------------------------------------------------- sink checks shared by both front ends

/** One element of an argv list. */
export interface ArgvElement {
  node: Node;
  splat: boolean;
}

/** What judging an argv list needs from a language. */
export interface ArgvJudge<E extends ArgvElement> {
  evaluate(node: Node): Taint[];
  stringValue(node: Node): string | undefined;
  /** Could this non-constant argument start with `-`? */
  optionShaped(node: Node): boolean;
  /** The taint as it reaches the sink through element `e` (extra hops for a helper's argument). */
  reach(t: Taint, e: E): Taint;
}

/**
 * An argv list's flows: a program from input runs anything (shell); a script after an
 * interpreter's `-c`/`-e` (code); option smuggling into a program that takes options (argument).
 * `program` is the first element's text when known.
 */
export function argvListHits<E extends ArgvElement>(elements: E[], program: string | undefined, call: Node, sink: string, judge: ArgvJudge<E>): SinkHit[] {
  const [head, ...rest] = elements;
  if (!head) return [];
  if (program === undefined) {
    const t = pick(judge.evaluate(head.node), "shell");
    if (t) return [{ kind: "shell", sink, call, taint: judge.reach(t, head) }];
    // `exec.Command(cfg.Shell, "-c", script)`: a configured shell still runs the script.
    const flag = rest[0] && !rest[0].splat ? judge.stringValue(rest[0].node) : undefined;
    const script = flag === "-c" && rest[1] && !rest[1].splat ? rest[1].node : undefined;
    const hit = script ? shellHit(judge.evaluate(script), sink, call) : undefined;
    return hit ? [hit] : [];
  }
  const base = programBase(program);
  const hits: SinkHit[] = [];
  const flags = scriptFlag(base);
  if (flags) {
    const at = rest.findIndex((e) => !e.splat && flags.includes(judge.stringValue(e.node) ?? ""));
    const script = at >= 0 ? rest[at + 1] : undefined;
    const t = script ? pick(judge.evaluate(script.node), "code") : undefined;
    if (t) hits.push({ kind: "code", sink, call, taint: judge.reach(t, script!) });
  }
  if (OPTION_PROGRAMS.has(base)) {
    let optionValue = false;
    for (const e of rest) {
      const value = e.splat ? undefined : judge.stringValue(e.node);
      if (value === "--") break;
      if (value !== undefined) {
        optionValue = takesValue(base, value);
        continue;
      }
      if (optionValue) {
        optionValue = false; // the value of `-C dir`: cannot become an option itself
        continue;
      }
      if (!e.splat && !judge.optionShaped(e.node)) continue;
      const t = pick(judge.evaluate(e.node), "argument");
      if (t) {
        hits.push({ kind: "argument", sink, call, taint: judge.reach(t, e) });
        break;
      }
    }
  }
  return hits;
}

/** Pieces of a built string in order: constant text, or an expression. */
export type Piece = { text: string } | { node: Node };

/**
 * The URL's scheme and host are fixed before the first tainted piece (path or query injection
 * only). A first expression that is not tainted is a base URL from configuration (env, flags),
 * not the caller's to choose.
 */
export function urlPiecesHostFixed(pieces: Piece[], evaluate: (node: Node) => Taint[]): boolean {
  let prefix = "";
  for (const p of pieces) {
    if ("text" in p) {
      prefix += p.text;
      continue;
    }
    if (pick(evaluate(p.node), "url")) return hostFixed(prefix);
    return true;
  }
  return true;
}

/** A sink whose listed values are judged one by one (everything but argv lists). */
export interface ValueSink {
  kind: FlowKind;
  sink: string;
  values: Node[];
  needBuilt?: boolean;
}

/**
 * The first value of `spec` that makes a flow: a taint not made safe for the kind, SQL only
 * where the text reads like SQL, URLs only where the input can choose the host.
 */
export function valueSinkHit(
  spec: ValueSink,
  call: Node,
  evaluate: (node: Node) => Taint[],
  scopes: Scopes,
  urlHostFixed: (node: Node) => boolean,
): SinkHit | undefined {
  for (const value of spec.values) {
    const t = pick(evaluate(value), spec.kind, spec.needBuilt);
    if (!t) continue;
    if (spec.kind === "sql" && !looksLikeSql(value, scopes)) continue;
    if (spec.kind === "url" && urlHostFixed(value)) continue;
    return { kind: spec.kind, sink: spec.sink, call, taint: t };
  }
  return undefined;
}
