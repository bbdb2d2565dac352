import { join } from "node:path";
import { languageOf, parseSource } from "../../lib/extract/parser.js";
import { extractTransportFacts } from "../../lib/extract/transport.js";
import type { FileFacts, SourceLanguage } from "../../lib/extract/types.js";
import { emptyManifests } from "../../lib/manifests/index.js";
import type { RawFinding } from "../../lib/model.js";
import { CATEGORIES } from "../../lib/model.js";
import { scanSnapshot } from "../../lib/scan.js";
import { transport } from "../../lib/rules/transport.js";
import type { RuleContext } from "../../lib/rules/types.js";
import { FIXTURES, snapshotOfDir } from "../extract/client-config-helpers.js";

async function fileFacts(path: string, code: string): Promise<FileFacts> {
  const language = languageOf(path) as SourceLanguage;
  const tree = await parseSource(language, code);
  if (!tree) throw new Error("parse failed");
  try {
    const facts = extractTransportFacts(tree.rootNode, language, path, code);
    return { path, language, tools: [], shellCalls: [], flows: [], transport: facts, problems: [] };
  } finally {
    tree.delete();
  }
}

async function run(files: Record<string, string>): Promise<RawFinding[]> {
  const facts = await Promise.all(Object.entries(files).map(([p, c]) => fileFacts(p, c)));
  const ctx: RuleContext = {
    snapshot: { files: new Map(), notes: [], truncated: false, totalBytes: 0 },
    servers: [],
    facts: { files: facts },
    deps: { dependencies: [], unresolved: [], problems: [] },
    advisories: [],
    manifests: emptyManifests(),
  };
  return transport.run(ctx);
}

async function ids(files: Record<string, string>): Promise<string[]> {
  return (await run(files)).map((f) => f.ruleId).sort();
}

const TS_HEAD = `import express from "express";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
const app = express();
app.post("/mcp", async (req, res) => {
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableDnsRebindingProtection: true, allowedHosts: ["127.0.0.1:3000"] });
  await server.connect(transport);
  await transport.handleRequest(req, res, req.body);
});
`;

