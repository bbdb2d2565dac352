import type { Node } from "web-tree-sitter";
import type { ConstnessAnalyzer } from "../extract/constness.js";
import { args, field, literalString } from "../extract/shell-ast.js";
import type { FlowKind } from "./types.js";

/** Go calls that are dangerous when an argument comes from tool input, and which argument. */

export interface GoSink {
  kind: FlowKind;
  sink: string;
  values: Node[];
  needBuilt?: boolean;
  /** exec.Command: the arguments from `values[0]` on are the argv. */
  argv?: boolean;
}

const PATH_ONE = new Set(["ReadFile", "Open", "OpenFile", "Create", "Remove", "RemoveAll", "ReadDir", "Mkdir", "MkdirAll", "Truncate", "Chmod", "Chown", "WriteFile", "DirFS", "Chdir"]);
const PATH_TWO = new Set(["Rename", "Symlink", "Link"]);
const SQL_FIRST = new Set(["Query", "QueryRow", "Exec", "Prepare", "Queryx", "QueryRowx", "MustExec", "NamedExec", "NamedQuery"]);
const SQL_SECOND = new Set(["QueryContext", "QueryRowContext", "ExecContext", "PrepareContext", "QueryxContext", "QueryRowxContext", "MustExecContext", "Select", "Get"]);
const HTTP_METHODS = new Set(["Get", "Post", "Head", "PostForm"]);

export function classifyGoCall(call: Node, analyzer: ConstnessAnalyzer): GoSink[] {
  const fn = field(call, "function");
  if (fn?.type !== "selector_expression") return [];
  const argv = args(field(call, "arguments"));
  const q = analyzer.qualifiedName(fn);
  const method = field(fn, "field")?.text ?? "";
  if (q?.module !== undefined) {
    const module = q.module;
    const name = q.name;
    if (module === "os/exec" && (name === "Command" || name === "CommandContext")) {
      const rest = name === "CommandContext" ? argv.slice(1) : argv;
      return rest.length ? [{ kind: "argument", sink: `exec.${name}`, values: rest, argv: true }] : [];
    }
    if ((module === "os" || module === "io/ioutil") && (PATH_ONE.has(name) || PATH_TWO.has(name))) {
      const values = argv.slice(0, PATH_TWO.has(name) ? 2 : 1);
      return values.length ? [{ kind: "path", sink: `${module === "os" ? "os" : "ioutil"}.${name}`, values }] : [];
    }
    if (module === "net/http") {
      if (HTTP_METHODS.has(name) && argv[0]) return [{ kind: "url", sink: `http.${name}`, values: [argv[0]] }];
      if (name === "NewRequest" && argv[1]) return [{ kind: "url", sink: "http.NewRequest", values: [argv[1]] }];
      if (name === "NewRequestWithContext" && argv[2]) return [{ kind: "url", sink: "http.NewRequestWithContext", values: [argv[2]] }];
      if (name === "ServeFile" && argv[2]) return [{ kind: "path", sink: "http.ServeFile", values: [argv[2]] }];
    }
    return [];
  }
  const operand = field(fn, "operand");
  if (!operand) return [];
  if (HTTP_METHODS.has(method) && isHttpClient(operand, analyzer)) {
    return argv[0] ? [{ kind: "url", sink: `http.Client.${method}`, values: [argv[0]] }] : [];
  }
  if (SQL_FIRST.has(method) && argv[0]) return [{ kind: "sql", sink: `sql.DB.${method}`, values: [argv[0]], needBuilt: true }];
  if (SQL_SECOND.has(method) && argv[1]) return [{ kind: "sql", sink: `sql.DB.${method}`, values: [argv[1]], needBuilt: true }];
  return [];
}

/** `http.DefaultClient`, `&http.Client{...}` / `http.Client{...}`, directly or through a variable. */
function isHttpClient(node: Node, analyzer: ConstnessAnalyzer): boolean {
  if (/^http\.DefaultClient$/.test(node.text)) return true;
  let n: Node | undefined = node;
  if (n.type === "identifier") n = analyzer.valueOf(n);
  if (n?.type === "unary_expression") n = field(n, "operand") ?? undefined;
  return n?.type === "composite_literal" && /^http\.Client$/.test(field(n, "type")?.text ?? "");
}

const AUTH_HEADER = /^(authorization|x-api-key|api-key|x-auth-token|private-token|x-access-token|cookie)$/i;

/** The function containing a URL sink sets an auth header or basic auth on a request. */
export function goCarriesCredentials(call: Node): boolean {
  let fn: Node | null = call.parent;
  while (fn && fn.type !== "function_declaration" && fn.type !== "method_declaration" && fn.type !== "func_literal") fn = fn.parent;
  if (!fn) return false;
  for (const c of fn.descendantsOfType("call_expression")) {
    const f = c && field(c, "function");
    if (f?.type !== "selector_expression") continue;
    const m = field(f, "field")?.text;
    if (m === "SetBasicAuth") return true;
    if ((m === "Set" || m === "Add") && /\.Header$/.test(field(f, "operand")?.text ?? "")) {
      const key = literalString(args(field(c!, "arguments"))[0] ?? null);
      if (key !== undefined && AUTH_HEADER.test(key)) return true;
    }
  }
  return false;
}
