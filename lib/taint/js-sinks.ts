import type { Node } from "web-tree-sitter";
import { type ConstnessAnalyzer, unwrap } from "../extract/constness.js";
import { args, field, literalString } from "../extract/shell-ast.js";
import { jsShellCalls, resolveTarget } from "../extract/shell-js.js";
import type { ShellCallDraft } from "../extract/shell-common.js";
import { OPTION_PROGRAMS, takesValue } from "./argv.js";
import type { FlowKind } from "./types.js";

/** A dangerous call and the expressions whose value must not come from the caller. */
export interface SinkSpec {
  kind: FlowKind;
  /** Normalised API, e.g. "child_process.exec", "fs.readFile", "fetch". */
  api: string;
  values: Node[];
  /** URL sinks: the request also carries an Authorization header, token or `auth`. */
  withCredentials?: boolean;
}

const FS_METHODS = new Set([
  "readFile", "readFileSync", "writeFile", "writeFileSync", "appendFile", "appendFileSync", "unlink", "unlinkSync",
  "rm", "rmSync", "rmdir", "rmdirSync", "rename", "renameSync", "readdir", "readdirSync", "createReadStream",
  "createWriteStream", "copyFile", "copyFileSync", "cp", "cpSync", "mkdir", "mkdirSync", "open", "openSync",
  "symlink", "symlinkSync", "truncate", "truncateSync", "chmod", "chmodSync", "opendir", "opendirSync",
  // fs-extra
  "remove", "removeSync", "outputFile", "outputFileSync", "readJson", "readJsonSync", "writeJson", "writeJsonSync",
  "move", "moveSync", "copy", "copySync", "emptyDir", "emptyDirSync", "readJSON", "writeJSON", "outputJson",
]);
const FS_TWO_PATHS = new Set(["rename", "renameSync", "copyFile", "copyFileSync", "cp", "cpSync", "symlink", "symlinkSync", "move", "moveSync", "copy", "copySync"]);

const CODE_APIS = new Set([
  "eval", "Function", "vm.runInNewContext", "vm.runInThisContext", "vm.runInContext", "vm.compileFunction", "vm.Script",
  "ejs.render", "ejs.compile", "handlebars.compile", "handlebars.precompile", "lodash.template", "pug.render", "pug.compile",
  "nunjucks.renderString", "dot.template", "doT.template",
]);

const HTTP_METHODS = "get|post|put|patch|delete|head|options|request";
const URL_APIS = new RegExp(
  `^(fetch|node-fetch|cross-fetch|isomorphic-fetch|undici\\.(fetch|request|stream)|axios(\\.(${HTTP_METHODS}))?|got(\\.(${HTTP_METHODS}|stream))?|ky(\\.(${HTTP_METHODS}))?|superagent\\.(${HTTP_METHODS})|needle|https?\\.(request|get))$`,
);

const SQL_METHODS = new Set(["query", "execute", "raw", "$queryRawUnsafe", "$executeRawUnsafe", "unsafe", "whereRaw", "prepare", "exec", "all", "get", "run", "each"]);
/** Method names too common elsewhere (`map.get`, `regex.exec`): a database receiver and SQL text are both required. */
const SQL_AMBIGUOUS = new Set(["prepare", "exec", "all", "get", "run", "each"]);
const DB_RECEIVER = /(^|[^a-z])(db|database|sqlite|sql|conn|connection|client|pool|knex|prisma|sequelize|pg|mysql|tx|trx|repo)/i;
const SQL_TEXT = /\b(select\s.+\sfrom|insert\s+into|update\s.+\sset|delete\s+from|create\s+table|drop\s+table|where\s)/is;

const SCRIPT_FLAGS: Record<string, RegExp> = {
  node: /^(-e|--eval|-p|--print)$/,
  deno: /^eval$/,
  bun: /^(-e|--eval)$/,
  python: /^-c$/,
  python3: /^-c$/,
  perl: /^-e$/,
  ruby: /^-e$/,
};
const SPAWN_APIS = /^(child_process\.(spawn|spawnSync|execFile|execFileSync)|cross-spawn(\.(spawn|sync))?|execa(\.(execa|execaSync|sync))?)$/;

