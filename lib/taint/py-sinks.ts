import type { Node } from "web-tree-sitter";
import { callArguments, type ConstnessAnalyzer } from "../extract/constness.js";
import { args, field, literalString } from "../extract/shell-ast.js";
import type { FlowKind } from "./types.js";

/**
 * Python calls that are dangerous when an argument comes from tool input, and which argument.
 * Shell calls come from lib/extract/shell-python.ts; argv lists are judged in python.ts.
 */

export interface PySink {
  kind: FlowKind;
  sink: string;
  values: Node[];
  /** Only a flow when the value was built by string formatting (SQL). */
  needBuilt?: boolean;
  /** argv-style call: `values[0]` is the argument list. */
  argv?: boolean;
  /** URL sinks: the keyword arguments and client to look at for credentials. */
  client?: Node;
}

const PATH_FUNCTIONS = new Set([
  "os.remove", "os.unlink", "os.rename", "os.replace", "os.listdir", "os.scandir", "os.makedirs", "os.mkdir", "os.rmdir",
  "os.removedirs", "os.walk", "os.chmod", "os.chown", "os.symlink", "os.link", "os.truncate", "os.open", "io.open",
  "shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.copytree", "shutil.move", "shutil.rmtree", "shutil.make_archive",
  "shutil.unpack_archive", "shutil.chown", "aiofiles.open", "flask.send_file", "flask.send_from_directory",
  "fastapi.responses.FileResponse", "starlette.responses.FileResponse", "codecs.open", "tarfile.open", "zipfile.ZipFile",
]);
const PATH_METHODS = new Set(["read_text", "read_bytes", "write_text", "write_bytes", "unlink", "rmdir", "mkdir", "touch", "iterdir", "rename", "replace", "symlink_to", "open", "rglob", "glob"]);
const PATH_CONSTRUCTORS = new Set(["pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "anyio.Path", "aiopath.AsyncPath", "trio.Path"]);
const PATH_RETURNING = new Set(["resolve", "absolute", "joinpath", "with_name", "with_suffix", "with_stem", "expanduser", "relative_to"]);
const HTTP_VERBS = new Set(["get", "post", "put", "delete", "patch", "head", "options", "request", "stream"]);
const HTTP_MODULES = new Set(["requests", "httpx"]);
const CLIENT_CONSTRUCTORS = new Set(["httpx.Client", "httpx.AsyncClient", "requests.Session", "requests.session", "aiohttp.ClientSession"]);
const SUBPROCESS_ARGV = new Set(["run", "call", "check_call", "check_output", "Popen"]);
const SQL_METHODS = new Set(["execute", "executemany", "executescript", "exec_driver_sql", "raw", "mogrify"]);
const SAFE_YAML_LOADERS = /(SafeLoader|CSafeLoader|BaseLoader)$/;

function keyword(call: Node, name: string): Node | undefined {
  const kw = callArguments(call).find((a) => a.type === "keyword_argument" && field(a, "name")?.text === name);
  return kw ? (field(kw, "value") ?? undefined) : undefined;
}

function positional(call: Node): Node[] {
  return callArguments(call).filter((a) => a.type !== "keyword_argument" && a.type !== "dictionary_splat");
}

/**
 * "module.function" for a callee: `shlex.quote`, `from os import system` -> "os.system", and
 * dotted module paths such as `urllib.request.urlopen` after `import urllib.request`.
 */
export function pyQualified(fn: Node, analyzer: ConstnessAnalyzer): { module: string; name: string } | undefined {
  const q = analyzer.qualifiedName(fn);
  if (q?.module !== undefined) return { module: q.module, name: q.name };
  if (fn.type !== "attribute") return undefined;
  const parts: string[] = [];
  let n: Node | null = fn;
  while (n?.type === "attribute") {
    parts.unshift(field(n, "attribute")?.text ?? "");
    n = field(n, "object");
  }
  if (n?.type !== "identifier" || parts.length < 2) return undefined;
  const bindings = analyzer.scopes.lookup(n.text, n);
  const b = bindings?.length === 1 ? bindings[0] : undefined;
  if (b?.kind !== "import" || b.name !== "*") return undefined;
  const name = parts.pop()!;
  return { module: [b.module, ...parts].join("."), name };
}

export function classifyPyCall(call: Node, analyzer: ConstnessAnalyzer): PySink[] {
  const fn = field(call, "function");
  if (!fn) return [];
  const pos = positional(call);
  const first = (kw: string) => pos[0] ?? keyword(call, kw);
  const q = pyQualified(fn, analyzer);
  const unbound = fn.type === "identifier" && !analyzer.scopes.lookup(fn.text, fn);

  if (unbound) {
    const a = first("source");
    if ((fn.text === "eval" || fn.text === "exec" || fn.text === "compile") && a) return [{ kind: "code", sink: fn.text, values: [a] }];
    const file = first("file");
    if (fn.text === "open" && file) return [{ kind: "path", sink: "open", values: [file] }];
    return [];
  }

  const qualified = q ? `${q.module}.${q.name}` : undefined;
  if (q && qualified) {
    const { module, name } = q;
    if (module === "subprocess" && SUBPROCESS_ARGV.has(name)) {
      const a = first("args");
      return a ? [{ kind: "argument", sink: qualified, values: [a], argv: true }] : [];
    }
    if ((module === "asyncio" || module === "asyncio.subprocess") && name === "create_subprocess_exec") {
      return pos.length ? [{ kind: "argument", sink: "asyncio.create_subprocess_exec", values: [call], argv: true }] : [];
    }
    if (module === "commands" && (name === "getoutput" || name === "getstatusoutput") && pos[0]) {
      return [{ kind: "shell", sink: qualified, values: [pos[0]] }];
    }
    if ((module === "pickle" || module === "cPickle" || module === "dill" || module === "marshal" || module === "cloudpickle") && name === "loads" && pos[0]) {
      return [{ kind: "code", sink: `${module}.loads`, values: [pos[0]] }];
    }
    if (module === "yaml" && (name === "load" || name === "load_all" || name === "unsafe_load" || name === "unsafe_load_all") && pos[0]) {
      const loader = keyword(call, "Loader") ?? pos[1];
      if (name.startsWith("load") && loader && SAFE_YAML_LOADERS.test(loader.text)) return [];
      return [{ kind: "code", sink: `yaml.${name}`, values: [pos[0]] }];
    }
    if ((module === "jinja2" || module === "mako.template") && name === "Template" && first("source")) {
      return [{ kind: "code", sink: `${module}.Template`, values: [first("source")!] }];
    }
    if (PATH_FUNCTIONS.has(qualified)) {
      const values = pos.slice(0, qualified.startsWith("shutil.") || /rename|replace|symlink|link/.test(name) ? 2 : 1);
      const path = values.length ? values : [keyword(call, "path") ?? keyword(call, "file")].filter((n): n is Node => !!n);
      return path.length ? [{ kind: "path", sink: qualified, values: path }] : [];
    }
    if (HTTP_MODULES.has(module) && HTTP_VERBS.has(name)) {
      const url = name === "request" || name === "stream" ? (pos[1] ?? keyword(call, "url")) : (pos[0] ?? keyword(call, "url"));
      return url ? [{ kind: "url", sink: qualified, values: [url] }] : [];
    }
    if ((module === "urllib.request" || module === "urllib2") && (name === "urlopen" || name === "Request")) {
      const url = first("url");
      return url ? [{ kind: "url", sink: qualified, values: [url] }] : [];
    }
    if (module === "sqlalchemy" && name === "text" && pos[0]) return [{ kind: "sql", sink: "sqlalchemy.text", values: [pos[0]], needBuilt: true }];
    if ((module === "pandas" || module === "pd") && /^read_sql(_query)?$/.test(name)) {
      const sql = first("sql");
      return sql ? [{ kind: "sql", sink: qualified, values: [sql], needBuilt: true }] : [];
    }
    return [];
  }

  if (fn.type !== "attribute") return [];
  const obj = field(fn, "object");
  const method = field(fn, "attribute")?.text ?? "";
  if (!obj) return [];
  if (SQL_METHODS.has(method)) {
    const sql = pos[0] ?? keyword(call, "sql") ?? keyword(call, "statement") ?? keyword(call, "query");
    return sql ? [{ kind: "sql", sink: `cursor.${method}`, values: [sql], needBuilt: true }] : [];
  }
  if (method === "from_string" && pos[0] && isJinjaEnvironment(obj, analyzer)) {
    return [{ kind: "code", sink: "jinja2.Environment.from_string", values: [pos[0]] }];
  }
  if (HTTP_VERBS.has(method)) {
    const client = httpClient(obj, analyzer);
    if (client) {
      const url = method === "request" || method === "stream" ? (pos[1] ?? keyword(call, "url")) : (pos[0] ?? keyword(call, "url"));
      return url ? [{ kind: "url", sink: `${client.api}.${method}`, values: [url], client: client.node }] : [];
    }
  }
  if (PATH_METHODS.has(method) && isPathLike(obj, analyzer, 0)) return [{ kind: "path", sink: `pathlib.Path.${method}`, values: [obj] }];
  return [];
}

function constructorName(node: Node | undefined, analyzer: ConstnessAnalyzer): string | undefined {
  if (node?.type !== "call") return undefined;
  const f = field(node, "function");
  const q = f ? analyzer.qualifiedName(f) : undefined;
  return q?.module !== undefined ? `${q.module}.${q.name}` : undefined;
}

/** `httpx.AsyncClient()` / `requests.Session()` / `aiohttp.ClientSession()`, bound or via `with ... as`. */
export function httpClient(obj: Node, analyzer: ConstnessAnalyzer): { api: string; node: Node } | undefined {
  const direct = constructorName(obj, analyzer);
  if (direct && CLIENT_CONSTRUCTORS.has(direct)) return { api: direct, node: obj };
  if (obj.type !== "identifier") return undefined;
  const bound = analyzer.valueOf(obj);
  const name = constructorName(bound, analyzer);
  if (bound && name && CLIENT_CONSTRUCTORS.has(name)) return { api: name, node: bound };
  // `with httpx.Client() as client:` / `async with aiohttp.ClientSession() as session:`
  for (let n = obj.parent; n; n = n.parent) {
    if (n.type !== "with_statement") continue;
    for (const item of n.descendantsOfType("with_item")) {
      const value = item && field(item, "value");
      if (value?.type !== "as_pattern") continue;
      const target = field(value, "alias");
      if (target?.text !== obj.text) continue;
      const made = args(value)[0];
      const api = constructorName(made, analyzer);
      if (made && api && CLIENT_CONSTRUCTORS.has(api)) return { api, node: made };
    }
  }
  return undefined;
}

function isJinjaEnvironment(obj: Node, analyzer: ConstnessAnalyzer): boolean {
  const node = obj.type === "identifier" ? analyzer.valueOf(obj) : obj;
  const name = constructorName(node, analyzer);
  return name === "jinja2.Environment";
}

const AUTH_KEY = /^(authorization|x-api-key|api-key|x-auth-token|private-token|x-access-token|cookie)$/i;
const SECRET_NAME = /(token|secret|api_?key|password|auth)/i;

/** True when a request (or the client it is sent with) carries the server's own credentials. */
export function carriesCredentials(call: Node, client: Node | undefined, analyzer: ConstnessAnalyzer): boolean {
  for (const holder of [call, client]) {
    if (!holder || holder.type !== "call") continue;
    if (keyword(holder, "auth")) return true;
    let headers = keyword(holder, "headers");
    if (headers?.type === "identifier") headers = analyzer.valueOf(headers) ?? headers;
    if (headers?.type === "dictionary") {
      for (const pair of args(headers)) {
        const key = pair.type === "pair" ? literalString(field(pair, "key")) : undefined;
        const value = pair.type === "pair" ? field(pair, "value") : null;
        if (key !== undefined && AUTH_KEY.test(key)) return true;
        if (value && /os\.environ|getenv/.test(value.text) && SECRET_NAME.test(value.text)) return true;
      }
    }
  }
  return false;
}

/** A pathlib path: `Path(x)`, `root / x`, `.resolve()`/`.parent` of one, or a name bound to one. */
function isPathLike(node: Node, analyzer: ConstnessAnalyzer, depth: number): boolean {
  if (depth > 6) return false;
  switch (node.type) {
    case "parenthesized_expression":
      return !!args(node)[0] && isPathLike(args(node)[0], analyzer, depth + 1);
    case "binary_operator": {
      const l = field(node, "left");
      return field(node, "operator")?.text === "/" && !!l && (isPathLike(l, analyzer, depth + 1) || l.type === "identifier");
    }
    case "call": {
      const fn = field(node, "function");
      if (!fn) return false;
      const name = constructorName(node, analyzer);
      if (name && PATH_CONSTRUCTORS.has(name)) return true;
      if (fn.type === "attribute" && PATH_RETURNING.has(field(fn, "attribute")?.text ?? "")) return isPathLike(field(fn, "object")!, analyzer, depth + 1);
      return false;
    }
    case "attribute":
      return /^(parent|home)$/.test(field(node, "attribute")?.text ?? "") && isPathLike(field(node, "object")!, analyzer, depth + 1);
    case "identifier": {
      const bound = analyzer.valueOf(node);
      if (bound) return isPathLike(bound, analyzer, depth + 1);
      // A parameter annotated `Path`.
      for (let n = node.parent; n; n = n.parent) {
        if (n.type !== "function_definition") continue;
        return args(field(n, "parameters")).some((p) => args(p)[0]?.text === node.text && /(^|\.)(Path|PurePath)$/.test(field(p, "type")?.text ?? ""));
      }
      return false;
    }
    default:
      return false;
  }
}
