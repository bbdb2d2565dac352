import type { Node } from "web-tree-sitter";
import { callArguments, unwrap } from "./constness.js";
import { namedDescendants } from "./nodes.js";
import { args, field } from "./shell-ast.js";
import {
  addRead, AUTH_NAME, carries, classifyHost, descendants, enclosingFunction, type FactSink, handWrittenChecks,
  headerName, HeaderReads, hostValue, isTrackedHeader, NOT_ENFORCING, type ReadsByScope, taintedNames, tokenText,
} from "./transport-common.js";

const HTTP_TRANSPORTS = new Set(["sse", "streamable-http", "streamable_http", "http"]);
const HTTP_RUNNERS = new Set(["run_sse_async", "run_streamable_http_async", "run_http_async"]);
const HTTP_APPS = new Set(["streamable_http_app", "sse_app", "http_app"]);
const HTTP_CLASSES = new Set(["SseServerTransport", "StreamableHTTPSessionManager"]);
const AUTH_KWARGS = new Set(["auth", "token_verifier", "auth_server_provider"]);
const AUTH_CLASSES = /AuthenticationMiddleware|RequireAuthMiddleware|BearerAuthBackend|AuthContextMiddleware/;
/** Objects that stand for the incoming request (Starlette/FastAPI `request`, SDK `request_context.request`). */
const REQUEST = /(^|\.)(request|req)$/i;
/** HTTP client calls where `ssl=False` switches verification off (aiohttp). */
const SSL_KWARG_CALLS = /TCPConnector|ClientSession|\.(get|post|put|patch|delete|head|request|ws_connect)$/;

/** Callees that send a request somewhere else. */
const OUTGOING = /requests|httpx|client|session|aiohttp|\.(get|post|put|patch|delete|head|request|stream)$/i;

function lastName(fn: Node | null): string {
  if (!fn) return "";
  if (fn.type === "attribute") return field(fn, "attribute")?.text ?? "";
  return fn.text;
}

