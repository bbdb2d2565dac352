import type { Node } from "web-tree-sitter";
import { callArguments, unwrap } from "./constness.js";
import { namedDescendants } from "./nodes.js";
import { args, field } from "./shell-ast.js";
import {
  addRead, AUTH_NAME, carries, classifyHost, descendants, enclosingFunction, type FactSink, handWrittenChecks,
  headerName, HeaderReads, hostValue, isFunction, isTrackedHeader, NOT_ENFORCING, type ReadsByScope, taintedNames, tokenText,
} from "./transport-common.js";
import type { HostClass } from "./transport.js";

/** Objects that stand for the incoming request (express `req`, Hono `c.req`, SDK `extra.requestInfo`). */
const REQUEST = /(^|\.)(req|request|incoming\w*|requestInfo|event)$/i;
const RESPONSE = /^(res|resp|response|reply|ctx|c)$/;
const ROUTE_METHODS = new Set(["use", "get", "post", "put", "delete", "patch", "all", "options", "head", "route", "on"]);
const KNOWN_AUTH_CALLS = new Set(["requireBearerAuth", "expressjwt", "expressJwt", "bearerAuth", "jwtCheck", "clerkMiddleware", "verifyKey"]);
/** Callees that send a request somewhere else. */
const OUTGOING = /fetch|axios|^got\b|request|^ky\b|undici|superagent|\.(get|post|put|patch|delete|head)$/i;
const HTTP_TRANSPORTS = /^(WebStandard)?StreamableHTTPServerTransport$|^SSEServerTransport$/;

function keyOf(pair: Node): string | undefined {
  const key = field(pair, "key");
  if (!key) return undefined;
  return key.type === "string" ? key.text.slice(1, -1) : key.text;
}

function calleeName(fn: Node | null): string | undefined {
  if (!fn) return undefined;
  if (fn.type === "identifier") return fn.text;
  if (fn.type === "member_expression") return field(fn, "property")?.text;
  return undefined;
}

