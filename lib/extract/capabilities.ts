import { type Language, type Node, Query } from "web-tree-sitter";
import { redact } from "../redact.js";
import {
  type ApiSpec,
  GO_APIS,
  JS_APIS,
  JS_CLIENTS,
  MUTATING_METHODS,
  normaliseJsKey,
  normaliseJsModule,
  PY_APIS,
  PY_CLIENTS,
  PY_DISTINCT_METHODS,
  PY_METHODS,
} from "./capabilities-apis.js";
import { CAPABILITY_ORDER } from "./capabilities-view.js";
import { ConstnessAnalyzer, requiredModule } from "./constness.js";
import { JS_FUNCTION_TYPES } from "./handler.js";
import { args, clip, familyOf, field, type Family, literalString } from "./shell-ast.js";
import type { CapabilitySummary, ImportedCallee, ShellCall, SourceLanguage, ToolCapability, ToolDefinition } from "./types.js";

/**
 * What each tool's handler can do: run commands, evaluate code, read or write files, reach the
 * network, read the environment. Calls are classified with the API tables in
 * capabilities-apis.ts through the file's imports; calls into functions of the same file are
 * followed (bounded, cycle-safe); calls into other files of the repository are recorded and
 * resolved by capabilities-link.ts once every file is parsed. See docs/capabilities.md.
 */

export interface CapabilityInput {
  root: Node;
  lang: SourceLanguage;
  path: string;
  tools: ToolDefinition[];
  /** Shell calls already found in the file: each counts as runs-commands where it lies. */
  shellCalls: ShellCall[];
  /** The file's shared analyzer (its scope cache is reused); a new one is made when absent. */
  analyzer?: ConstnessAnalyzer;
}

/** How many functions a handler's calls are followed through within one file. */
const MAX_LOCAL_DEPTH = 6;
const MAX_LOCAL_FUNCTIONS = 200;
/** Per function: more evidence than this adds nothing a maintainer reads. */
const MAX_CAPS_PER_FUNCTION = 60;
const MAX_CALLEES_PER_FUNCTION = 40;
export const MAX_CAPS_PER_TOOL = 40;
/** Work budget per file (functions visited plus evidence copied): hostile call graphs stop here. */
const MAX_FILE_STEPS = 200_000;


const FUNCTION_TYPES: Record<Family, Set<string>> = {
  js: new Set([...JS_FUNCTION_TYPES, "generator_function_declaration"]),
  python: new Set(["function_definition", "lambda"]),
  go: new Set(["func_literal", "function_declaration", "method_declaration"]),
};

const CALL_TYPES: Record<Family, string[]> = {
  js: ["call_expression", "new_expression"],
  python: ["call"],
  go: ["call_expression"],
};

/** Last segments of every API the tables know: method calls with other names are not resolved. */
const API_NAMES = new Set(
  [...JS_APIS.keys(), ...PY_APIS.keys(), ...PY_METHODS.keys(), ...PY_DISTINCT_METHODS.keys(), ...GO_APIS.keys()].map((k) => k.slice(k.lastIndexOf(".") + 1)),
);
API_NAMES.add("bind");

/** Where environment reads can be: `process.env`, `os.environ`, a bare `environ` imported from os. */
const ENV_QUERIES: Record<Family, string | undefined> = {
  js: '((member_expression object: (identifier) @o property: (property_identifier) @p) @m (#eq? @o "process") (#eq? @p "env"))',
  python: '([(attribute attribute: (identifier) @a) (identifier) @a] @m (#match? @a "^environb?$"))',
  go: undefined,
};
const envQueries = new Map<Language, Query | null>();

function envCandidates(fn: Node, family: Family): Node[] {
  const source = ENV_QUERIES[family];
  if (!source) return [];
  // Query predicates run in JavaScript for every candidate: skip functions that cannot match.
  const text = fn.text;
  if (family === "js" ? !text.includes("process") : !text.includes("environ")) return [];
  const language = fn.tree.language;
  let query = envQueries.get(language);
  if (query === undefined) {
    try {
      query = new Query(language, source);
    } catch {
      query = null;
    }
    envQueries.set(language, query);
  }
  if (!query) return [];
  return query.captures(fn).filter((c) => c.name === "m").map((c) => c.node);
}

const GO_BUILTINS = new Set([
  "append", "cap", "clear", "close", "complex", "copy", "delete", "imag", "len", "make", "max", "min", "new", "panic",
  "print", "println", "real", "recover", "string", "int", "int64", "int32", "uint", "uint64", "float64", "byte", "rune", "error", "bool",
]);

