import { toolsIn, toolsOf } from "./helpers.js";

describe("Python FastMCP decorators", () => {
  let tools: Awaited<ReturnType<typeof toolsOf>>;
  beforeAll(async () => {
    tools = await toolsOf("fastmcp_server.py");
  });

  it("finds decorated tools only", () => {
    expect([...tools.keys()]).toEqual(["read_file", "search", "remove", "run", "dynamic_one", "escaped"]);
  });

  it("@mcp.tool(): name from the function, description from the cleaned docstring, defaults not required", () => {
    const t = tools.get("read_file")!;
    expect(t.api).toBe("py-fastmcp.tool");
    expect(t.description!.value).toBe("Read a file.\n\nReturns the content as text.");
    expect(t.params).toEqual([
      { name: "path", type: "str", required: true },
      { name: "encoding", type: "str", required: false },
    ]);
    expect(t.handler).toEqual({ span: { path: "fastmcp_server.py", line: 16, endLine: 21 }, params: ["path", "encoding"] });
    expect(t.span.line).toBe(15);
  });

  it("@mcp.tool without call; ctx: Context skipped; Annotated[..., Field(description)] and = Field(default=...)", () => {
    const t = tools.get("search")!;
    expect(t.description!.value).toBe("Search the index.  ");
    expect(t.params).toEqual([
      expect.objectContaining({ name: "query", type: "str", required: true }),
      expect.objectContaining({ name: "limit", type: "int", required: false }),
    ]);
    expect(t.params[0]!.description!.value).toBe("What to look for");
    expect(t.params[1]!.description!.value).toBe("Max results");
    expect(t.handler!.params).toEqual(["query", "limit"]);
  });

  it("name= and description= override; module constants with implicit concatenation; self skipped; Field without default is required", () => {
    const t = tools.get("remove")!;
    expect(t.description).toMatchObject({ value: "Reads a file from disk.", dynamic: false });
    expect(t.params).toEqual([expect.objectContaining({ name: "target", type: "str", required: true })]);
    expect(t.params[0]!.description!.value).toBe("Path to delete");
  });

  it("@server.tool with textwrap.dedent; *args/**kwargs are not parameters", () => {
    const t = tools.get("run")!;
    expect(t.description!.value).toBe("\nRuns a query.\n  Indented line.\n");
    expect(t.params.map((p) => p.name)).toEqual(["sql"]);
    expect(t.handler!.params).toEqual(["sql", "args", "kwargs"]);
  });

  it("f-strings over a constant assigned twice are dynamic", () => {
    expect(tools.get("dynamic_one")!.description).toMatchObject({ value: "Uses ${MUTABLE} mode", dynamic: true });
  });

  it("decodes \\u and \\N{...} escapes, keeps the raw source", () => {
    const d = tools.get("escaped")!.description!;
    expect(d.value).toBe("zero\u200bwidth \u202e");
    expect(d.source).toBe('"zero\\u200bwidth \\N{RIGHT-TO-LEFT OVERRIDE}"');
  });

  it("raw strings are not decoded; positional name argument is honoured", async () => {
    const src = `@mcp.tool("named")\ndef f():\n    r"""Path C:\\new\\u200b"""\n`;
    const [t] = await toolsIn("r.py", src);
    expect(t!.name).toBe("named");
    expect(t!.description!.value).toBe("Path C:\\new\\u200b");
  });
});

describe("Python low-level server", () => {
  it("reads types.Tool(...) from @server.list_tools() and maps call_tool branches", async () => {
    const tools = await toolsOf("lowlevel_server.py");
    expect([...tools.keys()]).toEqual(["run", "echo"]);
    const run = tools.get("run")!;
    expect(run.api).toBe("py-lowlevel.list_tools");
    expect(run.description!.value).toBe("Runs a command on the host.");
    expect(run.params).toEqual([
      expect.objectContaining({ name: "cmd", type: "string", required: true }),
      { name: "cwd", type: "string", required: false },
    ]);
    expect(run.params[0]!.description!.value).toBe("Command line");
    expect(tools.get("echo")!.description!.value).toBe("Echoes text");
    expect(run.handler).toEqual({ span: { path: "lowlevel_server.py", line: 35, endLine: 36 }, params: ["name", "arguments"] });
    expect(tools.get("echo")!.handler!.span.line).toBe(38);
  });
});