function normaliseModule(module: string): string {
  let m = module.startsWith("node:") ? module.slice(5) : module;
  if (m === "fs/promises" || m === "fs-extra" || m === "graceful-fs" || m === "fs-extra/esm") m = "fs";
  if (m === "lodash-es" || m === "underscore" || m === "lodash/template") m = m === "lodash/template" ? "lodash.template" : "lodash";
  if (m === "vm2") m = "vm";
  return m;
}

/** Resolve a callee to "module.member.prop" (imports followed) or the global's name. */
export function calleeName(fnNode: Node, analyzer: ConstnessAnalyzer): string | undefined {
  const fn = unwrap(fnNode);
  const props: string[] = [];
  let n: Node | null = fn;
  while (n && n.type === "member_expression") {
    props.unshift(field(n, "property")?.text ?? "?");
    n = field(n, "object");
  }
  if (!n || n.type !== "identifier") return undefined;
  let base: string;
  const imp = analyzer.importOf(n);
  if (imp) {
    const module = normaliseModule(imp.module);
    base = imp.name === "*" ? module : `${module}.${imp.name}`;
  } else if (!analyzer.scopes.lookup(n.text, n)) {
    base = n.text === "_" ? "lodash" : n.text === "Handlebars" ? "handlebars" : n.text;
  } else {
    // A local alias of a module member: `const run = promisify(execFile)`, `const fsp = fs.promises`.
    const target = resolveTarget(n, analyzer);
    if (!target) return undefined;
    base = target.name === "*" ? normaliseModule(target.module) : `${normaliseModule(target.module)}.${target.name}`;
  }
  let name = [base, ...props].join(".");
  name = name.replace(/^fs\.promises\./, "fs.").replace(/^fs\.default\./, "fs.").replace(/^(globalThis|window)\./, "");
  name = name.replace(/^execa\.\*$/, "execa").replace(/^(axios|got|ky|node-fetch|cross-fetch|needle)\.default\b/, "$1");
  return name;
}

/** Per-file sink recognition; shell sinks reuse the shell-call detector's drafts. */
export class JsSinks {
  private readonly shell = new Map<number, ShellCallDraft>();

  constructor(
    root: Node,
    private readonly analyzer: ConstnessAnalyzer,
    drafts?: ShellCallDraft[],
  ) {
    try {
      for (const d of drafts ?? jsShellCalls(root, analyzer)) this.shell.set(d.call.id, d);
    } catch {
      // Without shell drafts the other sinks still work.
    }
  }

  specsOf(call: Node): SinkSpec[] {
    if (call.type === "new_expression") return this.newSpecs(call);
    const draft = this.shell.get(call.id);
    if (draft) return [{ kind: draft.shell ? "shell" : "argument", api: draft.api, values: draft.command }];
    const fn = field(call, "function");
    if (!fn || field(call, "arguments")?.type === "template_string") return [];
    const argv = args(field(call, "arguments"));
    const name = calleeName(fn, this.analyzer);
    const out: SinkSpec[] = [];
    if (name !== undefined) {
      if (CODE_APIS.has(name) && argv[0]) out.push({ kind: "code", api: name, values: name === "Function" ? argv : [argv[0]] });
      const fsMethod = /^fs\.(\w+)$/.exec(name)?.[1];
      if (fsMethod && FS_METHODS.has(fsMethod) && argv[0]) {
        out.push({ kind: "path", api: name, values: FS_TWO_PATHS.has(fsMethod) ? argv.slice(0, 2) : [argv[0]] });
      }
      if (URL_APIS.test(name) && argv[0]) out.push(this.urlSpec(name, argv));
      if (SPAWN_APIS.test(name)) out.push(...this.argvSpecs(name, argv));
    }
    if (fn.type === "member_expression" && out.length === 0) {
      const method = field(fn, "property")?.text ?? "";
      const receiver = field(fn, "object")?.text ?? "";
      if ((method === "sendFile" || method === "download") && argv[0]) out.push({ kind: "path", api: `res.${method}`, values: [argv[0]] });
      if (SQL_METHODS.has(method) && argv[0] && name?.startsWith("child_process") !== true && this.looksLikeSql(receiver, method, argv[0])) {
        out.push({ kind: "sql", api: `${shortReceiver(receiver)}.${method}`, values: [argv[0]] });
      }
    }
    return out;
  }