/** Python modules that are never files of the repository: calls into them are not followed. */
const PY_EXTERNAL = new Set([
  "os", "sys", "json", "re", "typing", "subprocess", "pathlib", "shutil", "asyncio", "logging", "datetime", "time", "mcp", "pydantic",
  "httpx", "requests", "aiohttp", "collections", "functools", "itertools", "dataclasses", "enum", "base64", "hashlib", "uuid",
  "tempfile", "glob", "io", "textwrap", "urllib", "fastmcp", "typing_extensions", "contextlib", "abc", "math", "random", "shlex",
]);

type Resolved =
  | { kind: "key"; module: string; path: string[] }
  | { kind: "client"; client: string; path: string[] }
  | { kind: "local"; node: Node; name: string }
  | { kind: "imported"; module: string; path: string[] }
  | { kind: "self"; name: string };

interface Direct {
  caps: Omit<ToolCapability, "via">[];
  local: { node: Node; name: string }[];
  imported: { module: string; name: string }[];
}

class FileCapabilities {
  private readonly family: Family;
  private readonly analyzer: ConstnessAnalyzer;
  private readonly cache = new Map<number, Direct>();
  private goMethods?: Map<string, Node[]>;
  private steps = 0;

  constructor(
    private readonly input: CapabilityInput,
  ) {
    this.family = familyOf(input.lang);
    this.analyzer = input.analyzer ?? new ConstnessAnalyzer(input.root, input.lang);
  }

  /** Capabilities of a function and of the same-file functions it calls; calls into other files. */
  collect(start: Node): { caps: ToolCapability[]; callees: ImportedCallee[] } {
    const caps: ToolCapability[] = [];
    const callees: ImportedCallee[] = [];
    const seen = new Set<number>([start.id]);
    const queue: { node: Node; via: string[] }[] = [{ node: start, via: [] }];
    for (let i = 0; i < queue.length && i < MAX_LOCAL_FUNCTIONS; i++) {
      const { node, via } = queue[i]!;
      const d = this.direct(node);
      this.steps += 1 + d.caps.length + d.imported.length;
      if (this.steps > MAX_FILE_STEPS) break;
      for (const c of d.caps) caps.push({ ...c, via });
      for (const c of d.imported) callees.push({ ...c, via });
      if (via.length >= MAX_LOCAL_DEPTH) continue;
      for (const l of d.local) {
        if (seen.has(l.node.id)) continue;
        seen.add(l.node.id);
        queue.push({ node: l.node, via: [...via, l.name] });
      }
    }
    return { caps: dedupe(caps), callees: uniqueCallees(callees) };
  }

  /** True once the file's work budget is spent: later summaries are skipped. */
  get exhausted(): boolean {
    return this.steps > MAX_FILE_STEPS;
  }

  /** What a function's own body does (nested closures included: they usually run). */
  direct(fn: Node): Direct {
    const cached = this.cache.get(fn.id);
    if (cached) return cached;
    const d: Direct = { caps: [], local: [], imported: [] };
    this.cache.set(fn.id, d);
    // descendantsOfType runs inside tree-sitter and hands over only the matches: walking every
    // node from JavaScript costs several times more on large files.
    for (const node of fn.descendantsOfType(CALL_TYPES[this.family])) {
      if (!node || d.caps.length >= MAX_CAPS_PER_FUNCTION) break;
      try {
        this.call(node, d);
      } catch {
        // One odd expression must not cost the rest of the function.
      }
    }
    for (const node of envCandidates(fn, this.family)) {
      try {
        this.envAccess(node, d);
      } catch {
        // As above.
      }
    }
    const from = fn.startPosition.row + 1;
    const to = fn.endPosition.row + 1;
    for (const s of this.input.shellCalls) {
      if (s.span.path !== this.input.path || s.span.line < from || s.span.endLine > to) continue;
      if (d.caps.some((c) => c.kind === "runs-commands" && c.span.line === s.span.line)) continue;
      d.caps.push({ kind: "runs-commands", api: s.api, span: s.span, detail: clip(redact(s.command.source), 80) });
    }
    if (d.imported.length > MAX_CALLEES_PER_FUNCTION) d.imported.length = MAX_CALLEES_PER_FUNCTION;
    return d;
  }