export function extractJsTransport(root: Node, sink: FactSink): void {
  const an = sink.an;

  /** `X.headers` of the incoming request, directly or through a local name. */
  const incomingHeaders = (node: Node | null, depth = 0): boolean => {
    if (!node || depth > 4) return false;
    const n = unwrap(node);
    if (n.type === "member_expression" && field(n, "property")?.text === "headers") {
      const obj = field(n, "object");
      return !!obj && REQUEST.test(obj.text.replace(/\?/g, ""));
    }
    if (n.type === "identifier") {
      const value = an.valueOf(n);
      return value ? incomingHeaders(value, depth + 1) : false;
    }
    return false;
  };

  /** Reads of an incoming request header: `req.headers.authorization`, `req.get("Authorization")`, ... */
  const headerRead = (node: Node): string | undefined => {
    if (node.type === "member_expression") {
      const prop = field(node, "property")?.text.toLowerCase();
      if (prop && isTrackedHeader(prop) && incomingHeaders(field(node, "object"))) return prop;
    } else if (node.type === "subscript_expression") {
      const name = headerName(field(node, "index") ?? undefined, an);
      if (name && isTrackedHeader(name) && incomingHeaders(field(node, "object"))) return name;
    } else if (node.type === "call_expression") {
      const fn = field(node, "function");
      if (fn?.type !== "member_expression") return undefined;
      const method = field(fn, "property")?.text;
      const obj = field(fn, "object");
      if (!obj || !method || !["get", "header", "getHeader"].includes(method)) return undefined;
      const name = headerName(callArguments(node)[0], an);
      if (name && isTrackedHeader(name) && (incomingHeaders(obj) || (method !== "getHeader" && REQUEST.test(obj.text.replace(/\?/g, ""))))) return name;
    }
    return undefined;
  };

  const reads = new HeaderReads();

  // Only these node types can be a transport, an option, an assignment or a header read.
  for (const node of namedDescendants(root, ["new_expression", "call_expression", "pair", "assignment_expression", "member_expression", "subscript_expression"])) {
    switch (node.type) {
      case "new_expression":
        onNew(node);
        break;
      case "call_expression":
        onCall(node);
        break;
      case "pair":
        onPair(node);
        break;
      case "assignment_expression":
        onAssign(node);
        break;
    }
    reads.add(node, headerRead(node));
  }

  handWrittenChecks(sink, reads, "js");
  tokenForwarding(reads.auth);

  function onNew(node: Node): void {
    const ctor = field(node, "constructor");
    const name = ctor?.type === "member_expression" ? field(ctor, "property")?.text : ctor?.text;
    if (!name || !HTTP_TRANSPORTS.test(name)) return;
    const a = callArguments(node);
    const options = objectOf(name === "SSEServerTransport" ? a[2] : a[0]);
    const pairs = new Map<string, Node>();
    for (const p of args(options)) if (p.type === "pair") pairs.set(keyOf(p) ?? "", p);
    const protection = pairs.get("enableDnsRebindingProtection");
    const protectionValue = protection ? boolValue(field(protection, "value")) : undefined;
    const generator = pairs.get("sessionIdGenerator");
    const generatorValue = generator ? field(generator, "value") : null;
    const stateless = generatorValue ? ["undefined", "void 0"].includes(unwrap(generatorValue).text) : false;
    const variable = declaredName(node);
    sink.add({
      kind: "mcp-http",
      ...sink.at(node, name),
      dnsRebinding: protectionValue === true ? "enabled" : protectionValue === false ? "disabled" : "absent",
      allowedHosts: pairs.has("allowedHosts") || pairs.has("allowedOrigins"),
      stateless,
      sharedAcrossRequests: variable !== undefined && enclosingFunction(node, "js") === null && usedInFunction(variable),
      ...(variable !== undefined ? { variable } : {}),
    });
  }

  function onCall(node: Node): void {
    const fn = field(node, "function");
    const a = callArguments(node);
    const name = calleeName(fn);
    if (!fn || !name) return;
    const obj = fn.type === "member_expression" ? field(fn, "object") : null;

    if (name === "createMcpExpressApp") {
      sink.add({ kind: "mcp-http", ...sink.at(node, name) });
      sink.add({ kind: "host-check", ...sink.at(node, name) });
    } else if (name === "hostHeaderValidation" || name === "localhostHostValidation") {
      sink.add({ kind: "host-check", ...sink.at(node, name) });
    } else if (name === "start" && obj && a[0]) {
      // FastMCP (TypeScript): server.start({ transportType: "httpStream" }).
      const options = objectOf(a[0]);
      const type = args(options).find((p) => p.type === "pair" && keyOf(p) === "transportType");
      const value = type ? an.stringValue(field(type, "value")!) : undefined;
      if (value === "httpStream" || value === "sse") sink.add({ kind: "mcp-http", ...sink.at(node, `fastmcp.start(${value})`) });
    }

    if (KNOWN_AUTH_CALLS.has(name) || fn.text === "passport.authenticate") sink.add({ kind: "auth", ...sink.at(node, name) });
    if (obj && ROUTE_METHODS.has(name)) {
      for (const arg of a) {
        const n = unwrap(arg);
        const label = n.type === "call_expression" ? field(n, "function")?.text : n.type === "identifier" || n.type === "member_expression" ? n.text : undefined;
        if (label && AUTH_NAME.test(label) && !NOT_ENFORCING.test(label)) sink.add({ kind: "auth", ...sink.at(arg, label) });
      }
    }

    if (name === "listen" && obj && !/^(process|emitter|events?)$/.test(obj.text)) onListen(node, a);
    else if ((fn.text === "serve" || fn.text === "Bun.serve" || fn.text === "Deno.serve") && a[0]) onServe(node, a[0]);

    if (fn.type === "identifier" && (name === "cors" || an.qualifiedName(fn)?.module === "cors")) onCors(node, a);
    else if (obj && ["setHeader", "header", "set", "append"].includes(name) && headerName(a[0], an) === "access-control-allow-origin") {
      if (a[1] && an.stringValue(a[1]) === "*") sink.add({ kind: "cors-any", ...sink.at(node, `${name}(Access-Control-Allow-Origin, *)`) });
    }

    onJwtCall(node, fn, name, a);
  }

  function onListen(node: Node, a: Node[]): void {
    let host: { value?: string; fallback: boolean } | null = null;
    const first = a[0] ? unwrap(a[0]) : undefined;
    if (first?.type === "object") {
      const hostPair = args(first).find((p) => p.type === "pair" && (keyOf(p) === "host" || keyOf(p) === "hostname"));
      const shorthand = args(first).find((p) => p.type === "shorthand_property_identifier" && (p.text === "host" || p.text === "hostname"));
      if (hostPair) host = hostValue(field(hostPair, "value")!, an);
      else if (shorthand) host = { fallback: false };
      else if (!args(first).some((p) => keyOf(p) === "port" || p.text === "port")) return;
    } else {
      if (first) {
        const value = an.stringValue(first);
        // A string that is not a port number is a Unix socket or a named pipe.
        if (value !== undefined && !/^\d+$/.test(value)) return;
      }
      const second = a[1] ? unwrap(a[1]) : undefined;
      if (second && !isFunction(second, "js") && second.type !== "number" && !isFunctionName(second)) host = hostValue(second, an);
    }
    const hostClass: HostClass = host === null ? "all" : classifyHost(host.value);
    sink.add({ kind: "listen", ...sink.at(node, "listen"), host: host?.value ?? null, hostClass, fromFallback: host?.fallback ?? false });
  }

  function onServe(node: Node, options: Node): void {
    const object = objectOf(options);
    if (!object) return;
    const keys = new Map(args(object).map((p) => [p.type === "pair" ? keyOf(p) : p.text, p] as const));
    if (!keys.has("fetch") && !keys.has("port")) return;
    const hostPair = keys.get("hostname") ?? keys.get("host");
    const host = hostPair?.type === "pair" ? hostValue(field(hostPair, "value")!, an) : hostPair ? { fallback: false } : null;
    sink.add({ kind: "listen", ...sink.at(node, "serve"), host: host?.value ?? null, hostClass: host === null ? "all" : classifyHost(host.value), fromFallback: host?.fallback ?? false });
  }

  function onCors(node: Node, a: Node[]): void {
    if (a.length === 0) {
      sink.add({ kind: "cors-any", ...sink.at(node, "cors()") });
      return;
    }
    const options = objectOf(a[0]);
    if (!options) return;
    const origin = args(options).find((p) => p.type === "pair" && keyOf(p) === "origin");
    if (!origin) {
      if (!args(options).some((p) => p.text === "origin")) sink.add({ kind: "cors-any", ...sink.at(node, "cors() without origin") });
      return;
    }
    const value = field(origin, "value");
    if (!value) return;
    if (boolValue(value) === true || an.stringValue(value) === "*") sink.add({ kind: "cors-any", ...sink.at(node, `cors({ origin: ${unwrap(value).text} })`) });
  }

  function onPair(node: Node): void {
    const key = keyOf(node);
    const value = field(node, "value");
    if (!key || !value) return;
    if ((key === "rejectUnauthorized" || key === "strictSSL") && boolValue(value) === false) {
      sink.add({ kind: "tls-disabled", ...sink.at(node, `${key}: false`) });
    } else if (key === "NODE_TLS_REJECT_UNAUTHORIZED" && isZero(value)) {
      sink.add({ kind: "tls-disabled", ...sink.at(node, "NODE_TLS_REJECT_UNAUTHORIZED=0") });
    } else if (key.toLowerCase() === "access-control-allow-origin" && an.stringValue(value) === "*") {
      sink.add({ kind: "cors-any", ...sink.at(node, "Access-Control-Allow-Origin: *") });
    } else if (key === "headers" && outgoingOptions(node) && (incomingHeaders(value) || args(unwrap(value)).some((c) => c.type === "spread_element" && incomingHeaders(args(c)[0] ?? null)))) {
      sink.add({ kind: "token-forward", ...sink.at(node, "all incoming headers"), source: unwrap(value).text.slice(0, 80) });
    } else if (key === "authenticate" && isFunction(unwrap(value), "js")) {
      sink.add({ kind: "auth", ...sink.at(node, "authenticate") });
    } else if (key === "algorithms" && noneAlgorithm(value)) {
      const scope = enclosingFunction(node, "js") ?? root;
      sink.add({ kind: "jwt-unverified", ...sink.at(node, "algorithms: none"), reason: "alg-none", token: "", scope: sink.span(scope) });
    }
  }

  function onAssign(node: Node): void {
    const left = field(node, "left");
    const right = field(node, "right");
    if (!left || !right) return;
    const env = /^process\.env(\.NODE_TLS_REJECT_UNAUTHORIZED|\[\s*["'`]NODE_TLS_REJECT_UNAUTHORIZED["'`]\s*\])$/;
    if (env.test(left.text) && isZero(right)) sink.add({ kind: "tls-disabled", ...sink.at(node, "NODE_TLS_REJECT_UNAUTHORIZED=0") });
  }

  function onJwtCall(node: Node, fn: Node, name: string, a: Node[]): void {
    const q = an.qualifiedName(fn);
    const module = q?.module ?? "";
    const unresolvedJwt = fn.type === "member_expression" && /^jwt$|^jsonwebtoken$/i.test(field(fn, "object")?.text ?? "") && !q?.display.startsWith("local:");
    let role: "decode" | "verify" | undefined;
    if (module.startsWith("jsonwebtoken") || unresolvedJwt) role = name === "decode" ? "decode" : name === "verify" ? "verify" : undefined;
    else if (name === "decodeJwt" || (module === "jose" && name === "decodeJwt")) role = "decode";
    else if (name === "jwtVerify") role = "verify";
    else if (name === "jwtDecode" || name === "jwt_decode" || module === "jwt-decode") role = "decode";
    if (!role) return;
    const scope = sink.span(enclosingFunction(node, "js") ?? root);
    const token = tokenText(a[0]);
    if (role === "decode") sink.add({ kind: "jwt-unverified", ...sink.at(node, `${fn.text}`), reason: "decode-only", token, scope });
    else sink.add({ kind: "jwt-verify", ...sink.at(node, fn.text), token, scope });
  }

  /** Outgoing requests that carry the caller's Authorization header. */
  function tokenForwarding(reads: Node[]): void {
    const byScope: ReadsByScope = new Map();
    for (const read of reads) addRead(byScope, read, "js", root);
    const hasDestructured = (pattern: Node) =>
      args(pattern).some((p) => (p.type === "shorthand_property_identifier_pattern" && p.text.toLowerCase() === "authorization") || (p.type === "pair_pattern" && keyOf(p)?.toLowerCase() === "authorization"));
    // `const { authorization } = req.headers` binds the header without a read expression.
    for (const node of namedDescendants(root, ["variable_declarator"])) {
      const name = field(node, "name");
      if (name?.type === "object_pattern" && hasDestructured(name) && incomingHeaders(field(node, "value"))) {
        addRead(byScope, node, "js", root);
      }
    }
    for (const { scope, reads: sources } of byScope.values()) {
      const ids = new Set(sources.map((r) => r.id));
      const isSource = (n: Node) => ids.has(n.id);
      const tainted = taintedNames(scope, "js", isSource, (node, set) => {
        if (node.type !== "variable_declarator" || !ids.has(node.id)) return;
        for (const p of args(field(node, "name"))) {
          if (p.type === "shorthand_property_identifier_pattern" && p.text.toLowerCase() === "authorization") set.add(p.text);
          if (p.type === "pair_pattern" && keyOf(p)?.toLowerCase() === "authorization") {
            const v = field(p, "value");
            if (v?.type === "identifier") set.add(v.text);
          }
        }
      });
      descendants(scope, (node) => {
        if (node.type === "pair") {
          const key = keyOf(node)?.toLowerCase();
          const value = field(node, "value");
          if (key === "authorization" && carries(value, isSource, tainted) && !inResponseCall(node)) {
            sink.add({ kind: "token-forward", ...sink.at(node, "Authorization header"), source: sourceText(sources) });
          }
        } else if (node.type === "shorthand_property_identifier" && node.text.toLowerCase() === "authorization" && tainted.has(node.text) && !inResponseCall(node)) {
          // `{ headers: { authorization } }` after `const { authorization } = req.headers`.
          sink.add({ kind: "token-forward", ...sink.at(node, "Authorization header"), source: sourceText(sources) });
        } else if (node.type === "call_expression") {
          const fn = field(node, "function");
          if (fn?.type !== "member_expression") return;
          const method = field(fn, "property")?.text ?? "";
          const target = field(fn, "object")?.text ?? "";
          const [h, v] = callArguments(node);
          if (["set", "append", "setHeader"].includes(method) && !RESPONSE.test(target) && headerName(h, an) === "authorization" && carries(v ?? null, isSource, tainted)) {
            sink.add({ kind: "token-forward", ...sink.at(node, `${method}(Authorization)`), source: sourceText(sources) });
          }
        } else if (node.type === "assignment_expression") {
          const left = field(node, "left");
          const target = left?.type === "member_expression" ? field(left, "property")?.text : left?.type === "subscript_expression" ? headerName(field(left, "index") ?? undefined, an) : undefined;
          if (target?.toLowerCase() === "authorization" && left && !incomingHeaders(field(left, "object")) && carries(field(node, "right"), isSource, tainted)) {
            sink.add({ kind: "token-forward", ...sink.at(node, "Authorization header"), source: sourceText(sources) });
          }
        }
      });
    }
  }

  function sourceText(sources: Node[]): string {
    const first = sources[0];
    return first ? first.text.replace(/\s+/g, " ").slice(0, 80) : "";
  }

  /** The pair sits in the options of an outgoing HTTP call (`fetch(url, { headers })`, axios, got, ...). */
  function outgoingOptions(pair: Node): boolean {
    const object = pair.parent;
    const list = object?.parent;
    const call = list?.type === "arguments" ? list.parent : null;
    if (!call || (call.type !== "call_expression" && call.type !== "new_expression")) return false;
    const callee = field(call, call.type === "new_expression" ? "constructor" : "function")?.text ?? "";
    return OUTGOING.test(callee);
  }

  function inResponseCall(node: Node): boolean {
    for (let n = node.parent; n; n = n.parent) {
      if (n.type === "call_expression") {
        const target = field(n, "function");
        const obj = target?.type === "member_expression" ? field(target, "object")?.text : undefined;
        return obj !== undefined && RESPONSE.test(obj);
      }
      if (isFunction(n, "js")) return false;
    }
    return false;
  }

  function objectOf(node: Node | undefined): Node | null {
    if (!node) return null;
    const n = unwrap(node);
    if (n.type === "object") return n;
    if (n.type === "identifier") {
      const value = an.valueOf(n);
      return value && unwrap(value).type === "object" ? unwrap(value) : null;
    }
    return null;
  }

  function boolValue(node: Node | null, depth = 0): boolean | undefined {
    if (!node) return undefined;
    const n = unwrap(node);
    if (n.type === "true") return true;
    if (n.type === "false") return false;
    if (n.type === "identifier" && depth < 4) {
      const value = an.valueOf(n);
      return value ? boolValue(value, depth + 1) : undefined;
    }
    return undefined;
  }

  function isZero(node: Node): boolean {
    const n = unwrap(node);
    return n.type === "number" ? Number(n.text) === 0 : an.stringValue(n) === "0";
  }

  function noneAlgorithm(node: Node): boolean {
    const n = unwrap(node);
    return n.type === "array" && args(n).some((e) => an.stringValue(e)?.toLowerCase() === "none");
  }

  function isFunctionName(node: Node): boolean {
    if (node.type !== "identifier") return false;
    const value = an.valueOf(node);
    if (value && isFunction(unwrap(value), "js")) return true;
    return an.scopes.lookup(node.text, node)?.some((b) => b.kind === "function") ?? false;
  }

  function declaredName(node: Node): string | undefined {
    let n: Node | null = node.parent;
    while (n && (n.type === "parenthesized_expression" || n.type === "as_expression" || n.type === "await_expression")) n = n.parent;
    if (n?.type === "variable_declarator") {
      const name = field(n, "name");
      return name?.type === "identifier" ? name.text : undefined;
    }
    if (n?.type === "assignment_expression") {
      const left = field(n, "left");
      return left?.type === "identifier" ? left.text : undefined;
    }
    return undefined;
  }

  function usedInFunction(name: string): boolean {
    let used = false;
    for (const node of namedDescendants(root, ["identifier"])) {
      if (used) break;
      if (node.text === name && enclosingFunction(node, "js") !== null) {
        const bindings = an.scopes.lookup(name, node);
        // A handler's own `const transport = ...` is a new transport, not the shared one.
        if (!bindings || bindings.every((b) => b.kind !== "param")) used = enclosingDeclares(node, name) === false;
      }
    }
    return used;
  }

  function enclosingDeclares(node: Node, name: string): boolean {
    for (let fn = enclosingFunction(node, "js"); fn; fn = enclosingFunction(fn, "js")) {
      if (namedDescendants(fn, ["variable_declarator"]).some((n) => field(n, "name")?.text === name)) return true;
    }
    return false;
  }
}
