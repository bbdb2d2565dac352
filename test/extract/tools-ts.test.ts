import { toolsIn, toolsOf } from "./helpers.js";

describe("TS official SDK: server.tool overloads", () => {
  let tools: Awaited<ReturnType<typeof toolsOf>>;
  beforeAll(async () => {
    tools = await toolsOf("ts-sdk-tool.ts");
  });

  it("finds every registration and nothing else", () => {
    expect([...tools.keys()].sort()).toEqual(
      ["add", "delete_file", "dyn", "dyn2", "echo", "fetch", "list", "ping", "read_file", "search", "stat"].sort(),
    );
  });

  it("(name, handler)", () => {
    const t = tools.get("ping")!;
    expect(t.api).toBe("ts-sdk.tool");
    expect(t.description).toBeUndefined();
    expect(t.params).toEqual([]);
    expect(t.span.line).toBe(12);
  });

  it("(name, description, handler)", () => {
    expect(tools.get("echo")!.description).toMatchObject({ value: "Echoes the input back.", dynamic: false });
  });

  it("(name, paramsSchema, handler) with optional()", () => {
    const t = tools.get("add")!;
    expect(t.description).toBeUndefined();
    expect(t.params).toEqual([
      { name: "a", type: "number", required: true },
      { name: "b", type: "number", required: false },
    ]);
    expect(t.handler?.params).toEqual(["a", "b"]);
  });

  it("(name, description, paramsSchema, handler): constants, template literals, escapes, chains in any order", () => {
    const t = tools.get("read_file")!;
    expect(t.description).toMatchObject({ value: "Reads a file from disk.", dynamic: false });
    // The span points at the constant, where the text is written.
    expect(t.description!.span.line).toBe(7);
    const [path, encoding, limit] = t.params;
    expect(path).toMatchObject({ name: "path", type: "string", required: true });
    expect(path!.description!.value).toBe("Absolute path\u200b to the file");
    expect(path!.description!.source).toBe('"Absolute path\\u200b to the file"');
    expect(encoding).toMatchObject({ name: "encoding", required: false });
    expect(encoding!.description!.value).toBe("Encoding");
    expect(limit).toMatchObject({ name: "limit", type: "number", required: false });
    expect(limit!.description!.value).toBe("Max bytes");
    // destructuring with renames: local binding names
    expect(t.handler).toEqual({ span: { path: "ts-sdk-tool.ts", line: 29, endLine: 32 }, params: ["path", "enc"] });
    expect(t.span).toEqual({ path: "ts-sdk-tool.ts", line: 21, endLine: 33 });
  });

  it("(name, description, paramsSchema, annotations, handler)", () => {
    const t = tools.get("delete_file")!;
    expect(t.description!.value).toBe("Deletes a file.");
    expect(t.annotations).toEqual({ destructiveHint: true, readOnlyHint: false });
    expect(t.title!.value).toBe("Delete");
    expect(t.handler!.params).toEqual(["args"]);
  });

  it("(name, paramsSchema, annotations, handler)", () => {
    const t = tools.get("list")!;
    expect(t.description).toBeUndefined();
    expect(t.params.map((p) => p.name)).toEqual(["dir"]);
    expect(t.annotations).toEqual({ readOnlyHint: true });
  });

  it("marks run-time descriptions dynamic instead of guessing", () => {
    expect(tools.get("dyn")!.description).toMatchObject({ value: "Counter is ${counter} now", dynamic: true });
    expect(tools.get("dyn2")!.description!.dynamic).toBe(true);
  });

  it("follows a handler passed by name to its declaration", () => {
    const t = tools.get("stat")!;
    expect(t.handler).toEqual({ span: { path: "ts-sdk-tool.ts", line: 51, endLine: 53 }, params: ["path"] });
  });

  it("registerTool with title, description (.join), inputSchema, annotations", () => {
    const t = tools.get("search")!;
    expect(t.api).toBe("ts-sdk.registerTool");
    expect(t.title!.value).toBe("Search");
    expect(t.description!.value).toBe("Searches the index. Returns matches.");
    expect(t.params).toEqual([
      expect.objectContaining({ name: "query", type: "string", required: true }),
      { name: "max", type: "number", required: false },
    ]);
    expect(t.annotations).toEqual({ readOnlyHint: true, openWorldHint: false });
    expect(t.handler!.params).toEqual(["query", "max"]);
  });

  it("registerTool with z.object(...).shape and .trim()", () => {
    const t = tools.get("fetch")!;
    expect(t.description!.value).toBe("Fetches a URL.");
    expect(t.params[0]).toMatchObject({ name: "url", type: "string", required: true });
    expect(t.params[0]!.description!.value).toBe("URL to fetch");
  });
});