describe("MCPW-NET-001 listening on all interfaces without auth", () => {
  test.each([
    ["no host", `${TS_HEAD}app.listen(3000);`],
    ["constant host", `${TS_HEAD}const HOST = "0.0.0.0";\napp.listen(PORT, HOST);`],
    ["env fallback", `${TS_HEAD}app.listen(3000, process.env.HOST || "0.0.0.0");`],
    ["IPv6 any", `${TS_HEAD}app.listen(3000, "::");`],
  ])("TS positive: %s", async (_n, code) => {
    const findings = await run({ "src/index.ts": code });
    const f = findings.find((x) => x.ruleId === "MCPW-NET-001");
    expect(f).toMatchObject({ severity: "high", confidence: "high", category: "insecure-transport", owasp: ["MCP07"] });
    expect(f?.evidence).toContain("StreamableHTTPServerTransport");
  });

  test("TS positive across files in one server: medium confidence", async () => {
    const findings = await run({
      "src/mcp.ts": `export function handler() { return new SSEServerTransport("/messages", res); }`,
      "src/index.ts": `const app = express();\napp.get("/sse", handler);\napp.listen(8080);`,
    });
    expect(findings.filter((f) => f.ruleId === "MCPW-NET-001").map((f) => f.confidence)).toEqual(["medium"]);
  });

  test.each([
    ["localhost", `${TS_HEAD}app.listen(3000, "127.0.0.1");`],
    ["bearer auth", `${TS_HEAD}app.use("/mcp", requireBearerAuth({ verifier }));\napp.listen(3000);`],
    ["auth middleware by name", `${TS_HEAD}app.use(authMiddleware);\napp.listen(3000);`],
    ["passport", `${TS_HEAD}app.post("/mcp", passport.authenticate("bearer", { session: false }), h);\napp.listen(3000);`],
    [
      "handler that answers 401",
      `${TS_HEAD}app.use((req, res, next) => { if (req.headers.authorization !== \`Bearer \${KEY}\`) return res.status(401).end(); next(); });\napp.listen(3000);`,
    ],
    ["host from env without fallback", `${TS_HEAD}app.listen(3000, process.env.HOST);`],
    ["stdio server with a health endpoint", `const t = new StdioServerTransport();\nawait server.connect(t);\nhealth.listen(8080);`],
    ["metadata router is not auth, but localhost is fine", `${TS_HEAD}app.use(mcpAuthMetadataRouter({}));\napp.listen(3000, "localhost");`],
  ])("TS negative: %s", async (_n, code) => {
    expect(await ids({ "src/index.ts": code })).not.toContain("MCPW-NET-001");
  });

  test("metadata router alone does not count as authentication", async () => {
    expect(await ids({ "src/index.ts": `${TS_HEAD}app.use(mcpAuthMetadataRouter({}));\napp.listen(3000);` })).toContain("MCPW-NET-001");
  });

  test.each([
    ["run with host", `mcp = FastMCP("x")\nmcp.run(transport="streamable-http", host="0.0.0.0", port=8000)`],
    ["constructor host, sse", `mcp = FastMCP("x", host="0.0.0.0")\nmcp.run(transport="sse")`],
    ["uvicorn with env fallback", `import os, uvicorn\napp = mcp.streamable_http_app()\nuvicorn.run(app, host=os.getenv("HOST", "0.0.0.0"))`],
  ])("Python positive: %s", async (_n, code) => {
    expect(await ids({ "server.py": code })).toContain("MCPW-NET-001");
  });

  test.each([
    ["default host", `mcp = FastMCP("x")\nmcp.run(transport="streamable-http")`],
    ["stdio", `mcp = FastMCP("x", host="0.0.0.0")\nmcp.run()`],
    ["FastMCP auth", `mcp = FastMCP("x", host="0.0.0.0", auth=BearerAuthProvider(public_key=KEY))\nmcp.run(transport="http")`],
    ["uvicorn default", `import uvicorn\nuvicorn.run(mcp.sse_app())`],
    ["FastAPI dependency", `app = FastAPI(dependencies=[Depends(get_current_user)])\napp.mount("/mcp", mcp.streamable_http_app())\nuvicorn.run(app, host="0.0.0.0")`],
    [
      "auth middleware",
      `app = Starlette(routes=[Mount("/", mcp.sse_app())], middleware=[Middleware(AuthenticationMiddleware, backend=TokenBackend())])\nuvicorn.run(app, host="0.0.0.0")`,
    ],
  ])("Python negative: %s", async (_n, code) => {
    expect(await ids({ "server.py": code })).not.toContain("MCPW-NET-001");
  });

  test.each([
    ["mcp-go", `package main\nfunc main() {\n\ts := server.NewStreamableHTTPServer(mcpServer)\n\thttp.ListenAndServe(":8080", s)\n}`],
    ["go-sdk with port from env", `package main\nfunc main() {\n\th := mcp.NewStreamableHTTPHandler(get, nil)\n\taddr := ":" + os.Getenv("PORT")\n\tlog.Fatal(http.ListenAndServe(addr, h))\n}`],
    ["mcp-go Start", `package main\nfunc main() {\n\ts := server.NewSSEServer(mcpServer)\n\ts.Start("0.0.0.0:8080")\n}`],
  ])("Go positive: %s", async (_n, code) => {
    expect(await ids({ "main.go": code })).toContain("MCPW-NET-001");
  });

  test.each([
    ["localhost", `package main\nfunc main() {\n\th := mcp.NewStreamableHTTPHandler(get, nil)\n\thttp.ListenAndServe("127.0.0.1:8080", h)\n}`],
    ["auth wrapper", `package main\nfunc main() {\n\th := mcp.NewStreamableHTTPHandler(get, nil)\n\thttp.ListenAndServe(":8080", authMiddleware(h))\n}`],
    ["stdio with metrics", `package main\nfunc main() {\n\tgo http.ListenAndServe(":9090", promhttp.Handler())\n\tserver.ServeStdio(s)\n}`],
  ])("Go negative: %s", async (_n, code) => {
    expect(await ids({ "main.go": code })).not.toContain("MCPW-NET-001");
  });
});

