import { languageOf, parseSource } from "../../lib/extract/parser.js";
import { extractTransportFacts, type TransportFact } from "../../lib/extract/transport.js";
import type { SourceLanguage } from "../../lib/extract/types.js";

async function factsOf(path: string, code: string): Promise<TransportFact[]> {
  const lang = languageOf(path) as SourceLanguage;
  const tree = await parseSource(lang, code);
  if (!tree) throw new Error("parse failed");
  try {
    return extractTransportFacts(tree.rootNode, lang, path, code);
  } finally {
    tree.delete();
  }
}

const kinds = (facts: TransportFact[]) => facts.map((f) => f.kind).sort();

describe("transport facts: TypeScript", () => {
  test("transport options: DNS rebinding, allowed hosts, stateless, shared", async () => {
    const facts = await factsOf(
      "src/server.ts",
      `import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableDnsRebindingProtection: false });
app.post("/mcp", async (req, res) => { await transport.handleRequest(req, res, req.body); });
app.listen(3000, "127.0.0.1");`,
    );
    const http = facts.find((f) => f.kind === "mcp-http");
    expect(http).toMatchObject({ api: "StreamableHTTPServerTransport", dnsRebinding: "disabled", stateless: true, sharedAcrossRequests: true, variable: "transport" });
    expect(facts.find((f) => f.kind === "listen")).toMatchObject({ host: "127.0.0.1", hostClass: "local" });
  });

  test("options through a constant, transport created per request", async () => {
    const facts = await factsOf(
      "src/server.ts",
      `const opts = { sessionIdGenerator: undefined, enableDnsRebindingProtection: true, allowedHosts: ["127.0.0.1:3000"] };
app.post("/mcp", async (req, res) => { const transport = new StreamableHTTPServerTransport(opts); await transport.handleRequest(req, res); });`,
    );
    expect(facts.find((f) => f.kind === "mcp-http")).toMatchObject({ dnsRebinding: "enabled", allowedHosts: true, stateless: true, sharedAcrossRequests: false });
  });

  test("listen hosts: none, constant, env fallback, object form, unix socket", async () => {
    const facts = await factsOf(
      "src/a.ts",
      `const HOST = "0.0.0.0";
app.listen(3000);
app.listen(3000, () => console.log("up"));
server.listen(PORT, HOST);
app.listen(3000, process.env.HOST ?? "0.0.0.0");
app.listen(3000, process.env.HOST);
httpServer.listen({ port: 3000, host: "localhost" });
server.listen("/tmp/mcp.sock");`,
    );
    const listens = facts.filter((f) => f.kind === "listen").map((f) => f.kind === "listen" && [f.host, f.hostClass, f.fromFallback]);
    expect(listens).toEqual([
      [null, "all", false],
      [null, "all", false],
      ["0.0.0.0", "all", false],
      ["0.0.0.0", "all", true],
      [null, "unknown", false],
      ["localhost", "local", false],
    ]);
  });

  test("auth, host checks, CORS, TLS, JWT", async () => {
    const facts = await factsOf(
      "src/b.ts",
      `import cors from "cors";
import jwt from "jsonwebtoken";
app.use(cors());
app.use(cors({ origin: ["https://a.example"] }));
app.post("/mcp", requireBearerAuth({ verifier }), handler);
app.use(localhostHostValidation());
const agent = new https.Agent({ rejectUnauthorized: false });
process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
function who(token) { return jwt.decode(token); }
function ok(token) { const c = jwt.decode(token); jwt.verify(token, KEY); return c; }`,
    );
    expect(kinds(facts)).toEqual(["auth", "cors-any", "host-check", "jwt-unverified", "jwt-unverified", "jwt-verify", "tls-disabled", "tls-disabled"]);
  });

  test("token forwarding: through a local, via a trimmed token, not after exchange", async () => {
    const facts = await factsOf(
      "src/c.ts",
      `async function a(req) { const auth = req.headers.authorization; return fetch(URL, { headers: { Authorization: auth } }); }
async function b(req) { const token = req.headers["authorization"]?.split(" ")[1]; return fetch(URL, { headers: { authorization: \`Bearer \${token}\` } }); }
async function c(req) { const token = req.get("Authorization"); const up = await exchange(token); return fetch(URL, { headers: { Authorization: \`Bearer \${up}\` } }); }
async function d(req) { return fetch(URL, { headers: req.headers }); }`,
    );
    expect(facts.filter((f) => f.kind === "token-forward").map((f) => f.span.line).sort()).toEqual([1, 2, 4]);
  });

  test("hostile input does not throw", async () => {
    const deep = "(".repeat(3000) + "1" + ")".repeat(3000);
    await expect(factsOf("src/d.ts", `app.listen(${deep}); const x = {{{{ ; new StreamableHTTPServerTransport(`)).resolves.toBeDefined();
  });
});

