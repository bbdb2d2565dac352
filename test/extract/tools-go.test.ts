import { toolsOf } from "./helpers.js";

describe("Go: mcp-go", () => {
  it("NewTool with options, a constant description, and handlers by variable and inline", async () => {
    const tools = await toolsOf("mcpgo_server.go");
    expect([...tools.keys()]).toEqual(["calculate", "hello"]);
    const calc = tools.get("calculate")!;
    expect(calc.api).toBe("mcp-go.NewTool");
    expect(calc.description!.value).toBe("Perform basic arithmetic");
    expect(calc.title!.value).toBe("Calculator");
    expect(calc.annotations).toEqual({ readOnlyHint: true });
    expect(calc.params).toEqual([
      expect.objectContaining({ name: "operation", type: "string", required: true }),
      expect.objectContaining({ name: "x", type: "number", required: false }),
    ]);
    expect(calc.params[0]!.description!.value).toBe("The operation\tto perform");
    expect(calc.handler).toEqual({ span: { path: "mcpgo_server.go", line: 32, endLine: 34 }, params: ["request"] });
    expect(tools.get("hello")!.handler).toEqual({ span: { path: "mcpgo_server.go", line: 27, endLine: 29 }, params: ["req"] });
  });
});

describe("Go: official go-sdk", () => {
  it("mcp.AddTool(server, &mcp.Tool{...}, handler) with parameters from the input struct tags", async () => {
    const tools = await toolsOf("gosdk_server.go");
    const t = tools.get("greet")!;
    expect(t.api).toBe("go-sdk.Tool");
    expect(t.description!.value).toBe("say hi");
    expect(t.annotations).toEqual({ readOnlyHint: true });
    expect(t.params).toEqual([
      expect.objectContaining({ name: "name", type: "string", required: true }),
      { name: "polite", type: "bool", required: false },
    ]);
    expect(t.params[0]!.description!.value).toBe("the name of the person to greet");
    expect(t.handler!.params).toEqual(["req", "input"]);
  });
});