describe("MCPW-NET-002 DNS rebinding", () => {
  const local = `\napp.listen(3000, "127.0.0.1");`;
  test("TS explicitly disabled: high", async () => {
    const f = (await run({ "src/index.ts": `app.post("/mcp", (req, res) => { const t = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableDnsRebindingProtection: false }); });${local}` })).find((x) => x.ruleId === "MCPW-NET-002");
    expect(f).toMatchObject({ severity: "high", confidence: "high" });
  });

  test("TS absent on a localhost server: medium", async () => {
    const f = (await run({ "src/index.ts": `app.post("/mcp", (req, res) => { const t = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID() }); });${local}` })).find((x) => x.ruleId === "MCPW-NET-002");
    expect(f).toMatchObject({ severity: "medium", confidence: "medium" });
  });

  test.each([
    ["enabled with allowedHosts", `${TS_HEAD}${local}`],
    ["createMcpExpressApp", `const app = createMcpExpressApp();\napp.post("/mcp", (req, res) => { const t = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined }); });${local}`],
    ["host validation middleware", `app.use(localhostHostValidation());\napp.post("/mcp", (req, res) => { const t = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined }); });${local}`],
    ["Host header checked by hand", `app.use((req, res, next) => { if (!ALLOWED_HOSTS.includes(req.headers.host)) return res.status(403).end(); next(); });\napp.post("/mcp", (req, res) => { const t = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined }); });${local}`],
    ["all interfaces (NET-001's case)", `app.post("/mcp", (req, res) => { const t = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined }); });\napp.listen(3000);`],
    ["no listen in the server", `export const handle = (req, res) => new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });`],
  ])("TS negative: %s", async (_n, code) => {
    expect(await ids({ "src/index.ts": code })).not.toContain("MCPW-NET-002");
  });

  test("Python explicitly disabled: high", async () => {
    const findings = await run({ "server.py": `mcp = FastMCP("x", transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False))\nmcp.run(transport="streamable-http")` });
    expect(findings.find((f) => f.ruleId === "MCPW-NET-002")).toMatchObject({ severity: "high" });
  });

  test.each([
    ["FastMCP default", `mcp = FastMCP("x")\nmcp.run(transport="streamable-http")`],
    ["enabled", `mcp = FastMCP("x", transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=True, allowed_hosts=["localhost:*"]))\nmcp.run(transport="sse")`],
  ])("Python negative: %s", async (_n, code) => {
    expect(await ids({ "server.py": code })).not.toContain("MCPW-NET-002");
  });
});

describe("MCPW-NET-003 CORS *", () => {
  test.each([
    ["cors()", `import cors from "cors";\n${TS_HEAD}app.use(cors());`],
    ["origin true", `import cors from "cors";\n${TS_HEAD}app.use(cors({ origin: true, exposedHeaders: ["Mcp-Session-Id"] }));`],
    ["origin *", `import cors from "cors";\n${TS_HEAD}const corsOptions = { origin: "*" };\napp.use(cors(corsOptions));`],
    ["setHeader", `${TS_HEAD}app.use((req, res, next) => { res.setHeader("Access-Control-Allow-Origin", "*"); next(); });`],
  ])("TS positive: %s", async (_n, code) => {
    const f = (await run({ "src/index.ts": code })).find((x) => x.ruleId === "MCPW-NET-003");
    expect(f).toMatchObject({ severity: "medium", category: "insecure-transport" });
  });

  test.each([
    ["allow-list", `import cors from "cors";\n${TS_HEAD}app.use(cors({ origin: ["https://app.example.com"] }));`],
    ["origin from config", `import cors from "cors";\n${TS_HEAD}app.use(cors({ origin: config.allowedOrigins }));`],
    ["stdio server", `import cors from "cors";\nconst t = new StdioServerTransport();\napi.use(cors());`],
  ])("TS negative: %s", async (_n, code) => {
    expect(await ids({ "src/index.ts": code })).not.toContain("MCPW-NET-003");
  });

  test("Python positive and negative", async () => {
    const app = `app = mcp.streamable_http_app()\n`;
    expect(await ids({ "server.py": `${app}app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["*"])` })).toContain("MCPW-NET-003");
    expect(await ids({ "server.py": `${app}ORIGINS = ["*"]\napp = CORSMiddleware(app, allow_origins=ORIGINS)` })).toContain("MCPW-NET-003");
    expect(await ids({ "server.py": `${app}app.add_middleware(CORSMiddleware, allow_origins=["https://a.example"], allow_methods=["*"])` })).not.toContain("MCPW-NET-003");
  });

  test("Go positive and negative", async () => {
    const head = `package main\nvar h = mcp.NewStreamableHTTPHandler(get, nil)\nfunc cors(w http.ResponseWriter, r *http.Request) {\n`;
    expect(await ids({ "main.go": `${head}\tw.Header().Set("Access-Control-Allow-Origin", "*")\n}` })).toContain("MCPW-NET-003");
    expect(await ids({ "main.go": `${head}\tw.Header().Set("Access-Control-Allow-Origin", "https://app.example.com")\n}` })).not.toContain("MCPW-NET-003");
  });
});