describe("transport facts: Python", () => {
  test("FastMCP run, uvicorn, TransportSecuritySettings, CORS, auth", async () => {
    const facts = await factsOf(
      "server.py",
      `import os, uvicorn
mcp = FastMCP("x", auth=provider)
mcp.run(transport="streamable-http", host="0.0.0.0")
uvicorn.run(app, host=os.getenv("HOST", "0.0.0.0"))
uvicorn.run(app)
sec = TransportSecuritySettings(enable_dns_rebinding_protection=False)
app.add_middleware(CORSMiddleware, allow_origins=["*"])`,
    );
    expect(kinds(facts)).toEqual(["auth", "cors-any", "dns-rebinding-disabled", "listen", "listen", "listen", "mcp-http"]);
    const listens = facts.filter((f) => f.kind === "listen").map((f) => f.kind === "listen" && [f.host, f.hostClass, f.fromFallback]);
    expect(listens).toEqual([["0.0.0.0", "all", false], ["0.0.0.0", "all", true], [null, "local", false]]);
  });

  test("TLS and JWT", async () => {
    const facts = await factsOf(
      "client.py",
      `import requests, ssl, jwt
requests.get(url, verify=False)
requests.get(url, verify=True)
requests.get(url, verify=CA_PATH)
ctx = ssl._create_unverified_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
if ctx.verify_mode == ssl.CERT_NONE: pass
claims = jwt.decode(token, options={"verify_signature": False})
claims = jwt.decode(token, KEY, algorithms=["HS256"])`,
    );
    expect(kinds(facts)).toEqual(["jwt-unverified", "jwt-verify", "tls-disabled", "tls-disabled", "tls-disabled", "tls-disabled"]);
  });

  test("token forwarding from request.headers", async () => {
    const facts = await factsOf(
      "proxy.py",
      `async def call(request):
    auth = request.headers.get("authorization")
    return httpx.get(URL, headers={"Authorization": auth})
async def own(request):
    return httpx.get(URL, headers={"Authorization": f"Bearer {os.environ['KEY']}"})`,
    );
    expect(facts.filter((f) => f.kind === "token-forward").map((f) => f.span.line)).toEqual([3]);
  });
});

describe("transport facts: Go", () => {
  test("listen addresses, mcp-go server, TLS, CORS, token forwarding, JWT", async () => {
    const facts = await factsOf(
      "main.go",
      `package main
func main() {
	srv := server.NewStreamableHTTPServer(s)
	http.ListenAndServe(":8080", srv)
	http.ListenAndServe("127.0.0.1:8080", srv)
	http.ListenAndServe(":"+port, srv)
	c := &tls.Config{InsecureSkipVerify: true}
}
func h(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	out, _ := http.NewRequest("GET", u, nil)
	out.Header.Set("Authorization", r.Header.Get("Authorization"))
}
func p(s string) { jwt.Parse(s, func(t *jwt.Token) (interface{}, error) { return key, nil }) }
func q(s string) { jwt.Parse(s, func(t *jwt.Token) (interface{}, error) { if _, ok := t.Method.(*jwt.SigningMethodHMAC); !ok { return nil, errBad }; return key, nil }) }`,
    );
    const listens = facts.filter((f) => f.kind === "listen").map((f) => f.kind === "listen" && [f.host, f.hostClass]);
    expect(listens).toEqual([["", "all"], ["127.0.0.1", "local"], ["", "all"]]);
    expect(kinds(facts)).toEqual(["cors-any", "jwt-unverified", "jwt-verify", "listen", "listen", "listen", "mcp-http", "tls-disabled", "token-forward"]);
  });
});