  private newSpecs(call: Node): SinkSpec[] {
    const ctor = field(call, "constructor");
    const argv = args(field(call, "arguments"));
    const name = ctor ? calleeName(ctor, this.analyzer) : undefined;
    if ((name === "Function" || name === "vm.Script" || name === "vm.SourceTextModule") && argv.length > 0) {
      return [{ kind: "code", api: `new ${name}`, values: name === "Function" ? argv : [argv[0]] }];
    }
    return [];
  }

  private urlSpec(api: string, argv: Node[]): SinkSpec {
    const first = unwrap(argv[0]);
    let values: Node[] = [argv[0]];
    if (first.type === "object") {
      values = args(first)
        .filter((p) => p.type === "pair" && /^(url|baseURL|host|hostname|href|origin)$/.test(keyOf(p) ?? ""))
        .map((p) => field(p, "value"))
        .filter((v): v is Node => v !== null);
    }
    values = values.filter((v) => !this.hostFixed(v));
    const withCredentials = argv.some((a) => this.sendsCredentials(a));
    return { kind: "url", api, values, ...(withCredentials ? { withCredentials } : {}) };
  }

  /** An options object (literal or a local bound to one) with an auth header or `auth`. */
  private sendsCredentials(arg: Node): boolean {
    let obj = unwrap(arg);
    if (obj.type === "identifier") obj = this.analyzer.valueOf(obj) ?? obj;
    if (obj.type !== "object") return false;
    for (const p of args(obj)) {
      const key = p.type === "pair" ? keyOf(p) : p.type === "shorthand_property_identifier" ? p.text : undefined;
      if (key === "auth" || key === "httpsAgent") return key === "auth";
      if (key !== "headers") continue;
      let headers = p.type === "pair" ? field(p, "value") : p;
      if (headers?.type === "identifier" || headers?.type === "shorthand_property_identifier") headers = this.analyzer.valueOf(headers) ?? headers;
      if (headers?.type !== "object") continue;
      for (const h of args(headers)) {
        const hk = h.type === "pair" ? keyOf(h) : h.type === "shorthand_property_identifier" ? h.text : undefined;
        if (hk && /^(authorization|x-api-key|api-key|apikey|x-auth-token|private-token|x-github-token|cookie|proxy-authorization)$/i.test(hk)) return true;
      }
    }
    return false;
  }