describe("TS: shapes that are not tool registrations", () => {
  it("ignores .tool/.addTool/.registerTool calls of other shapes", async () => {
    expect(await toolsOf("negatives.ts")).toEqual(new Map());
  });
});

describe("TS low-level server", () => {
  it("reads the ListTools array (inline objects, enums, constants, zodToJsonSchema) and maps CallTool branches", async () => {
    const tools = await toolsOf("lowlevel.ts");
    expect([...tools.keys()]).toEqual(["echo", "run", "read"]);
    const read = tools.get("read")!;
    expect(read.api).toBe("ts-sdk.listTools");
    expect(read.description!.value).toBe("Reads a file. \u{1F600}");
    expect(read.params).toEqual([
      expect.objectContaining({ name: "path", type: "string", required: true }),
      { name: "offset", type: "number", required: false },
    ]);
    expect(read.params[0]!.description!.value).toBe("Path of the file");
    expect(tools.get("run")!.params).toEqual([expect.objectContaining({ name: "cmd", type: "string", required: true })]);
    // handlers: the switch case / if branch in the CallTool handler
    expect(tools.get("run")!.handler!.span).toEqual({ path: "lowlevel.ts", line: 42, endLine: 45 });
    expect(tools.get("echo")!.handler!.span.line).toBe(40);
    expect(tools.get("read")!.handler!.span.line).toBe(47);
  });
});

describe("fastmcp (TS) and mcp-framework", () => {
  it("addTool({ name, description, parameters: z.object, execute })", async () => {
    const tools = await toolsOf("fastmcp.ts");
    const t = tools.get("download")!;
    expect(t.api).toBe("fastmcp.addTool");
    expect(t.description!.value).toBe("Downloads a file");
    expect(t.title!.value).toBe("Download");
    expect(t.params).toEqual([
      expect.objectContaining({ name: "url", type: "string", required: true }),
      { name: "retries", type: "number", required: false },
    ]);
    expect(t.annotations).toEqual({ readOnlyHint: false });
    expect(t.handler).toEqual({ span: { path: "fastmcp.ts", line: 14, endLine: 16 }, params: ["url", "retries"] });
    // execute written as a method
    expect(tools.get("noop")!.handler!.params).toEqual(["args"]);
  });

  it("class extends MCPTool with name, description, schema and execute", async () => {
    const tools = await toolsOf("mcp-framework.ts");
    expect([...tools.keys()]).toEqual(["example_tool"]);
    const t = tools.get("example_tool")!;
    expect(t.api).toBe("mcp-framework.MCPTool");
    expect(t.description!.value).toBe("An example tool that processes messages");
    expect(t.params).toEqual([
      expect.objectContaining({ name: "message", type: "string", required: true }),
      expect.objectContaining({ name: "count", type: "number", required: false }),
    ]);
    expect(t.params[1]!.description!.value).toBe("How many times");
    expect(t.handler!.params).toEqual(["message"]);
  });
});

describe("JavaScript", () => {
  it("CommonJS server with single-quoted escapes and a function expression handler", async () => {
    const tools = await toolsOf("server.js");
    const t = tools.get("greet")!;
    expect(t.description!.value).toBe("Greets\tsomeone 'nicely'");
    expect(t.description!.source).toBe("'Greets\\tsomeone \\'nicely\\''");
    expect(t.handler!.params).toEqual(["name"]);
  });

  it("TSX files parse with the TSX grammar", async () => {
    const tools = await toolsIn("tool.tsx", `server.tool("x", "Shows <b>bold</b>", async () => ({ content: [] }));`);
    expect(tools.map((t) => t.description?.value)).toEqual(["Shows <b>bold</b>"]);
  });

  it("the receiver name does not matter", async () => {
    const src = `class S { constructor() { this.server.tool("a", "A", async () => 1); } }\nmcp.tool("b", async () => 1);`;
    expect((await toolsIn("s.ts", src)).map((t) => t.name)).toEqual(["a", "b"]);
  });

  it("a reassigned let is not a constant; a shadowing parameter is not the outer constant", async () => {
    const src = [
      `let d = "first";`,
      `d = "second";`,
      `server.tool("a", d, async () => 1);`,
      `const NAME = "outer";`,
      `function register(server, NAME) { server.tool("b", NAME, async () => 1); }`,
    ].join("\n");
    const tools = await toolsIn("s.ts", src);
    expect(tools.map((t) => [t.name, t.description?.dynamic])).toEqual([
      ["a", true],
      ["b", true],
    ]);
  });
});