  private call(node: Node, d: Direct): void {
    const fnNode = field(node, "function") ?? field(node, "constructor");
    if (!fnNode) return;
    if (!this.worthResolving(fnNode)) return;
    const argList = field(node, "arguments");
    const argv = argList?.type === "template_string" ? [argList] : args(argList);
    const r = this.resolve(fnNode, 0);
    if (!r) {
      // Python: `p.write_text(...)` on a receiver we cannot type; these names belong to pathlib only.
      if (this.family === "python" && fnNode.type === "attribute") {
        const spec = PY_DISTINCT_METHODS.get(field(fnNode, "attribute")?.text ?? "");
        if (spec) this.add(d, node, `pathlib.Path.${field(fnNode, "attribute")!.text}`, spec, argv);
      }
      return;
    }
    switch (r.kind) {
      case "key": {
        const key = this.keyOf(r.module, r.path);
        const spec = this.apiFor(key);
        if (spec) this.add(d, node, key, spec, argv);
        else if (this.family === "go" && r.module === "" && r.path.length === 1 && !GO_BUILTINS.has(r.path[0]!)) {
          // A function of the same package in another file.
          d.imported.push({ module: "", name: r.path[0]! });
        }
        return;
      }
      case "client": {
        const key = `${r.client}.${r.path.join(".")}`;
        const spec = (this.family === "python" ? PY_METHODS.get(key) ?? PY_APIS.get(key) : JS_APIS.get(key)) ?? undefined;
        if (spec) this.add(d, node, key, spec, argv);
        return;
      }
      case "local":
        d.local.push({ node: r.node, name: r.name });
        return;
      case "imported": {
        if (r.path.length === 0) return;
        const prefix = r.path.slice(0, -1);
        // Python `from . import utils; utils.run()`: the module is ".utils".
        const module = this.family === "python" && prefix.length > 0 ? `${r.module}${r.module.endsWith(".") ? "" : "."}${prefix.join(".")}` : r.module;
        d.imported.push({ module, name: r.path[r.path.length - 1]! });
        return;
      }
      case "self": {
        const method = this.methodNamed(node, r.name);
        if (method) d.local.push({ node: method, name: r.name });
        else if (this.family === "go") d.imported.push({ module: "", name: `#${r.name}` });
        return;
      }
    }
  }

  /**
   * Cheap syntactic filter before name resolution: a method call matters only when the method
   * name is one an API table knows, the receiver is `this`/`self`, or the chain starts at an
   * import. Most calls in real code (`s.trim()`, `list.map(...)`) are none of these.
   */
  private worthResolving(fn: Node): boolean {
    if (this.family === "go" || (fn.type !== "member_expression" && fn.type !== "attribute")) return true;
    const prop = (field(fn, "property") ?? field(fn, "attribute"))?.text ?? "";
    if (API_NAMES.has(prop)) return true;
    let root: Node | null = fn;
    for (let i = 0; i < 16 && root && (root.type === "member_expression" || root.type === "attribute"); i++) root = field(root, "object");
    if (!root) return false;
    if (root.type === "this" || (root.type === "identifier" && root.text === "self")) return true;
    if (root.type === "call_expression" || root.type === "call") return true;
    return root.type === "identifier" && this.moduleImports().has(root.text);
  }

  private imports?: Set<string>;

