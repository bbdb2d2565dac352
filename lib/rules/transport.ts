import { serverForPath } from "../detect/index.js";
import type { FileFacts, SourceLanguage } from "../extract/types.js";
import type { ListenFact, McpHttpFact, TransportFact } from "../extract/transport.js";
import type { Category, Confidence, RawFinding, Severity } from "../model.js";
import { redact } from "../redact.js";
import type { RuleContext, RuleFamily, RuleInfo } from "./types.js";

/**
 * Transport and security-configuration rules. They read only the facts lib/extract/transport*.ts
 * produced; everything that depends on "does this server serve MCP over HTTP" is decided per
 * server folder, so an auth middleware in app.ts covers the transport created in mcp.ts.
 */

type Lang = "js" | "python" | "go";

const REMEDIATION: Record<string, string | Record<Lang, string>> = {
  "MCPW-NET-001": {
    js: "Bind to `127.0.0.1` (`app.listen(port, \"127.0.0.1\")`) unless remote clients need the server; if they do, put authentication in front of the MCP route, e.g. `app.post(\"/mcp\", requireBearerAuth({ verifier }), handler)` from `@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js`.",
    python: "Keep the default host `127.0.0.1` unless remote clients need the server; if they do, configure authentication (`FastMCP(..., auth=...)` or `token_verifier=`) before binding to `0.0.0.0`.",
    go: "Listen on `127.0.0.1:PORT` instead of `:PORT` unless remote clients need the server; if they do, wrap the MCP handler in an authentication check (e.g. go-sdk `auth.RequireBearerToken(verifier, nil)(handler)`).",
  },
  "MCPW-NET-002": {
    js: "Prefer `createMcpExpressApp()` (host validation on by default), or create the transport with `enableDnsRebindingProtection: true` and explicit `allowedHosts: [\"127.0.0.1:PORT\", \"localhost:PORT\"]` (and `allowedOrigins`).",
    python: "Remove `enable_dns_rebinding_protection=False`; pass `TransportSecuritySettings(enable_dns_rebinding_protection=True, allowed_hosts=[\"127.0.0.1:*\", \"localhost:*\"])` or rely on FastMCP's localhost default.",
    go: "Validate the `Host` and `Origin` headers against an allow-list before serving the MCP endpoint.",
  },
  "MCPW-NET-003": {
    js: "Give `cors()` an explicit allow-list (`cors({ origin: [\"https://app.example.com\"] })`) instead of `*` or `origin: true`; a local MCP server rarely needs CORS at all.",
    python: "List the allowed origins in `CORSMiddleware(allow_origins=[\"https://app.example.com\"])` instead of `[\"*\"]`.",
    go: "Set `Access-Control-Allow-Origin` only for origins on an allow-list (or use `cors.New(cors.Options{AllowedOrigins: []string{\"https://app.example.com\"}})`).",
  },
  "MCPW-NET-004":
    "In stateless mode create the server and the transport inside the request handler (`const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined })` per request, closed on `res.on(\"close\")`), or switch to stateful mode with `sessionIdGenerator: () => randomUUID()`.",
  "MCPW-NET-005":
    "Do not forward the token the client sent to this server: obtain a token issued for the upstream API (OAuth token exchange, or the server's own credentials from configuration) and send that instead.",
  "MCPW-TLS-001": {
    js: "Remove `rejectUnauthorized: false` / `NODE_TLS_REJECT_UNAUTHORIZED=0`; to trust a private CA, pass it with `ca: fs.readFileSync(caPath)` or set `NODE_EXTRA_CA_CERTS`.",
    python: "Remove `verify=False` / `ssl.CERT_NONE` / `_create_unverified_context`; to trust a private CA, pass `verify=\"/path/to/ca.pem\"` or `ssl.create_default_context(cafile=...)`.",
    go: "Remove `InsecureSkipVerify: true`; to trust a private CA, add it to `tls.Config{RootCAs: pool}`.",
  },
  "MCPW-JWT-001": {
    js: "Verify the token before trusting its claims: `jwt.verify(token, key, { algorithms: [\"RS256\"] })` (jsonwebtoken) or `jwtVerify(token, jwks)` (jose); never allow the `none` algorithm.",
    python: "Verify the token: `jwt.decode(token, key, algorithms=[\"RS256\"], audience=...)` without `verify_signature: False`; never allow the `none` algorithm.",
    go: "Check the signing method in the key function (`if _, ok := t.Method.(*jwt.SigningMethodRSA); !ok { return nil, err }`) or pass `jwt.WithValidMethods([]string{\"RS256\"})`; never use `ParseUnverified` for authorisation.",
  },
};

