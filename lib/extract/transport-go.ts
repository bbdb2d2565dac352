import type { Node } from "web-tree-sitter";
import { callArguments, unwrap } from "./constness.js";
import { namedDescendants } from "./nodes.js";
import { args, field } from "./shell-ast.js";
import {
  addRead, addressPrefix, AUTH_NAME, carries, classifyHost, descendants, enclosingFunction, type FactSink,
  handWrittenChecks, headerName, HeaderReads, hostOfAddress, isTrackedHeader, NOT_ENFORCING, type ReadsByScope, taintedNames,
  tokenText,
} from "./transport-common.js";

const HTTP_CONSTRUCTORS = new Set(["NewStreamableHTTPServer", "NewSSEServer", "NewStreamableHTTPHandler", "NewSSEHandler"]);
const LISTENERS = new Set(["ListenAndServe", "ListenAndServeTLS"]);

/** The text of a keyed element's key (`InsecureSkipVerify`, `"Authorization"`). */
function keyedKey(node: Node): Node | undefined {
  const key = field(node, "key");
  return key ? (args(key)[0] ?? key) : undefined;
}

function keyedValue(node: Node): Node | undefined {
  const value = field(node, "value");
  return value ? (args(value)[0] ?? value) : undefined;
}

export function extractGoTransport(root: Node, sink: FactSink): void {
  const an = sink.an;
  const servesMcpGo = /\bNew(StreamableHTTP|SSE)Server\b/.test(sink.text);

  /** Names of `*http.Request` parameters of the functions around `node`. */
  const requestParams = (node: Node): Set<string> => {
    const names = new Set<string>();
    for (let fn = enclosingFunction(node, "go"); fn; fn = enclosingFunction(fn, "go")) {
      for (const p of args(field(fn, "parameters"))) {
        if (p.type !== "parameter_declaration" || field(p, "type")?.text.replace(/\s+/g, "") !== "*http.Request") continue;
        for (const n of p.childrenForFieldName("name")) if (n) names.add(n.text);
      }
    }
    return names;
  };

  /** `r.Header` of an incoming request. */
  const incomingHeader = (node: Node | null): boolean => {
    if (!node || node.type !== "selector_expression" || field(node, "field")?.text !== "Header") return false;
    const operand = field(node, "operand");
    return operand?.type === "identifier" && requestParams(node).has(operand.text);
  };

  const headerRead = (node: Node): string | undefined => {
    if (node.type === "call_expression") {
      const fn = field(node, "function");
      if (fn?.type !== "selector_expression" || !["Get", "Values"].includes(field(fn, "field")?.text ?? "")) return undefined;
      const name = headerName(callArguments(node)[0], an);
      if (name && isTrackedHeader(name) && incomingHeader(field(fn, "operand"))) return name;
    } else if (node.type === "index_expression") {
      const name = headerName(field(node, "index") ?? undefined, an);
      if (name && isTrackedHeader(name) && incomingHeader(field(node, "operand"))) return name;
    }
    return undefined;
  };

  const reads = new HeaderReads();

  // Only these node types can be a setting, an assignment or a header read.
  for (const node of namedDescendants(root, ["call_expression", "keyed_element", "assignment_statement", "index_expression"])) {
    if (node.type === "call_expression") onCall(node);
    else if (node.type === "keyed_element") onKeyed(node);
    else if (node.type === "assignment_statement") onAssign(node);
    reads.add(node, headerRead(node));
  }

  handWrittenChecks(sink, reads, "go");
  tokenForwarding(reads.auth);

  function listen(node: Node, api: string, address: Node | undefined): void {
    if (!address) return;
    const prefix = addressPrefix(address, an);
    const host = prefix === undefined ? undefined : hostOfAddress(prefix);
    sink.add({ kind: "listen", ...sink.at(node, api), host: host ?? null, hostClass: classifyHost(host), fromFallback: false });
  }

  function onCall(node: Node): void {
    const fn = field(node, "function");
    const a = callArguments(node);
    const name = fn?.type === "selector_expression" ? field(fn, "field")?.text : fn?.text;
    if (!fn || !name) return;
    const operand = fn.type === "selector_expression" ? field(fn, "operand") : null;

    if (LISTENERS.has(name)) listen(node, `http.${name}`, a[0]);
    else if (name === "Start" && servesMcpGo && a.length === 1) listen(node, "Start", a[0]);
    else if (name === "Listen" && operand?.text === "net") listen(node, "net.Listen", a[1]);
    else if (HTTP_CONSTRUCTORS.has(name)) sink.add({ kind: "mcp-http", ...sink.at(node, name) });

    if (a.length > 0 && AUTH_NAME.test(name) && !NOT_ENFORCING.test(name) && !/^(Get|Set|Add|Del|Values)$/.test(name)) {
      sink.add({ kind: "auth", ...sink.at(node, fn.text) });
    }

    if ((name === "Set" || name === "Add") && operand?.type === "call_expression" && /\.Header$/.test(field(operand, "function")?.text ?? "")) {
      if (headerName(a[0], an) === "access-control-allow-origin" && a[1] && an.stringValue(a[1]) === "*") {
        sink.add({ kind: "cors-any", ...sink.at(node, "Access-Control-Allow-Origin: *") });
      }
    }
    if (name === "AllowAll" && operand?.text === "cors") sink.add({ kind: "cors-any", ...sink.at(node, "cors.AllowAll()") });

    onJwt(node, name, operand, a);
  }

  function onJwt(node: Node, name: string, operand: Node | null, a: Node[]): void {
    if (!operand || !/jwt|parser/i.test(operand.text)) return;
    const scope = sink.span(enclosingFunction(node, "go") ?? root);
    const token = tokenText(a[0]);
    if (name === "ParseUnverified") {
      sink.add({ kind: "jwt-unverified", ...sink.at(node, `${operand.text}.ParseUnverified`), reason: "decode-only", token, scope });
      return;
    }
    if (name !== "Parse" && name !== "ParseWithClaims") return;
    const keyfunc = a[name === "Parse" ? 1 : 2];
    const options = a.slice(name === "Parse" ? 2 : 3);
    const checksMethod = (body: Node | null | undefined) => !!body && /\.Method\b|SigningMethod|\.Alg\(\)|\["alg"\]/.test(body.text);
    const optionChecks = options.some((o) => /WithValidMethods/.test(o.text)) || /WithValidMethods/.test(operand.text) || parserWithMethods(operand);
    let body: Node | null | undefined;
    if (keyfunc?.type === "func_literal") body = field(keyfunc, "body");
    else if (keyfunc?.type === "identifier") body = topLevelFunction(keyfunc.text);
    if (keyfunc && body !== undefined && !checksMethod(body) && !optionChecks) {
      sink.add({ kind: "jwt-unverified", ...sink.at(node, `${operand.text}.${name}`), reason: "method-unchecked", token, scope });
    } else {
      sink.add({ kind: "jwt-verify", ...sink.at(node, `${operand.text}.${name}`), token, scope });
    }
  }

  /** `p := jwt.NewParser(jwt.WithValidMethods(...))` then `p.Parse(...)`. */
  function parserWithMethods(operand: Node): boolean {
    if (operand.type !== "identifier") return false;
    const value = an.valueOf(operand);
    return !!value && /WithValidMethods/.test(value.text);
  }

  function topLevelFunction(name: string): Node | null | undefined {
    for (const c of args(root)) if (c.type === "function_declaration" && field(c, "name")?.text === name) return field(c, "body");
    return undefined;
  }

  function onKeyed(node: Node): void {
    const key = keyedKey(node);
    const value = keyedValue(node);
    if (!key || !value) return;
    if (key.text === "InsecureSkipVerify" && unwrap(value).type === "true") {
      sink.add({ kind: "tls-disabled", ...sink.at(node, "InsecureSkipVerify: true") });
    } else if (key.text === "Addr" && /(^|\.)Server$/.test(literalType(node) ?? "")) {
      listen(node, "http.Server{Addr}", value);
    } else if (key.text === "AllowedOrigins" && args(field(value, "body") ?? value).some((e) => an.stringValue(args(e)[0] ?? e) === "*")) {
      sink.add({ kind: "cors-any", ...sink.at(node, "AllowedOrigins: *") });
    }
  }

  function literalType(keyed: Node): string | undefined {
    for (let n = keyed.parent; n; n = n.parent) if (n.type === "composite_literal") return field(n, "type")?.text;
    return undefined;
  }

  function onAssign(node: Node): void {
    const left = args(field(node, "left"))[0];
    const right = args(field(node, "right"))[0];
    if (left?.type === "selector_expression" && field(left, "field")?.text === "InsecureSkipVerify" && right?.type === "true") {
      sink.add({ kind: "tls-disabled", ...sink.at(node, "InsecureSkipVerify = true") });
    }
  }

  function tokenForwarding(reads: Node[]): void {
    const byScope: ReadsByScope = new Map();
    for (const read of reads) addRead(byScope, read, "go", root);
    for (const { scope, reads: sources } of byScope.values()) {
      const ids = new Set(sources.map((r) => r.id));
      const isSource = (n: Node) => ids.has(n.id);
      const tainted = taintedNames(scope, "go", isSource);
      const source = sources[0].text.slice(0, 80);
      descendants(scope, (node) => {
        if (node.type === "call_expression") {
          const fn = field(node, "function");
          const target = fn?.type === "selector_expression" ? field(fn, "operand") : null;
          const method = fn?.type === "selector_expression" ? field(fn, "field")?.text : undefined;
          const [h, v] = callArguments(node);
          if ((method === "Set" || method === "Add") && target?.type === "selector_expression" && field(target, "field")?.text === "Header" && !incomingHeader(target) &&
            headerName(h, an) === "authorization" && carries(v ?? null, isSource, tainted)) {
            sink.add({ kind: "token-forward", ...sink.at(node, `Header.${method}(Authorization)`), source });
          }
        } else if (node.type === "keyed_element") {
          const key = keyedKey(node);
          if (key && headerName(key, an) === "authorization" && carries(keyedValue(node) ?? null, isSource, tainted)) {
            sink.add({ kind: "token-forward", ...sink.at(node, "Authorization header"), source });
          }
        }
      });
    }
    // `out.Header = r.Header.Clone()` forwards every incoming header, Authorization included.
    for (const node of namedDescendants(root, ["assignment_statement"])) {
      const left = args(field(node, "left"))[0];
      let right = args(field(node, "right"))[0];
      if (right?.type === "call_expression" && /\.Clone$/.test(field(right, "function")?.text ?? "")) right = field(field(right, "function")!, "operand") ?? right;
      if (left?.type === "selector_expression" && field(left, "field")?.text === "Header" && !incomingHeader(left) && incomingHeader(right ?? null)) {
        sink.add({ kind: "token-forward", ...sink.at(node, "all incoming headers"), source: right!.text.slice(0, 80) });
      }
    }
  }
}