  /** Names bound by imports at the top of the file. */
  private moduleImports(): Set<string> {
    if (!this.imports) {
      this.imports = new Set();
      for (const [name, bindings] of this.analyzer.scopes.bindingsOf(this.input.root)) {
        if (bindings.some((b) => b.kind === "import" || (b.kind === "value" && /\brequire\s*\(|\bimport\s*\(/.test(b.value.text)))) this.imports.add(name);
      }
    }
    return this.imports;
  }

  private apiFor(key: string): ApiSpec | undefined {
    if (this.family === "python") return PY_APIS.get(key);
    if (this.family === "go") return GO_APIS.get(key);
    return JS_APIS.get(normaliseJsKey(key));
  }

  private keyOf(module: string, path: string[]): string {
    const m = this.family === "js" ? normaliseJsModule(module) : module;
    const key = [m, ...path].filter((p) => p !== "").join(".");
    return this.family === "js" ? normaliseJsKey(key) : key;
  }

  private add(d: Direct, call: Node, api: string, spec: ApiSpec, argv: Node[]): void {
    const cap: Omit<ToolCapability, "via"> = {
      kind: spec.kind,
      api,
      span: { path: this.input.path, line: call.startPosition.row + 1, endLine: call.endPosition.row + 1 },
    };
    if (spec.destructive) cap.destructive = true;
    if (spec.kind === "runs-commands") {
      const cmd = argv[spec.commandArg ?? 0];
      if (cmd) cap.detail = clip(redact(cmd.text), 80);
      const program = this.programOf(spec, argv);
      if (program) cap.program = clip(redact(program), 80);
    } else if (spec.kind === "network") {
      const method = spec.method ?? this.methodOf(spec, argv);
      if (method) {
        cap.detail = method;
        cap.mutating = MUTATING_METHODS.has(method);
        if (method === "DELETE") cap.destructive = true;
      }
    } else if (spec.kind === "reads-env") {
      const key = argv[0] ? literalString(argv[0]) : undefined;
      if (key) cap.detail = clip(key, 60);
    } else if (spec.modeArg !== undefined) {
      const mode = this.modeOf(argv, spec.modeArg);
      if (mode === "write" || mode === "truncate") cap.kind = "writes-files";
      if (mode === "truncate" && this.family === "go") cap.destructive = true;
    }
    d.caps.push(cap);
  }

  /** `process.env.X`, `os.environ[...]`, `environ` imported from os. */
  private envAccess(node: Node, d: Direct): void {
    let detail: string | undefined;
    let api: string | undefined;
    if (node.type === "member_expression") {
      const obj = field(node, "object");
      if (obj?.type !== "identifier" || obj.text !== "process" || field(node, "property")?.text !== "env") return;
      if (this.analyzer.scopes.lookup("process", obj)) return;
      api = "process.env";
      const parent = node.parent;
      if (parent?.type === "member_expression" && field(parent, "object")?.id === node.id) detail = field(parent, "property")?.text;
      else if (parent?.type === "subscript_expression" && field(parent, "object")?.id === node.id) detail = literalString(field(parent, "index"));
    } else if (node.type === "attribute") {
      const obj = field(node, "object");
      const attr = field(node, "attribute")?.text;
      if (obj?.type !== "identifier" || (attr !== "environ" && attr !== "environb")) return;
      const imp = this.analyzer.importOf(obj);
      if (imp?.module !== "os" || imp.name !== "*") return;
      api = `os.${attr}`;
      detail = this.envKey(node);
    } else {
      if (node.text !== "environ" || node.parent?.type === "attribute" && field(node.parent, "attribute")?.id === node.id) return;
      const imp = this.analyzer.importOf(node);
      if (imp?.module !== "os" || imp.name !== "environ") return;
      api = "os.environ";
      detail = this.envKey(node);
    }
    const cap: Omit<ToolCapability, "via"> = {
      kind: "reads-env",
      api,
      span: { path: this.input.path, line: node.startPosition.row + 1, endLine: node.endPosition.row + 1 },
    };
    if (detail) cap.detail = clip(detail, 60);
    d.caps.push(cap);
  }

  /** `os.environ["X"]` / `os.environ.get("X")` -> X. */
  private envKey(node: Node): string | undefined {
    const parent = node.parent;
    if (parent?.type === "subscript") return literalString(field(parent, "subscript"));
    if (parent?.type === "attribute" && parent.parent?.type === "call") return literalString(args(field(parent.parent, "arguments"))[0] ?? null);
    return undefined;
  }

  /** Who a callee is: an API key, a client method, a same-file function, or a function of another file. */
  private resolve(raw: Node, depth: number): Resolved | undefined {
    if (depth > 8) return undefined;
    const node = unwrapValue(raw);
    if (node.type === "identifier") return this.resolveName(node, depth);
    if (node.type === "this" || (this.family === "python" && node.type === "identifier" && node.text === "self")) return undefined;
    if (node.type === "member_expression" || node.type === "attribute" || node.type === "selector_expression") {
      const obj = field(node, "object") ?? field(node, "operand");
      const prop = (field(node, "property") ?? field(node, "attribute") ?? field(node, "field"))?.text;
      if (!obj || !prop) return undefined;
      const o = unwrapValue(obj);
      if (o.type === "this" || (this.family === "python" && o.type === "identifier" && o.text === "self")) return { kind: "self", name: prop };
      if (this.family === "js" && prop === "bind") return this.resolve(o, depth + 1);
      const direct = this.family === "js" ? requiredModule(o) : undefined;
      if (direct !== undefined) return { kind: "key", module: direct, path: [prop] };
      const base = o.type === "call_expression" || o.type === "call" ? this.clientOf(o, depth) : this.resolve(o, depth + 1);
      if (!base) {
        // Go: a method on the function's receiver or a local value (`s.helper()`).
        if (this.family === "go" && o.type === "identifier" && this.isGoReceiverLike(o)) return { kind: "self", name: prop };
        return undefined;
      }
      if (base.kind === "key") return { kind: "key", module: base.module, path: [...base.path, prop] };
      if (base.kind === "client") return { kind: "client", client: base.client, path: [...base.path, prop] };
      if (base.kind === "imported") return { kind: "imported", module: base.module, path: [...base.path, prop] };
      return undefined;
    }
    if (node.type === "call_expression" || node.type === "call") {
      // `promisify(exec)(...)`-style wrappers are rare as direct callees; handled through bindings.
      return undefined;
    }
    return undefined;
  }

  private resolveName(node: Node, depth: number): Resolved | undefined {
    const name = node.text;
    const bindings = this.analyzer.scopes.lookup(name, node);
    if (!bindings) {
      if (this.family === "python") {
        const client = this.pyWithClient(node, depth);
        if (client) return client;
      }
      return { kind: "key", module: "", path: [name] };
    }
    const imp = this.analyzer.importOf(node);
    if (imp) return this.fromImport(imp.module, imp.name);
    if (bindings.length !== 1) return undefined;
    const b = bindings[0]!;
    if (b.kind === "function") return { kind: "local", node: b.node, name };
    if (b.kind === "opaque" && this.family === "python") return this.pyWithClient(node, depth);
    if (b.kind !== "value" || b.path.length > 0) return undefined;
    const value = unwrapValue(b.value);
    if (FUNCTION_TYPES[this.family].has(value.type)) return { kind: "local", node: value, name };
    if (value.type === "call_expression" || value.type === "call") return this.clientOf(value, depth);
    if (this.family === "go" && (value.type === "unary_expression" || value.type === "composite_literal")) return undefined;
    if (value.type === "identifier" || value.type === "member_expression" || value.type === "attribute" || value.type === "selector_expression") {
      return this.resolve(value, depth + 1);
    }
    return undefined;
  }

  private fromImport(module: string, name: string): Resolved {
    const path = name === "*" || name === "default" ? [] : [name];
    if (this.family === "js" && (module.startsWith("./") || module.startsWith("../"))) {
      return { kind: "imported", module, path: name === "*" ? [] : [name] };
    }
    if (this.family === "python" && !PY_EXTERNAL.has(module.replace(/^\.+/, "").split(".")[0] ?? "") && !this.pyKnownModule(module)) {
      return pyImported(module, name);
    }
    if (this.family === "go" && /^[^/]+\.[^/]+\//.test(module)) return { kind: "imported", module, path: [] };
    return { kind: "key", module, path };
  }

  private pyKnownModule(module: string): boolean {
    const top = module.split(".")[0] ?? "";
    for (const key of PY_APIS.keys()) if (key.startsWith(`${top}.`)) return true;
    for (const key of PY_CLIENTS.keys()) if (key.startsWith(`${top}.`)) return true;
    return false;
  }

  /** A value made by a call: a known client (`axios.create()`, `httpx.Client()`, `Path(p)`), or `promisify(fn)`. */
  private clientOf(call: Node, depth: number): Resolved | undefined {
    const fn = field(call, "function");
    if (!fn) return undefined;
    const r = this.resolve(fn, depth + 1);
    if (r?.kind !== "key") return undefined;
    const key = this.keyOf(r.module, r.path);
    if (key === "util.promisify" || key === "promisify") {
      const first = args(field(call, "arguments"))[0];
      return first ? this.resolve(first, depth + 1) : undefined;
    }
    const clients = this.family === "python" ? PY_CLIENTS : JS_CLIENTS;
    const client = clients.get(key);
    return client ? { kind: "client", client, path: [] } : undefined;
  }

  /** `with httpx.Client() as client:` / `async with aiohttp.ClientSession() as s:`. */
  private pyWithClient(node: Node, depth: number): Resolved | undefined {
    for (let n = node.parent; n; n = n.parent) {
      if (n.type !== "with_statement") continue;
      for (const item of n.descendantsOfType("with_item")) {
        const value = item ? field(item, "value") : null;
        if (value?.type !== "as_pattern") continue;
        const target = field(value, "alias");
        const inner = args(value)[0];
        if (target?.text !== node.text || !inner) continue;
        return inner.type === "call" ? this.clientOf(inner, depth) : undefined;
      }
    }
    return undefined;
  }

  /** The method of that name in the enclosing class (JS, Python) or the file (Go, by name). */
  private methodNamed(from: Node, name: string): Node | undefined {
    if (this.family === "go") {
      if (!this.goMethods) {
        this.goMethods = new Map();
        for (const m of this.input.root.descendantsOfType("method_declaration")) {
          const n = m ? field(m, "name")?.text : undefined;
          if (!m || !n) continue;
          const list = this.goMethods.get(n) ?? [];
          list.push(m);
          this.goMethods.set(n, list);
        }
      }
      const list = this.goMethods.get(name);
      return list?.length === 1 ? list[0] : undefined;
    }
    for (let n = from.parent; n; n = n.parent) {
      if (n.type === "class_body") {
        for (const m of args(n)) {
          if (m.type === "method_definition" && field(m, "name")?.text === name) return m;
          if ((m.type === "public_field_definition" || m.type === "field_definition") && field(m, "name")?.text === name) {
            const v = field(m, "value");
            if (v && FUNCTION_TYPES.js.has(unwrapValue(v).type)) return unwrapValue(v);
          }
        }
        return undefined;
      }
      if (n.type === "class_definition") {
        for (const m of args(field(n, "body"))) {
          const fn = m.type === "decorated_definition" ? field(m, "definition") : m;
          if (fn?.type === "function_definition" && field(fn, "name")?.text === name) return fn;
        }
        return undefined;
      }
    }
    return undefined;
  }

  private isGoReceiverLike(obj: Node): boolean {
    const b = this.analyzer.scopes.lookup(obj.text, obj);
    return b?.length === 1 && b[0]!.kind === "param";
  }

  private methodOf(spec: ApiSpec, argv: Node[]): string | undefined {
    if (spec.methodArg === undefined) return undefined;
    const candidates = [argv[spec.methodArg], ...argv.filter((a) => a.type === "object" || a.type === "dictionary")];
    if (argv.length <= spec.methodArg && !argv.some((a) => a.type === "object")) return "GET";
    for (const c of candidates) {
      if (!c) continue;
      const v = unwrapValue(c);
      const m = this.methodValue(v);
      if (m) return m;
      if (v.type === "object") {
        const pair = args(v).find((p) => p.type === "pair" && field(p, "key")?.text.replace(/^["']|["']$/g, "") === "method");
        const value = pair ? field(pair, "value") : null;
        if (!pair) {
          if (c === argv[spec.methodArg]) return "GET";
          continue;
        }
        return value ? this.methodValue(unwrapValue(value)) : undefined;
      }
    }
    return undefined;
  }

  private methodValue(v: Node): string | undefined {
    const s = v.type === "object" || v.type === "dictionary" ? undefined : this.analyzer.stringValue(v);
    if (s !== undefined && /^[a-z]+$/i.test(s)) return s.toUpperCase();
    const m = /(?:^|\.)Method(Get|Post|Put|Patch|Delete|Head|Options)$/.exec(v.text);
    return m ? m[1]!.toUpperCase() : undefined;
  }

  private modeOf(argv: Node[], index: number): "read" | "write" | "truncate" | undefined {
    let mode: Node | undefined = argv[index];
    if (this.family === "python") {
      const kw = argv.find((a) => a.type === "keyword_argument" && field(a, "name")?.text === "mode");
      if (kw) mode = field(kw, "value") ?? undefined;
      else if (mode?.type === "keyword_argument") mode = undefined;
    }
    if (!mode) return "read";
    if (this.family === "go") {
      if (/O_TRUNC/.test(mode.text)) return "truncate";
      return /O_WRONLY|O_RDWR|O_CREATE|O_APPEND/.test(mode.text) ? "write" : "read";
    }
    const s = this.analyzer.stringValue(mode);
    if (s === undefined) return undefined;
    return /[wax+]/.test(s) ? "write" : "read";
  }

  /** The program and leading constant arguments of a command, when they are fixed in the source. */
  private programOf(spec: ApiSpec, argv: Node[]): string | undefined {
    const first = argv[spec.commandArg ?? 0];
    if (!first) return undefined;
    const listNode = unwrapValue(first);
    if (spec.command === "string" || (spec.command === "argv-list" && listNode.type !== "list" && listNode.type !== "tuple")) {
      return words(this.leading(first));
    }
    let items: Node[];
    if (spec.command === "argv-list") items = args(listNode);
    else {
      items = [first];
      const second = argv[(spec.commandArg ?? 0) + 1];
      const list = second ? this.arrayOf(second) : undefined;
      if (list) items.push(...list);
      else if (this.family !== "js") items.push(...argv.slice((spec.commandArg ?? 0) + 1));
    }
    const parts: string[] = [];
    for (const item of items.slice(0, 6)) {
      const v = this.analyzer.stringValue(item);
      if (v === undefined) break;
      parts.push(v);
    }
    if (parts.length === 0) return undefined;
    // `sh -c SCRIPT`: the script is the command.
    const base = parts[0]!.split(/[\\/]/).pop() ?? "";
    if (/^(ba|z|da|k)?sh$/.test(base) && parts[1] && /^-[a-z]*c$/.test(parts[1])) {
      const script = items[2];
      return script ? words(this.leading(script)) : undefined;
    }
    return parts.slice(0, 3).join(" ");
  }

  private arrayOf(node: Node): Node[] | undefined {
    let n = unwrapValue(node);
    if (n.type === "identifier") n = this.analyzer.valueOf(n) ?? n;
    return n.type === "array" || n.type === "list" ? args(n) : undefined;
  }

  /** The literal start of a string expression, and whether it is the whole value. */
  private leading(node: Node, depth = 0): { text: string; complete: boolean } {
    const whole = this.analyzer.stringValue(node);
    if (whole !== undefined) return { text: whole, complete: true };
    const n = unwrapValue(node);
    if (depth > 6) return { text: "", complete: false };
    if (n.type === "template_string" || n.type === "string") {
      let text = "";
      for (const c of args(n)) {
        if (c.type === "string_fragment" || c.type === "string_content") text += c.text;
        else if (c.type === "string_start") continue;
        else break;
      }
      return { text, complete: false };
    }
    if (n.type === "binary_expression" || n.type === "binary_operator") return { text: this.leading(field(n, "left") ?? n, depth + 1).text, complete: false };
    if (n.type === "call" || n.type === "call_expression") {
      const fn = field(n, "function");
      const obj = fn && (fn.type === "attribute" || fn.type === "member_expression") ? field(fn, "object") : null;
      if (obj && (obj.type === "string" || obj.type === "template_string")) return { text: this.leading(obj, depth + 1).text.split("{")[0] ?? "", complete: false };
      if (fn && /(^|\.)Sprintf$/.test(fn.text)) {
        const a = args(field(n, "arguments"))[0];
        const s = a ? literalString(a) : undefined;
        return { text: s ? (s.split("%")[0] ?? "") : "", complete: false };
      }
    }
    return { text: "", complete: false };
  }
}

function words(lead: { text: string; complete: boolean }): string | undefined {
  let list = lead.text.trim().split(/\s+/).filter(Boolean);
  if (!lead.complete && !/\s$/.test(lead.text)) list = list.slice(0, -1);
  const out = list.slice(0, 3).join(" ");
  return out === "" ? undefined : out;
}

/** `from .pkg import mod` then `mod.run()` -> module ".pkg.mod", name "run". */
function pyImported(module: string, name: string): Resolved {
  if (name === "*") return { kind: "imported", module, path: [] };
  // `from . import utils` / `from .pkg import helper`: `name` may be a module or a function;
  // the link step tries the function first, then the module.
  return { kind: "imported", module, path: [name] };
}

function unwrapValue(node: Node): Node {
  let n = node;
  for (let i = 0; i < 16; i++) {
    if (
      n.type === "parenthesized_expression" ||
      n.type === "await_expression" ||
      n.type === "await" ||
      n.type === "as_expression" ||
      n.type === "non_null_expression" ||
      n.type === "satisfies_expression"
    ) {
      const inner = args(n)[0];
      if (!inner) return n;
      n = inner;
    } else if (n.type === "binary_operator" && field(n, "operator")?.text === "/") {
      // pathlib: `root / "a.txt"` is still a Path.
      const left = field(n, "left");
      if (!left) return n;
      n = left;
    } else return n;
  }
  return n;
}

/** One entry per call site and kind, in a fixed order; the shortest chain wins. */
export function dedupe(caps: ToolCapability[]): ToolCapability[] {
  const out = new Map<string, ToolCapability>();
  for (const c of caps) {
    const key = `${c.kind}|${c.span.path}|${c.span.line}|${c.api}`;
    const prev = out.get(key);
    if (!prev || c.via.length < prev.via.length) out.set(key, c);
  }
  return [...out.values()].sort(compareCapabilities);
}

export function compareCapabilities(a: ToolCapability, b: ToolCapability): number {
  return (
    CAPABILITY_ORDER.indexOf(a.kind) - CAPABILITY_ORDER.indexOf(b.kind) ||
    a.via.length - b.via.length ||
    (a.span.path < b.span.path ? -1 : a.span.path > b.span.path ? 1 : 0) ||
    a.span.line - b.span.line ||
    (a.api < b.api ? -1 : a.api > b.api ? 1 : 0)
  );
}

function uniqueCallees(list: ImportedCallee[]): ImportedCallee[] {
  const out = new Map<string, ImportedCallee>();
  for (const c of list) {
    const key = `${c.module}\0${c.name}`;
    const prev = out.get(key);
    if (!prev || c.via.length < prev.via.length) out.set(key, c);
  }
  return [...out.values()];
}

/** Handler node by its span: the outermost function starting and ending on those lines. */
function handlerNodes(root: Node, family: Family): Map<string, Node> {
  const functions = FUNCTION_TYPES[family];
  const fallback = ["switch_case", "statement_block", "block", "if_statement", "elif_clause", "case_clause", "expression_case"];
  const best = new Map<string, { node: Node; fn: boolean }>();
  // Document order: an enclosing node comes before the nodes inside it.
  for (const node of root.descendantsOfType([...functions, ...fallback])) {
    if (!node) continue;
    const isFn = functions.has(node.type);
    const key = `${node.startPosition.row + 1}:${node.endPosition.row + 1}`;
    const prev = best.get(key);
    if (!prev || (isFn && !prev.fn)) best.set(key, { node, fn: isFn });
  }
  return new Map([...best].map(([k, v]) => [k, v.node]));
}

/** Top-level functions another file can call (JS: exported or top-level; Python, Go: module level). */
function topLevelFunctions(root: Node, family: Family): { name: string; node: Node }[] {
  const out: { name: string; node: Node }[] = [];
  const visit = (n: Node) => {
    if (family === "js") {
      if (n.type === "export_statement") {
        const decl = field(n, "declaration");
        if (decl) visit(decl);
        return;
      }
      if (n.type === "function_declaration" || n.type === "generator_function_declaration") {
        const name = field(n, "name")?.text;
        if (name) out.push({ name, node: n });
      } else if (n.type === "lexical_declaration" || n.type === "variable_declaration") {
        for (const decl of args(n)) {
          if (decl.type !== "variable_declarator") continue;
          const name = field(decl, "name");
          const value = field(decl, "value");
          if (name?.type === "identifier" && value && FUNCTION_TYPES.js.has(unwrapValue(value).type)) out.push({ name: name.text, node: unwrapValue(value) });
        }
      }
    } else if (family === "python") {
      const fn = n.type === "decorated_definition" ? field(n, "definition") : n;
      const name = fn?.type === "function_definition" ? field(fn, "name")?.text : undefined;
      if (fn && name) out.push({ name, node: fn });
    } else if (n.type === "function_declaration" || n.type === "method_declaration") {
      // Methods are called on a value (`s.helper()`), functions by name: keep them apart.
      const name = field(n, "name")?.text;
      if (name) out.push({ name: n.type === "method_declaration" ? `#${name}` : name, node: n });
    }
  };
  for (const child of args(root)) visit(child);
  return out;
}

/**
 * Set `capabilities` on every tool of the file whose handler is located, and summarise the
 * file's top-level functions for tools in other files. Never throws.
 */
export function extractCapabilities(input: CapabilityInput): CapabilitySummary {
  const summary: CapabilitySummary = { functions: [], toolCallees: input.tools.map(() => []) };
  const family = familyOf(input.lang);
  const files = new FileCapabilities(input);
  const withHandler = input.tools.filter((t) => t.handler && t.handler.span.path === input.path);
  const nodes = withHandler.length > 0 ? handlerNodes(input.root, family) : new Map<string, Node>();
  input.tools.forEach((tool, i) => {
    const span = tool.handler?.span;
    if (!span || span.path !== input.path) return;
    const node = nodes.get(`${span.line}:${span.endLine}`);
    if (!node) return;
    try {
      const { caps, callees } = files.collect(node);
      tool.capabilities = caps.slice(0, MAX_CAPS_PER_TOOL);
      summary.toolCallees[i] = callees;
    } catch {
      // Leave this tool's capabilities unknown rather than wrong.
    }
  });
  for (const { name, node } of topLevelFunctions(input.root, family)) {
    if (files.exhausted) break;
    try {
      const { caps, callees } = files.collect(node);
      if (caps.length > 0 || callees.length > 0) summary.functions.push({ name, capabilities: caps.slice(0, MAX_CAPS_PER_TOOL), callees });
    } catch {
      // A function we cannot summarise is treated as doing nothing notable.
    }
  }
  return summary;
}