export const TRANSPORT_RULES: RuleInfo[] = [
  {
    id: "MCPW-NET-001",
    title: "HTTP MCP server listens on all interfaces without authentication",
    category: "insecure-transport",
    severity: "high",
    looksFor:
      "A server that serves MCP over HTTP or SSE and listens on every network interface (`0.0.0.0`, `::`, `app.listen(port)` with no host, Go `\":8080\"`) while nothing in the server folder authenticates requests.",
    ignores:
      "stdio-only servers, servers bound to localhost or a specific address, FastMCP and uvicorn without a host (they default to 127.0.0.1), and servers with bearer-auth middleware, passport, FastMCP `auth=`, or a handler that answers 401/403.",
    remediation: "Bind to 127.0.0.1, or put authentication (e.g. `requireBearerAuth`) in front of the MCP route.",
  },
  {
    id: "MCPW-NET-002",
    title: "DNS-rebinding protection absent or disabled on a local HTTP MCP server",
    category: "insecure-transport",
    severity: "medium",
    looksFor:
      "`enableDnsRebindingProtection: false` or `TransportSecuritySettings(enable_dns_rebinding_protection=False)` (high), and TypeScript SDK transports without protection and `allowedHosts` on a server bound to localhost with no Host/Origin validation (medium).",
    ignores:
      "`createMcpExpressApp()` and the SDK host-validation middleware (protected by default), Python FastMCP's localhost default, servers that check the Host or Origin header, and servers that listen on all interfaces (MCPW-NET-001 covers those).",
    remediation: "Use `createMcpExpressApp()`, or enable DNS-rebinding protection with an `allowedHosts` list.",
  },
  {
    id: "MCPW-NET-003",
    title: "Any website may call the MCP endpoint (CORS `*`)",
    category: "insecure-transport",
    severity: "medium",
    looksFor:
      "`Access-Control-Allow-Origin: *` in a server that serves MCP over HTTP: `cors()` without an origin, `origin: \"*\"` or `origin: true`, a `*` header set by hand, `CORSMiddleware(allow_origins=[\"*\"])`, rs/cors `AllowAll()`.",
    ignores: "CORS with an explicit origin list, and CORS settings in servers that do not serve MCP over HTTP.",
    remediation: "Replace `*` with an explicit list of allowed origins.",
  },
  {
    id: "MCPW-NET-004",
    title: "Stateless transport shared across requests",
    category: "misconfiguration",
    severity: "medium",
    looksFor:
      "A TypeScript SDK transport created once at module level with `sessionIdGenerator: undefined` (stateless mode) and then used inside a request handler; the SDK requires a new transport per request in stateless mode, otherwise responses can reach the wrong client.",
    ignores: "Transports created inside the handler, and stateful transports (with a session id generator) kept in a session map.",
    remediation: "Create the transport (and server) per request in stateless mode.",
  },
  {
    id: "MCPW-NET-005",
    title: "Client's token forwarded to an upstream API (token passthrough)",
    category: "insecure-transport",
    severity: "high",
    looksFor:
      "The incoming request's `Authorization` header (`req.headers.authorization`, `request.headers[\"authorization\"]`, `r.Header.Get(\"Authorization\")`), or all incoming headers, placed on an outgoing request.",
    ignores:
      "Outgoing requests authorised with the server's own credentials or with a token obtained by exchange (a call to any function other than string trimming/splitting ends the chain).",
    remediation: "Use a token issued for the upstream API instead of the client's token.",
  },
  {
    id: "MCPW-TLS-001",
    title: "TLS certificate verification disabled",
    category: "tls-verification-disabled",
    severity: "high",
    looksFor:
      "`rejectUnauthorized: false`, `NODE_TLS_REJECT_UNAUTHORIZED = \"0\"` in code, `verify=False` on HTTP calls and clients, `ssl._create_unverified_context`, `ssl.CERT_NONE`, `check_hostname = False`, Go `InsecureSkipVerify: true`. High in server code, medium under scripts/, tools/, bin/ or examples/.",
    ignores: "`verify=True`, `verify=ca_path`, comparisons with `ssl.CERT_NONE`, and test files (test/, tests/, `*_test.go`, `*.test.ts`, `test_*.py`).",
    remediation: "Remove the override; trust a private CA explicitly instead.",
  },
  {
    id: "MCPW-JWT-001",
    title: "JWT accepted without verifying its signature",
    category: "misconfiguration",
    severity: "high",
    looksFor:
      "PyJWT `options={\"verify_signature\": False}` or `verify=False`, `algorithms` containing `none`, jsonwebtoken `jwt.decode` / jose `decodeJwt` / `jwtDecode`, python-jose `get_unverified_claims`, Go `ParseUnverified` and `jwt.Parse` with a key function that ignores the signing method.",
    ignores:
      "Decoding without verification when the same token is verified in the same function (reading a claim first is common), Go key functions that check `t.Method` or parsers with `WithValidMethods`, and test files.",
    remediation: "Verify the signature with a fixed list of algorithms before trusting any claim.",
  },
];