describe("MCPW-NET-004 stateless transport shared across requests", () => {
  test("positive: module-level stateless transport used in the handler", async () => {
    const code = `const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
await server.connect(transport);
app.post("/mcp", async (req, res) => { await transport.handleRequest(req, res, req.body); });
app.listen(3000, "127.0.0.1");`;
    const f = (await run({ "src/index.ts": code })).find((x) => x.ruleId === "MCPW-NET-004");
    expect(f).toMatchObject({ severity: "medium", confidence: "high", category: "misconfiguration" });
    expect(f?.message).toContain("`transport`");
  });

  test.each([
    ["per-request transport", TS_HEAD],
    ["module-level stateful transport", `const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID() });\napp.post("/mcp", (req, res) => transport.handleRequest(req, res));`],
    ["handler shadows the name", `const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });\napp.post("/mcp", (req, res) => { const transport = make(); return transport.handleRequest(req, res); });`],
  ])("negative: %s", async (_n, code) => {
    expect(await ids({ "src/index.ts": code })).not.toContain("MCPW-NET-004");
  });
});

describe("MCPW-NET-005 token passthrough", () => {
  test.each([
    ["header read into a local", `async function h(req, res) { const auth = req.headers.authorization; const r = await fetch(API, { headers: { Authorization: auth } }); }`],
    ["Bearer re-wrapped", `async function h(req) { const token = req.headers["authorization"]?.replace("Bearer ", ""); return axios.get(API, { headers: { Authorization: \`Bearer \${token}\` } }); }`],
    ["destructured", `async function h(req) { const { authorization } = req.headers; return got(API, { headers: { authorization } }); }`],
    ["SDK requestInfo in a tool", `server.tool("x", {}, async (args, extra) => fetch(API, { headers: { Authorization: extra.requestInfo?.headers.authorization } }));`],
  ])("TS positive: %s", async (_n, code) => {
    const f = (await run({ "src/index.ts": code })).find((x) => x.ruleId === "MCPW-NET-005");
    expect(f).toMatchObject({ severity: "high", confidence: "high", owasp: ["MCP01"] });
  });

  test("TS positive: every incoming header copied (medium confidence)", async () => {
    const f = (await run({ "src/index.ts": `app.get("/p", async (req, res) => { const r = await fetch(API, { method: "GET", headers: req.headers }); });` })).find((x) => x.ruleId === "MCPW-NET-005");
    expect(f).toMatchObject({ confidence: "medium" });
  });

  test.each([
    ["own API key", `async function h(req) { const user = req.headers.authorization; check(user); return fetch(API, { headers: { Authorization: \`Bearer \${process.env.API_KEY}\` } }); }`],
    ["token exchange", `async function h(req) { const t = req.headers.authorization; const up = await exchangeToken(t); return fetch(API, { headers: { Authorization: \`Bearer \${up}\` } }); }`],
    ["logging headers", `app.use((req, res, next) => { logger.info({ headers: req.headers }); next(); });`],
    ["echo to the response", `app.use((req, res) => { res.set({ Authorization: req.headers.authorization }); });`],
  ])("TS negative: %s", async (_n, code) => {
    expect(await ids({ "src/index.ts": code })).not.toContain("MCPW-NET-005");
  });

  test.each([
    ["request.headers.get", `async def h(request):\n    token = request.headers.get("Authorization")\n    async with httpx.AsyncClient() as c:\n        return await c.get(API, headers={"Authorization": token})`],
    ["fastmcp get_http_headers", `@mcp.tool()\nasync def t():\n    headers = get_http_headers()\n    auth = headers.get("authorization")\n    return requests.get(API, headers={"Authorization": auth}).json()`],
    ["subscript assignment", `def h(request):\n    out = {}\n    out["Authorization"] = request.headers["authorization"]\n    return requests.get(API, headers=out)`],
    ["all headers", `async def h(request):\n    return await client.get(API, headers=dict(request.headers))`],
  ])("Python positive: %s", async (_n, code) => {
    expect(await ids({ "server.py": code })).toContain("MCPW-NET-005");
  });

  test("Python negative: own key", async () => {
    const code = `async def h(request):\n    user = request.headers.get("Authorization")\n    verify(user)\n    return await client.get(API, headers={"Authorization": f"Bearer {os.environ['API_KEY']}"})`;
    expect(await ids({ "server.py": code })).not.toContain("MCPW-NET-005");
  });

  test.each([
    ["direct", `package main\nfunc h(w http.ResponseWriter, r *http.Request) {\n\treq, _ := http.NewRequest("GET", api, nil)\n\treq.Header.Set("Authorization", r.Header.Get("Authorization"))\n}`],
    ["via a local", `package main\nfunc h(w http.ResponseWriter, r *http.Request) {\n\ttok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")\n\treq, _ := http.NewRequest("GET", api, nil)\n\treq.Header.Add("Authorization", "Bearer "+tok)\n}`],
    ["all headers", `package main\nfunc h(w http.ResponseWriter, r *http.Request) {\n\treq, _ := http.NewRequest("GET", api, nil)\n\treq.Header = r.Header.Clone()\n}`],
  ])("Go positive: %s", async (_n, code) => {
    expect(await ids({ "main.go": code })).toContain("MCPW-NET-005");
  });

  test("Go negative: own key", async () => {
    const code = `package main\nfunc h(w http.ResponseWriter, r *http.Request) {\n\tif r.Header.Get("Authorization") == "" { return }\n\treq, _ := http.NewRequest("GET", api, nil)\n\treq.Header.Set("Authorization", "Bearer "+os.Getenv("API_KEY"))\n}`;
    expect(await ids({ "main.go": code })).not.toContain("MCPW-NET-005");
  });
});

