import type { Node } from "web-tree-sitter";
import { ConstnessAnalyzer } from "./constness.js";
import { familyOf } from "./shell-ast.js";
import { FactSink } from "./transport-common.js";
import { extractGoTransport } from "./transport-go.js";
import { extractJsTransport } from "./transport-js.js";
import { extractPythonTransport } from "./transport-py.js";
import type { SourceLanguage, Span } from "./types.js";

/** How a listen address reaches the network. */
export type HostClass = "all" | "local" | "specific" | "unknown";

interface FactBase {
  span: Span;
  /** The source line(s) of the construct, whitespace collapsed, at most 200 characters. */
  snippet: string;
  /** Normalised API or construct, e.g. "StreamableHTTPServerTransport", "uvicorn.run", "http.ListenAndServe". */
  api: string;
}

/** The file serves MCP over HTTP (Streamable HTTP or SSE). */
export interface McpHttpFact extends FactBase {
  kind: "mcp-http";
  /** TS SDK transports: DNS-rebinding protection as written in the options ("absent" when not set). */
  dnsRebinding?: "enabled" | "disabled" | "absent";
  /** TS SDK transports: `allowedHosts` or `allowedOrigins` is given. */
  allowedHosts?: boolean;
  /** TS SDK: `sessionIdGenerator: undefined` (stateless mode). */
  stateless?: boolean;
  /** Created once outside any function and used inside one (a request handler). */
  sharedAcrossRequests?: boolean;
  /** The variable holding the instance, when there is one. */
  variable?: string;
}

/** A server starts listening (or is configured to). */
export interface ListenFact extends FactBase {
  kind: "listen";
  /** The host as resolved; null when none is given (the API's default applies). */
  host: string | null;
  hostClass: HostClass;
  /** True when the host comes from a fallback behind an environment variable. */
  fromFallback: boolean;
}

/** Authentication in front of HTTP routes (middleware, FastMCP `auth=`, a handler answering 401). */
export interface AuthFact extends FactBase {
  kind: "auth";
}

/** Host or Origin header validation (DNS-rebinding defence). */
export interface HostCheckFact extends FactBase {
  kind: "host-check";
}

/** DNS-rebinding protection switched off explicitly (Python TransportSecuritySettings). */
export interface DnsRebindingDisabledFact extends FactBase {
  kind: "dns-rebinding-disabled";
}

/** `Access-Control-Allow-Origin: *` (or the request's origin reflected). */
export interface CorsAnyFact extends FactBase {
  kind: "cors-any";
}

/** The incoming request's Authorization header placed on an outgoing request. */
export interface TokenForwardFact extends FactBase {
  kind: "token-forward";
  /** The expression that read the incoming header. */
  source: string;
}

/** Certificate or hostname verification switched off. */
export interface TlsDisabledFact extends FactBase {
  kind: "tls-disabled";
}

/** A JWT decoded without verifying it, or verification configured to accept anything. */
export interface JwtUnverifiedFact extends FactBase {
  kind: "jwt-unverified";
  /** "decode-only" can be excused by a later verification of the same token; the others cannot. */
  reason: "decode-only" | "signature-disabled" | "alg-none" | "method-unchecked";
  /** Source text of the token expression. */
  token: string;
  /** Span of the enclosing function (the whole file at top level). */
  scope: Span;
}

/** A JWT verified (signature and algorithm checked). */
export interface JwtVerifyFact extends FactBase {
  kind: "jwt-verify";
  token: string;
  scope: Span;
}

/** A transport or security-configuration fact of one source file. */
export type TransportFact =
  | McpHttpFact
  | ListenFact
  | AuthFact
  | HostCheckFact
  | DnsRebindingDisabledFact
  | CorsAnyFact
  | TokenForwardFact
  | TlsDisabledFact
  | JwtUnverifiedFact
  | JwtVerifyFact;

/** Transport and security-configuration facts of one parsed file. */
export function extractTransportFacts(
  root: Node,
  lang: SourceLanguage,
  path: string,
  text: string,
  analyzer: ConstnessAnalyzer = new ConstnessAnalyzer(root, lang),
): TransportFact[] {
  const sink = new FactSink(path, text, analyzer);
  const family = familyOf(lang);
  if (family === "python") extractPythonTransport(root, sink);
  else if (family === "go") extractGoTransport(root, sink);
  else extractJsTransport(root, sink);
  return sink.facts;
}