const CWE: Record<string, string[]> = {
  "MCPW-NET-001": ["CWE-306"],
  "MCPW-NET-002": ["CWE-346"],
  "MCPW-NET-003": ["CWE-942"],
  "MCPW-NET-004": ["CWE-488"],
  "MCPW-NET-005": ["CWE-441"],
  "MCPW-TLS-001": ["CWE-295"],
  "MCPW-JWT-001": ["CWE-347"],
};

/** OWASP MCP Top 10: MCP01 token mismanagement, MCP07 insufficient authentication, MCP10 over-sharing. */
const OWASP: Record<string, string[]> = {
  "MCPW-NET-001": ["MCP07"],
  "MCPW-NET-002": ["MCP07"],
  "MCPW-NET-003": ["MCP07"],
  "MCPW-NET-004": ["MCP10"],
  "MCPW-NET-005": ["MCP01"],
  "MCPW-TLS-001": ["MCP01"],
  "MCPW-JWT-001": ["MCP07"],
};

/** Test code is not what gets deployed; the brief's paths plus the usual spec/__tests__ spellings. */
const TEST_PATH = /(^|\/)(tests?|__tests__|spec|testdata)\/|_test\.go$|\.(test|spec)\.[cm]?[jt]sx?$|(^|\/)test_[^/]*\.py$|_test\.py$|(^|\/)conftest\.py$/;
const SCRIPT_PATH = /(^|\/)(scripts?|tools|bin|hack|examples?)\//;

export function isTestFile(path: string): boolean {
  return TEST_PATH.test(path);
}

function langOf(language: SourceLanguage): Lang {
  return language === "python" ? "python" : language === "go" ? "go" : "js";
}

function remediationFor(ruleId: string, lang: Lang): string {
  const r = REMEDIATION[ruleId];
  return typeof r === "string" ? r : r[lang];
}

function normalise(snippet: string): string {
  return snippet.replace(/\s+/g, " ").trim();
}

interface Located {
  file: FileFacts;
  fact: TransportFact;
}

interface Draft {
  ruleId: string;
  category: Category;
  severity: Severity;
  confidence: Confidence;
  at: Located;
  message: string;
  evidence?: string;
}

function where(l: Located): string {
  return `${l.fact.span.path}:${l.fact.span.line}`;
}

function hostLabel(fact: ListenFact): string {
  if (fact.host === null) return "with no host (all interfaces)";
  return `on \`${fact.host === "" ? ":PORT" : fact.host}\`${fact.fromFallback ? " when no host is configured" : ""}`;
}