  /**
   * True when the value starts with a fixed scheme and host (`https://api.x.com/...${id}`),
   * or with an operator-set base followed by a path (`${API_BASE}/users/${id}`): the caller
   * picks a path, not a host.
   */
  hostFixed(value: Node, depth = 0): boolean {
    let v = unwrap(value);
    if (v.type === "identifier" && depth < 4) {
      const bound = this.analyzer.valueOf(v);
      return bound ? this.hostFixed(bound, depth + 1) : false;
    }
    if (v.type === "new_expression" && field(v, "constructor")?.text === "URL") {
      const [rel, base] = args(field(v, "arguments"));
      if (!rel) return false;
      if (base && this.analyzer.analyze(base).constant) {
        const prefix = this.constantPrefix(rel);
        if (prefix !== undefined && /^\/[^/\\]/.test(prefix)) return true;
      }
      v = unwrap(rel);
    }
    const prefix = this.constantPrefix(v);
    if (prefix !== undefined && /^[a-z][a-z0-9+.-]*:\/\/[^/?#@\\]+[/?#]/i.test(prefix)) return true;
    // `${BASE}/path/${x}`: the first part is a fixed (operator-set) value, then a path.
    const parts = flatten(v);
    if (parts.length >= 2) {
      const [head, next] = parts;
      const headOk = isConfigLike(head);
      const nextText = literalString(next) ?? (next.type === "string_fragment" ? next.text : undefined);
      if (headOk && nextText !== undefined && /^[/?#]/.test(nextText)) return true;
    }
    return false;
  }

  /** The literal text a string expression starts with, as far as it is constant. */
  private constantPrefix(node: Node): string | undefined {
    let out = "";
    for (const part of flatten(unwrap(node))) {
      if (part.type === "string_fragment" || part.type === "escape_sequence") {
        out += part.text;
        continue;
      }
      const value = this.analyzer.stringValue(part);
      if (value === undefined) return out;
      out += value;
    }
    return out;
  }

  private looksLikeSql(receiver: string, method: string, first: Node): boolean {
    let text = first.text;
    const v = unwrap(first);
    if (v.type === "identifier") text = this.analyzer.valueOf(v)?.text ?? text;
    if (SQL_AMBIGUOUS.has(method)) return DB_RECEIVER.test(receiver) && SQL_TEXT.test(text);
    return SQL_TEXT.test(text) || DB_RECEIVER.test(receiver) || method.startsWith("$");
  }

  /** spawn/execFile without a shell: option injection into risky programs, and `node -e` code. */
  private argvSpecs(api: string, argv: Node[]): SinkSpec[] {
    const [program, list] = argv;
    const name = program ? this.analyzer.stringValue(program) : undefined;
    if (name === undefined || !list) return [];
    const base = name.split(/[\\/]/).pop() ?? name;
    const elements = this.elements(list);
    if (!elements) return [];
    const scriptFlag = SCRIPT_FLAGS[base];
    if (scriptFlag) {
      const i = elements.findIndex((e) => scriptFlag.test(this.analyzer.stringValue(e) ?? ""));
      const script = i >= 0 ? elements[i + 1] : undefined;
      return script ? [{ kind: "code", api: `${api} ${base} ${this.analyzer.stringValue(elements[i])}`, values: [script] }] : [];
    }
    if (!OPTION_PROGRAMS.has(base)) return [];
    const values: Node[] = [];
    let optionValue = false;
    for (const e of elements) {
      const literal = this.analyzer.stringValue(e);
      if (literal !== undefined) {
        if (literal === "--") break; // everything after is an operand
        optionValue = takesValue(base, literal);
        continue;
      }
      if (optionValue) {
        optionValue = false; // the value of `-C dir`: cannot become an option itself
        continue;
      }
      const prefix = this.constantPrefix(e);
      if (prefix !== undefined && prefix.length > 0) continue; // `--ref=${x}`, `refs/${x}`
      values.push(e);
    }
    return values.length ? [{ kind: "argument", api: `${api} ${base}`, values }] : [];
  }

  /** Elements of an argv array: a literal, or a local array plus what is pushed onto it. */
  private elements(list: Node): Node[] | undefined {
    const v = unwrap(list);
    if (v.type === "array") return args(v);
    if (v.type !== "identifier") return undefined;
    const bindings = this.analyzer.scopes.lookup(v.text, v);
    if (!bindings) return undefined;
    const out: Node[] = [];
    for (const b of bindings) {
      if (b.kind !== "value") return undefined;
      const value = unwrap(b.value);
      if (value.type === "array") out.push(...args(value));
      else out.push(value);
    }
    return out;
  }
}

function keyOf(pair: Node): string | undefined {
  const key = field(pair, "key");
  return key ? (literalString(key) ?? key.text) : undefined;
}

function shortReceiver(text: string): string {
  const t = text.replace(/\s+/g, "");
  return t.length > 30 ? `${t.slice(0, 29)}…` : t;
}

/** Parts of a template or `+` chain, in order. */
function flatten(node: Node): Node[] {
  const n = unwrap(node);
  if (n.type === "template_string") {
    return args(n).map((c) => (c.type === "template_substitution" ? (args(c)[0] ?? c) : c));
  }
  if (n.type === "binary_expression" && field(n, "operator")?.text === "+") {
    const l = field(n, "left");
    const r = field(n, "right");
    return [...(l ? flatten(l) : []), ...(r ? flatten(r) : [])];
  }
  return [n];
}

/** A base URL the operator sets: `API_BASE`, `process.env.X`, `config.baseUrl`, `this.baseUrl`. */
function isConfigLike(node: Node): boolean {
  const t = node.text;
  return /^[A-Z][A-Z0-9_]*$/.test(t) || /^process\.env\./.test(t) || /^(this\.)?(config|cfg|settings|options|env)\.\w+/.test(t) ||
    /^this\.\w*(base|url|endpoint|host)\w*$/i.test(t);
}