describe("MCPW-TLS-001 TLS verification disabled", () => {
  test.each([
    ["src/client.ts", `const agent = new https.Agent({ rejectUnauthorized: false });`, "high"],
    ["src/client.ts", `process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";`, "high"],
    ["scripts/seed.ts", `const agent = new https.Agent({ rejectUnauthorized: false });`, "medium"],
    ["client.py", `r = requests.get(url, verify=False)`, "high"],
    ["client.py", `async with httpx.AsyncClient(verify=False) as c:\n    pass`, "high"],
    ["client.py", `ctx = ssl._create_unverified_context()`, "high"],
    ["client.py", `ctx = ssl.create_default_context()\nctx.check_hostname = False\nctx.verify_mode = ssl.CERT_NONE`, "high"],
    ["client.py", `conn = aiohttp.TCPConnector(ssl=False)`, "high"],
    ["main.go", `package main\nvar c = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}`, "high"],
  ])("positive %s: %s", async (path, code, severity) => {
    const f = (await run({ [path]: code })).filter((x) => x.ruleId === "MCPW-TLS-001");
    expect(f.length).toBeGreaterThan(0);
    expect(f[0]).toMatchObject({ severity, category: "tls-verification-disabled", cwe: ["CWE-295"] });
  });

  test.each([
    ["src/client.ts", `const agent = new https.Agent({ rejectUnauthorized: true, ca });`],
    ["src/client.ts", `const strict = process.env.NODE_TLS_REJECT_UNAUTHORIZED === "0";`],
    ["src/client.test.ts", `const agent = new https.Agent({ rejectUnauthorized: false });`],
    ["client.py", `r = requests.get(url, verify=True)\nr = requests.get(url, verify=ca_path)`],
    ["client.py", `if ctx.verify_mode == ssl.CERT_NONE:\n    raise RuntimeError("insecure")`],
    ["tests/test_client.py", `r = requests.get(url, verify=False)`],
    ["main.go", `package main\nvar c = &tls.Config{InsecureSkipVerify: false, MinVersion: tls.VersionTLS12}`],
    ["client_test.go", `package main\nvar c = &tls.Config{InsecureSkipVerify: true}`],
  ])("negative %s: %s", async (path, code) => {
    expect(await ids({ [path]: code })).not.toContain("MCPW-TLS-001");
  });
});