/** Findings of one server folder (or the whole repository when no server was detected). */
function checkServer(files: FileFacts[], out: Draft[]): void {
  const all: Located[] = [];
  for (const file of files) for (const fact of file.transport) all.push({ file, fact });
  const of = <K extends TransportFact["kind"]>(kind: K) => all.filter((l): l is Located & { fact: Extract<TransportFact, { kind: K }> } => l.fact.kind === kind);

  const http = of("mcp-http");
  const auth = of("auth");
  const hostChecks = of("host-check");
  const listens = of("listen");
  const servesHttp = http.length > 0;
  const httpIn = (path: string) => http.some((h) => h.fact.span.path === path);
  const httpEvidence = (path: string) => {
    const h = http.find((x) => x.fact.span.path === path) ?? http[0];
    return h ? `serves MCP over HTTP: ${h.fact.api} (${where(h)})` : "";
  };

  if (servesHttp && auth.length === 0) {
    for (const l of listens) {
      if (l.fact.hostClass !== "all") continue;
      out.push({
        ruleId: "MCPW-NET-001",
        category: "insecure-transport",
        severity: "high",
        confidence: httpIn(l.fact.span.path) ? "high" : "medium",
        at: l,
        message: `The MCP server listens ${hostLabel(l.fact)} and nothing authenticates its HTTP endpoint, so anyone who can reach the port can call its tools.`,
        evidence: `${l.fact.snippet}\n${httpEvidence(l.fact.span.path)}\nno authentication middleware found in this server`,
      });
    }
  }

  // DNS rebinding: explicit switches first; "absent" only for a server bound to localhost.
  for (const l of [...http.filter((h) => (h.fact as McpHttpFact).dnsRebinding === "disabled"), ...of("dns-rebinding-disabled")]) {
    out.push({
      ruleId: "MCPW-NET-002",
      category: "insecure-transport",
      severity: "high",
      confidence: "high",
      at: l,
      message: "DNS-rebinding protection is switched off on the MCP HTTP transport, so a web page the user visits can reach the server through a rebound domain and call its tools.",
    });
  }
  const local = listens.length > 0 && listens.some((l) => l.fact.hostClass === "local") && !listens.some((l) => l.fact.hostClass === "all");
  if (local && hostChecks.length === 0) {
    for (const l of http) {
      const f = l.fact;
      if (f.dnsRebinding === undefined || f.dnsRebinding === "disabled" || (f.dnsRebinding === "enabled" && f.allowedHosts)) continue;
      out.push({
        ruleId: "MCPW-NET-002",
        category: "insecure-transport",
        severity: "medium",
        confidence: "medium",
        at: l,
        message:
          f.dnsRebinding === "enabled"
            ? `\`${f.api}\` enables DNS-rebinding protection without \`allowedHosts\`, so no Host header is rejected and a web page can reach the local server through a rebound domain.`
            : `\`${f.api}\` is created without DNS-rebinding protection on a server bound to localhost, so a web page the user visits can reach it through a rebound domain and call its tools.`,
      });
    }
  }

  if (servesHttp) {
    for (const l of of("cors-any")) {
      out.push({
        ruleId: "MCPW-NET-003",
        category: "insecure-transport",
        severity: "medium",
        confidence: httpIn(l.fact.span.path) ? "high" : "medium",
        at: l,
        message: "The MCP HTTP server allows requests from any origin (`Access-Control-Allow-Origin: *`), so any website a user visits can call it from the browser.",
        evidence: `${l.fact.snippet}\n${httpEvidence(l.fact.span.path)}`,
      });
    }
  }

  for (const l of http) {
    const f = l.fact;
    if (!f.stateless || !f.sharedAcrossRequests) continue;
    out.push({
      ruleId: "MCPW-NET-004",
      category: "misconfiguration",
      severity: "medium",
      confidence: "high",
      at: l,
      message: `The stateless transport \`${f.variable ?? f.api}\` is created once and reused by every request, which the SDK does not support in stateless mode and which can mix up request IDs and responses between clients.`,
    });
  }
}