export function extractPythonTransport(root: Node, sink: FactSink): void {
  const an = sink.an;

  const kwargs = (call: Node): Map<string, Node> => {
    const out = new Map<string, Node>();
    for (const a of callArguments(call)) {
      if (a.type !== "keyword_argument") continue;
      const name = field(a, "name")?.text;
      const value = field(a, "value");
      if (name && value) out.set(name, value);
    }
    return out;
  };
  const positional = (call: Node) => callArguments(call).filter((a) => a.type !== "keyword_argument" && a.type !== "dictionary_splat" && a.type !== "list_splat");

  /** `request.headers`, `get_http_headers()`, or a local name bound to one. */
  const incomingHeaders = (node: Node | null, depth = 0): boolean => {
    if (!node || depth > 4) return false;
    const n = unwrap(node);
    if (n.type === "attribute" && field(n, "attribute")?.text === "headers") return REQUEST.test(field(n, "object")?.text ?? "");
    if (n.type === "call") {
      const fn = field(n, "function");
      if (lastName(fn) === "get_http_headers") return true;
      // dict(request.headers)
      if (fn?.text === "dict") return incomingHeaders(positional(n)[0] ?? null, depth + 1);
    }
    if (n.type === "identifier") {
      const value = an.valueOf(n);
      return value ? incomingHeaders(value, depth + 1) : false;
    }
    return false;
  };

  const headerRead = (node: Node): string | undefined => {
    if (node.type === "subscript") {
      const name = headerName(field(node, "subscript") ?? undefined, an);
      if (name && isTrackedHeader(name) && incomingHeaders(field(node, "value"))) return name;
    } else if (node.type === "call") {
      const fn = field(node, "function");
      if (fn?.type !== "attribute" || field(fn, "attribute")?.text !== "get") return undefined;
      const name = headerName(positional(node)[0], an);
      if (name && isTrackedHeader(name) && incomingHeaders(field(fn, "object"))) return name;
    }
    return undefined;
  };

  const reads = new HeaderReads();

  // Only these node types can be a setting, an assignment or a header read.
  for (const node of namedDescendants(root, ["call", "assignment", "attribute", "subscript"])) {
    if (node.type === "call") onCall(node);
    else if (node.type === "assignment") onAssign(node);
    else if (node.type === "attribute") onAttribute(node);
    reads.add(node, headerRead(node));
  }

  handWrittenChecks(sink, reads, "python");
  tokenForwarding(reads.auth);

  function onCall(node: Node): void {
    const fn = field(node, "function");
    if (!fn) return;
    const name = lastName(fn);
    const kw = kwargs(node);
    const pos = positional(node);

    // --- serving MCP over HTTP, and where it listens
    if (name === "run" || name === "run_async") {
      const transport = kw.get("transport") ?? pos[0];
      const value = transport ? an.stringValue(transport) : undefined;
      if (value !== undefined && HTTP_TRANSPORTS.has(value)) {
        sink.add({ kind: "mcp-http", ...sink.at(node, `run(transport="${value}")`) });
        listen(node, `run(transport="${value}")`, kw.get("host"));
      }
    } else if (HTTP_RUNNERS.has(name)) {
      sink.add({ kind: "mcp-http", ...sink.at(node, name) });
      listen(node, name, kw.get("host"));
    } else if (HTTP_APPS.has(name) || HTTP_CLASSES.has(name)) {
      sink.add({ kind: "mcp-http", ...sink.at(node, name) });
    }
    if (fn.text === "uvicorn.run" || fn.text === "uvicorn.Config" || (name === "run" && an.qualifiedName(fn)?.module === "uvicorn")) {
      listen(node, fn.text, kw.get("host"));
    }
    if (name === "FastMCP") {
      const host = kw.get("host");
      if (host) listen(node, "FastMCP(host=)", host);
      for (const k of kw.keys()) if (AUTH_KWARGS.has(k) && unwrap(kw.get(k)!).type !== "none") sink.add({ kind: "auth", ...sink.at(node, `FastMCP(${k}=)`) });
    }

    // --- DNS rebinding and host validation
    if (name === "TransportSecuritySettings") {
      const enabled = kw.get("enable_dns_rebinding_protection");
      if (enabled && unwrap(enabled).type === "false") sink.add({ kind: "dns-rebinding-disabled", ...sink.at(node, "enable_dns_rebinding_protection=False") });
      else if (enabled && unwrap(enabled).type === "true" && kw.has("allowed_hosts")) sink.add({ kind: "host-check", ...sink.at(node, name) });
    }
    if (callArguments(node).some((a) => a.text === "TrustedHostMiddleware") || name === "TrustedHostMiddleware") sink.add({ kind: "host-check", ...sink.at(node, "TrustedHostMiddleware") });

    // --- authentication
    if (callArguments(node).some((a) => AUTH_CLASSES.test(a.text) && a.type !== "keyword_argument") || AUTH_CLASSES.test(name)) {
      sink.add({ kind: "auth", ...sink.at(node, "authentication middleware") });
    } else if ((name === "Depends" || name === "Security" || name === "add_middleware") && pos[0] && AUTH_NAME.test(pos[0].text) && !NOT_ENFORCING.test(pos[0].text)) {
      sink.add({ kind: "auth", ...sink.at(node, `${name}(${pos[0].text})`) });
    }

    // --- CORS
    if (name === "CORSMiddleware" || callArguments(node).some((a) => a.text === "CORSMiddleware")) {
      const origins = kw.get("allow_origins");
      const regex = kw.get("allow_origin_regex");
      const list = origins ? listOf(origins) : null;
      const anyRegex = regex ? [".*", ".+", "^.*$", "^.+$"].includes(an.stringValue(regex) ?? "") : false;
      if ((list && args(list).some((e) => an.stringValue(e) === "*")) || anyRegex) sink.add({ kind: "cors-any", ...sink.at(node, "CORSMiddleware(allow_origins=[\"*\"])") });
    }

    // --- every incoming header (Authorization included) sent upstream
    const headers = kw.get("headers");
    if (headers && OUTGOING.test(fn.text) && incomingHeaders(headers)) {
      sink.add({ kind: "token-forward", ...sink.at(node, "all incoming headers"), source: headers.text.slice(0, 80) });
    }

    // --- TLS verification
    const jwtCall = /jwt|jose/i.test(fn.text);
    const verify = kw.get("verify");
    if (verify && unwrap(verify).type === "false" && !jwtCall) sink.add({ kind: "tls-disabled", ...sink.at(node, "verify=False") });
    const certReqs = kw.get("cert_reqs");
    if (certReqs && an.stringValue(certReqs) === "CERT_NONE") sink.add({ kind: "tls-disabled", ...sink.at(node, "cert_reqs=\"CERT_NONE\"") });
    const ssl = kw.get("ssl");
    if (ssl && unwrap(ssl).type === "false" && SSL_KWARG_CALLS.test(fn.text)) sink.add({ kind: "tls-disabled", ...sink.at(node, "ssl=False") });

    // --- JWT
    if (jwtCall) onJwt(node, fn, name, kw, pos);
  }

  function listen(node: Node, api: string, hostNode: Node | undefined): void {
    // uvicorn and FastMCP default to 127.0.0.1 when no host is given.
    if (!hostNode) {
      sink.add({ kind: "listen", ...sink.at(node, api), host: null, hostClass: "local", fromFallback: false });
      return;
    }
    const host = hostValue(hostNode, an);
    sink.add({ kind: "listen", ...sink.at(node, api), host: host.value ?? null, hostClass: classifyHost(host.value), fromFallback: host.fallback });
  }

  function onJwt(node: Node, fn: Node, name: string, kw: Map<string, Node>, pos: Node[]): void {
    const scope = sink.span(enclosingFunction(node, "python") ?? root);
    const token = tokenText(pos[0]);
    if (name === "get_unverified_claims") {
      sink.add({ kind: "jwt-unverified", ...sink.at(node, fn.text), reason: "decode-only", token, scope });
      return;
    }
    if (name !== "decode") return;
    const options = kw.get("options");
    const dict = options ? dictOf(options) : null;
    const disabled = args(dict).some((p) => p.type === "pair" && an.stringValue(field(p, "key")!) === "verify_signature" && unwrap(field(p, "value")!).type === "false");
    const verify = kw.get("verify");
    const algorithms = kw.get("algorithms");
    const list = algorithms ? listOf(algorithms) : null;
    if (list && args(list).some((e) => an.stringValue(e)?.toLowerCase() === "none")) {
      sink.add({ kind: "jwt-unverified", ...sink.at(node, "algorithms=[\"none\"]"), reason: "alg-none", token, scope });
    } else if (disabled || (verify && unwrap(verify).type === "false")) {
      sink.add({ kind: "jwt-unverified", ...sink.at(node, disabled ? "verify_signature: False" : "verify=False"), reason: "signature-disabled", token, scope });
    } else if (pos.length >= 2 || kw.has("key")) {
      sink.add({ kind: "jwt-verify", ...sink.at(node, fn.text), token, scope });
    }
  }

  function onAssign(node: Node): void {
    const left = field(node, "left");
    const right = field(node, "right");
    if (left?.type !== "attribute" || !right) return;
    const attr = field(left, "attribute")?.text;
    // `mcp.settings.host = "0.0.0.0"` (FastMCP settings changed after construction).
    if (attr === "host" && /\.settings$/.test(field(left, "object")?.text ?? "")) listen(node, "settings.host", right);
    if ((attr === "check_hostname" || attr === "verify") && unwrap(right).type === "false") {
      sink.add({ kind: "tls-disabled", ...sink.at(node, `${attr} = False`) });
    }
  }

  function onAttribute(node: Node): void {
    const attr = field(node, "attribute")?.text;
    const obj = field(node, "object")?.text;
    if (obj !== "ssl") return;
    if (attr === "_create_unverified_context") sink.add({ kind: "tls-disabled", ...sink.at(node, "ssl._create_unverified_context") });
    else if (attr === "CERT_NONE" && node.parent?.type !== "comparison_operator") sink.add({ kind: "tls-disabled", ...sink.at(node, "ssl.CERT_NONE") });
  }

  function tokenForwarding(reads: Node[]): void {
    const byScope: ReadsByScope = new Map();
    for (const read of reads) addRead(byScope, read, "python", root);
    for (const { scope, reads: sources } of byScope.values()) {
      const ids = new Set(sources.map((r) => r.id));
      const isSource = (n: Node) => ids.has(n.id);
      const tainted = taintedNames(scope, "python", isSource);
      const source = sources[0].text.replace(/\s+/g, " ").slice(0, 80);
      descendants(scope, (node) => {
        if (node.type === "pair") {
          const key = headerName(field(node, "key") ?? undefined, an);
          if (key === "authorization" && carries(field(node, "value"), isSource, tainted)) sink.add({ kind: "token-forward", ...sink.at(node, "Authorization header"), source });
        } else if (node.type === "assignment") {
          const left = field(node, "left");
          if (left?.type === "subscript" && headerName(field(left, "subscript") ?? undefined, an) === "authorization" && !incomingHeaders(field(left, "value")) && carries(field(node, "right"), isSource, tainted)) {
            sink.add({ kind: "token-forward", ...sink.at(node, "Authorization header"), source });
          }
        }
      });
    }
  }

  function listOf(node: Node, depth = 0): Node | null {
    const n = unwrap(node);
    if (n.type === "list" || n.type === "tuple" || n.type === "set") return n;
    if (n.type === "identifier" && depth < 4) {
      const value = an.valueOf(n);
      return value ? listOf(value, depth + 1) : null;
    }
    return null;
  }

  function dictOf(node: Node): Node | null {
    const n = unwrap(node);
    if (n.type === "dictionary") return n;
    if (n.type === "identifier") {
      const value = an.valueOf(n);
      return value && unwrap(value).type === "dictionary" ? unwrap(value) : null;
    }
    return null;
  }
}