describe("MCPW-JWT-001 JWT verification disabled", () => {
  test.each([
    ["auth.ts", `import jwt from "jsonwebtoken";\nexport function user(req) { const claims = jwt.decode(req.token); return claims.sub; }`],
    ["auth.ts", `import jwt from "jsonwebtoken";\nexport function user(t) { return jwt.verify(t, key, { algorithms: ["HS256", "none"] }); }`],
    ["auth.ts", `import { decodeJwt } from "jose";\nexport function isAdmin(t) { return decodeJwt(t).role === "admin"; }`],
    ["auth.py", `import jwt\ndef user(token):\n    return jwt.decode(token, options={"verify_signature": False})["sub"]`],
    ["auth.py", `import jwt\ndef user(token):\n    return jwt.decode(token, KEY, algorithms=["none"])`],
    ["auth.go", `package main\nfunc user(s string) { t, _, _ := jwt.NewParser().ParseUnverified(s, jwt.MapClaims{}) }`],
    ["auth.go", `package main\nfunc user(s string) { jwt.Parse(s, func(t *jwt.Token) (interface{}, error) { return secret, nil }) }`],
  ])("positive %s: %s", async (path, code) => {
    const f = (await run({ [`src/${path}`]: code })).find((x) => x.ruleId === "MCPW-JWT-001");
    expect(f).toMatchObject({ severity: "high", category: "misconfiguration", cwe: ["CWE-347"] });
  });

  test.each([
    ["auth.ts", `import jwt from "jsonwebtoken";\nexport function user(token) { const { header } = jwt.decode(token, { complete: true }); const key = keys[header.kid]; return jwt.verify(token, key, { algorithms: ["RS256"] }); }`],
    ["auth.ts", `import jwt from "jsonwebtoken";\nexport function user(t) { return jwt.verify(t, key, { algorithms: ["RS256"] }); }`],
    ["auth.ts", `import { jwtVerify } from "jose";\nexport async function user(t) { const { payload } = await jwtVerify(t, JWKS); return payload; }`],
    ["auth.py", `import jwt\ndef user(token):\n    kid = jwt.decode(token, options={"verify_signature": False})["kid"]\n    return jwt.decode(token, keys[kid], algorithms=["RS256"], audience=AUD)`],
    ["auth.py", `import jwt\ndef user(token):\n    return jwt.decode(token, KEY, algorithms=["HS256"])`],
    ["auth.go", `package main\nfunc user(s string) { jwt.Parse(s, func(t *jwt.Token) (interface{}, error) { if _, ok := t.Method.(*jwt.SigningMethodRSA); !ok { return nil, errAlg }; return pub, nil }) }`],
    ["auth.go", `package main\nfunc user(s string) { jwt.Parse(s, keyFunc, jwt.WithValidMethods([]string{"RS256"})) }\nfunc keyFunc(t *jwt.Token) (interface{}, error) { return pub, nil }`],
    ["auth.test.ts", `import jwt from "jsonwebtoken";\ntest("x", () => { expect(jwt.decode(tok).sub).toBe("u"); });`],
  ])("negative %s: %s", async (path, code) => {
    expect(await ids({ [`src/${path}`]: code })).not.toContain("MCPW-JWT-001");
  });
});

describe("rule metadata", () => {
  test("every rule is fully documented and every emitted id is listed", async () => {
    for (const rule of transport.rules) {
      for (const key of ["title", "category", "severity", "looksFor", "ignores", "remediation"] as const) expect(rule[key]).toBeTruthy();
      expect(CATEGORIES).toContain(rule.category);
    }
    const listed = new Set(transport.rules.map((r) => r.id));
    const findings = await run({
      "src/index.ts": `import cors from "cors";\nconst transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableDnsRebindingProtection: false });\napp.use(cors());\napp.post("/mcp", (req, res) => transport.handleRequest(req, res));\napp.listen(3000);\nasync function p(req) { return fetch(API, { headers: { Authorization: req.headers.authorization } }); }\nconst a = new https.Agent({ rejectUnauthorized: false });\nconst c = jwt.decode(tok);`,
    });
    const emitted = new Set(findings.map((f) => f.ruleId));
    expect([...emitted].sort()).toEqual([...listed].sort());
    for (const f of findings) {
      expect(f.key).not.toMatch(/\b\d+:\d+\b/);
      expect(f.remediation.length).toBeGreaterThan(20);
    }
  });
});

describe("end to end", () => {
  test("fixture server scanned with scanSnapshot", async () => {
    const result = await scanSnapshot(snapshotOfDir(join(FIXTURES, "transport")), { config: { raw: {} } });
    const found = result.findings.filter((f) => /^MCPW-(NET|TLS|JWT)-/.test(f.ruleId)).map((f) => `${f.ruleId} ${f.path}:${f.line}`).sort();
    expect(found).toEqual([
      "MCPW-JWT-001 src/auth.ts:6",
      "MCPW-NET-001 src/index.ts:31",
      "MCPW-NET-003 src/index.ts:8",
      "MCPW-NET-004 src/index.ts:11",
      "MCPW-NET-005 src/upstream.ts:6",
      "MCPW-TLS-001 src/upstream.ts:3",
    ]);
  });
});