function checkFile(file: FileFacts, out: Draft[]): void {
  const verified = file.transport.filter((f) => f.kind === "jwt-verify");
  for (const fact of file.transport) {
    const at = { file, fact };
    if (fact.kind === "token-forward") {
      const everything = fact.api === "all incoming headers";
      out.push({
        ruleId: "MCPW-NET-005",
        category: "insecure-transport",
        severity: "high",
        confidence: everything ? "medium" : "high",
        at,
        message: everything
          ? "All headers of the incoming request, including the client's Authorization token, are copied onto an outgoing request (token passthrough)."
          : "The client's Authorization token is forwarded to an upstream API (token passthrough), so the upstream cannot tell which party it is talking to and a stolen token works everywhere.",
        evidence: `${fact.snippet}\nfrom: ${fact.source}`,
      });
    } else if (fact.kind === "tls-disabled") {
      const script = SCRIPT_PATH.test(file.path);
      out.push({
        ruleId: "MCPW-TLS-001",
        category: "tls-verification-disabled",
        severity: script ? "medium" : "high",
        confidence: "high",
        at,
        message: `TLS certificate verification is disabled (\`${fact.api}\`), so anyone on the network path can impersonate the remote server and read or change the traffic, credentials included.`,
      });
    } else if (fact.kind === "jwt-unverified") {
      const excusable = fact.reason === "decode-only" || fact.reason === "signature-disabled";
      if (excusable && verified.some((v) => v.kind === "jwt-verify" && v.token === fact.token && v.scope.line === fact.scope.line && v.scope.endLine === fact.scope.endLine)) continue;
      const messages: Record<typeof fact.reason, string> = {
        "decode-only": `\`${fact.api}\` reads the token's claims without verifying its signature, and the token is not verified elsewhere in this function, so a forged token would be trusted.`,
        "signature-disabled": `JWT signature verification is switched off (\`${fact.api}\`) and the token is not verified elsewhere in this function, so a forged token would be trusted.`,
        "alg-none": "The accepted JWT algorithms include `none`, so an unsigned token passes verification.",
        "method-unchecked": `\`${fact.api}\` uses a key function that does not check the token's signing method, so a token signed with an unexpected algorithm can be accepted (algorithm confusion).`,
      };
      out.push({
        ruleId: "MCPW-JWT-001",
        category: "misconfiguration",
        severity: "high",
        confidence: fact.reason === "decode-only" || fact.reason === "method-unchecked" ? "medium" : "high",
        at,
        message: messages[fact.reason],
      });
    }
  }
}

export const transport: RuleFamily = {
  id: "transport",
  rules: TRANSPORT_RULES,
  run(ctx: RuleContext): RawFinding[] {
    const drafts: Draft[] = [];
    const byServer = new Map<string, FileFacts[]>();
    for (const file of ctx.facts.files) {
      if (file.transport.length === 0 || isTestFile(file.path)) continue;
      const server = serverForPath(ctx.servers, file.path);
      const list = byServer.get(server);
      if (list) list.push(file);
      else byServer.set(server, [file]);
      checkFile(file, drafts);
    }
    for (const files of byServer.values()) checkServer(files, drafts);

    const seen = new Map<string, number>();
    return drafts.map((d) => {
      const { fact, file } = d.at;
      // Redacted, so a credential on the same line never becomes part of the key.
      const snippet = redact(normalise(fact.snippet));
      const base = `${d.ruleId} ${snippet}`;
      const n = (seen.get(`${fact.span.path}\0${base}`) ?? 0) + 1;
      seen.set(`${fact.span.path}\0${base}`, n);
      return {
        ruleId: d.ruleId,
        category: d.category,
        severity: d.severity,
        confidence: d.confidence,
        path: fact.span.path,
        line: fact.span.line,
        endLine: fact.span.endLine,
        message: d.message,
        evidence: d.evidence ?? fact.snippet,
        remediation: remediationFor(d.ruleId, langOf(file.language)),
        cwe: CWE[d.ruleId],
        owasp: OWASP[d.ruleId],
        // Identical constructs in one file stay distinct without depending on line numbers.
        key: n === 1 ? snippet : `${snippet} #${n}`,
      };
    });
  },
};