describe("transport facts: size", () => {
  test("a large generated file stays fast", async () => {
    const block = (i: number) => `async function h${i}(req, res) { const a${i} = req.headers.authorization; const t = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined }); await fetch(U, { headers: { Authorization: a${i} } }); app.listen(${i}); }\n`;
    const code = Array.from({ length: 1500 }, (_, i) => block(i)).join("");
    const started = Date.now();
    const facts = await factsOf("src/big.js", code);
    expect(facts.filter((f) => f.kind === "token-forward")).toHaveLength(1500);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test.each([
    ["src/deep.ts", (n: number) => `server.tool("x", "d", async (a) => exec(${"a.b + ".repeat(n)}"c"));`],
    ["src/deep.py", (n: number) => `def h(a):\n    return ${"a.get('b') + ".repeat(n)}"c"\n`],
    ["src/deep.go", (n: number) => `package main\nfunc h(a A) string { return ${"a.Get(\"b\") + ".repeat(n)}"c" }\n`],
  ])("a deeply nested expression of ordinary property reads stays fast: %s", async (path, code) => {
    const started = Date.now();
    await factsOf(path, code(10_000));
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe("transport facts: Host/Origin validation by hand", () => {
  test.each([
    ["a.ts", `app.use((req, res, next) => { if (!ALLOWED.includes(req.headers.origin)) return res.sendStatus(403); next(); });`],
    ["a.py", `async def check(request, call_next):\n    if request.headers.get("host") not in ALLOWED_HOSTS:\n        return Response(status_code=403)\n    return await call_next(request)`],
    ["a.go", `package main\nfunc check(w http.ResponseWriter, r *http.Request) {\n\tif !allowed[r.Header.Get("Origin")] { http.Error(w, "forbidden", http.StatusForbidden) }\n}`],
  ])("%s", async (path, code) => {
    expect(kinds(await factsOf(path, code))).toContain("host-check");
  });

  test("reading the Origin header only to log it is not validation", async () => {
    expect(kinds(await factsOf("b.ts", `app.use((req, res, next) => { log(req.headers.origin); next(); });`))).not.toContain("host-check");
  });
});

describe("transport facts: bad input", () => {
  test.each([
    ["deep.py", `x = ${"[".repeat(2000)}1${"]".repeat(2000)}\nmcp.run(transport="sse", host=${"(".repeat(500)}"0.0.0.0"${")".repeat(500)})`],
    ["broken.py", `def f(request:\n    requests.get(u, verify=False\nTransportSecuritySettings(enable_dns_rebinding_protection=False`],
    ["deep.go", `package main\nfunc main() { http.ListenAndServe(${"(".repeat(1000)}":80"${")".repeat(1000)}, nil) }`],
    ["broken.go", `package main\nfunc h(w http.ResponseWriter, r *http.Request) { req.Header.Set("Authorization", r.Header.Get("Authorization")`],
    ["cycle.ts", `const a = b; const b = a; app.listen(3000, a); const o = p; const p = o; new StreamableHTTPServerTransport(o); cors(o);`],
    ["junk.js", "\u0000\u0001\uFFFD".repeat(2000)],
  ])("%s gives facts or nothing, never an exception", async (path, code) => {
    await expect(factsOf(path, code)).resolves.toBeInstanceOf(Array);
  });
});
