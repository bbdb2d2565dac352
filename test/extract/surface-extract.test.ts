import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { extractFacts } from "../../lib/extract/index.js";
import type { FileFacts, PromptDefinition, ResourceDefinition } from "../../lib/extract/types.js";
import type { RepoSnapshot } from "../../lib/snapshot/types.js";

const SURFACE = join(process.cwd(), "test/fixtures/extract/surface");

function snapshot(files: Record<string, string>): RepoSnapshot {
  const map = new Map(Object.entries(files));
  return { files: map, notes: [], truncated: false, totalBytes: [...map.values()].reduce((n, s) => n + s.length, 0) };
}

/** Every file under a fixture folder, keyed by its path relative to that folder. */
function folder(name: string): Record<string, string> {
  const root = join(SURFACE, name);
  const out: Record<string, string> = {};
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) visit(full);
      else out[relative(root, full)] = readFileSync(full, "utf8");
    }
  };
  visit(root);
  return out;
}

async function factsOf(files: Record<string, string>): Promise<FileFacts[]> {
  return (await extractFacts(snapshot(files), [])).files;
}

async function surfaceOf(name: string) {
  const [file] = await factsOf({ [name]: readFileSync(join(SURFACE, name), "utf8") });
  const prompts = new Map((file!.prompts ?? []).map((p) => [p.name, p]));
  const resources = new Map((file!.resources ?? []).map((r) => [r.name, r]));
  return { file: file!, prompts, resources, instructions: file!.instructions ?? [] };
}

const summary = (p: PromptDefinition) => ({
  name: p.name,
  api: p.api,
  description: p.description?.value,
  args: p.args.map((a) => [a.name, a.required ?? null, a.description?.value ?? null]),
  handler: !!p.handler,
});

const resourceSummary = (r: ResourceDefinition) => ({
  name: r.name,
  api: r.api,
  uri: r.uri?.value,
  template: r.template,
  description: r.description?.value,
  mimeType: r.mimeType,
  handler: !!r.handler,
});

describe("TS/JS official SDK", () => {
  it("registerPrompt and every server.prompt overload", async () => {
    const { prompts } = await surfaceOf("ts-sdk.ts");
    expect([...prompts.keys()].sort()).toEqual(["greeting", "review-code", "summarise", "with-schema"]);
    expect(summary(prompts.get("review-code")!)).toEqual({
      name: "review-code",
      api: "ts-sdk.registerPrompt",
      description: "Review a piece of code for bugs and style.",
      args: [["code", true, "The code to review"], ["language", false, null]],
      handler: true,
    });
    expect(prompts.get("review-code")!.title?.value).toBe("Code review");
    expect(summary(prompts.get("summarise")!)).toMatchObject({ description: "Summarise a note in three sentences.", args: [["noteId", true, null]] });
    expect(prompts.get("greeting")!.description).toBeUndefined();
    expect(summary(prompts.get("with-schema")!)).toMatchObject({ description: undefined, args: [["topic", true, "Topic"]] });
  });

  it("registerResource and server.resource, with ResourceTemplate; look-alikes ignored", async () => {
    const { resources, file } = await surfaceOf("ts-sdk.ts");
    expect([...resources.keys()].sort()).toEqual(["config", "note", "readme", "user-profile"]);
    expect(resourceSummary(resources.get("config")!)).toEqual({
      name: "config",
      api: "ts-sdk.registerResource",
      uri: "config://app",
      template: false,
      description: "The application's configuration.",
      mimeType: "application/json",
      handler: true,
    });
    expect(resourceSummary(resources.get("note")!)).toMatchObject({ uri: "notes://{id}", template: true, description: "One note by id." });
    expect(resourceSummary(resources.get("readme")!)).toMatchObject({ api: "ts-sdk.resource", uri: "file:///README.md", template: false });
    expect(resourceSummary(resources.get("user-profile")!)).toMatchObject({ uri: "users://{userId}/profile", template: true, mimeType: "text/plain" });
    expect(file.prompts).toHaveLength(4); // inquirer.prompt / rl.prompt are not prompts
  });

  it("the instructions option, resolved through a constant, located at the literal", async () => {
    const { instructions } = await surfaceOf("ts-sdk.ts");
    expect(instructions).toHaveLength(1);
    expect(instructions[0]!).toMatchObject({ api: "ts-sdk.McpServer", text: { dynamic: false, span: { line: 4 } } });
    expect(instructions[0]!.text.value).toBe("Use the notes tools to manage the user's notes.\nAlways confirm before deleting a note.");
  });

  it("low-level list handlers and `new Server(..., { instructions })`", async () => {
    const { prompts, resources, instructions } = await surfaceOf("lowlevel.ts");
    expect(summary(prompts.get("explain")!)).toMatchObject({ api: "ts-sdk.listPrompts", description: "Explain a file.", args: [["path", true, "File to explain"]] });
    expect(resourceSummary(resources.get("readme")!)).toMatchObject({ api: "ts-sdk.listResources", uri: "file:///workspace/README.md", mimeType: "text/markdown" });
    expect(resourceSummary(resources.get("file")!)).toMatchObject({ api: "ts-sdk.listResourceTemplates", uri: "file:///workspace/{path}", template: true });
    expect(instructions.map((i) => [i.api, i.text.value])).toEqual([["ts-sdk.Server", "Files server. Paths are relative to the workspace."]]);
  });
});

describe("fastmcp (TypeScript)", () => {
  it("addPrompt, addResource, addResourceTemplate and FastMCP instructions", async () => {
    const { prompts, resources, instructions } = await surfaceOf("fastmcp.ts");
    expect(summary(prompts.get("git-commit")!)).toEqual({
      name: "git-commit",
      api: "fastmcp.addPrompt",
      description: "Generate a Git commit message",
      args: [["changes", true, "Git diff or description of changes"]],
      handler: true,
    });
    expect(resourceSummary(resources.get("Application Logs")!)).toMatchObject({ api: "fastmcp.addResource", uri: "file:///logs/app.log", template: false, handler: true });
    expect(resourceSummary(resources.get("Log file")!)).toMatchObject({ api: "fastmcp.addResourceTemplate", uri: "file:///logs/{name}.log", template: true, description: "A log file by name" });
    expect(instructions.map((i) => [i.api, i.text.value])).toEqual([["fastmcp.FastMCP", "Git helper. Run git_status before committing."]]);
  });
});

describe("mcp-framework", () => {
  it("MCPPrompt and MCPResource classes", async () => {
    const { prompts, resources } = await surfaceOf("mcp-framework.ts");
    expect(summary(prompts.get("greeting")!)).toEqual({
      name: "greeting",
      api: "mcp-framework.MCPPrompt",
      description: "Generate a greeting",
      args: [["name", true, "Name to greet"]],
      handler: true,
    });
    expect(resourceSummary(resources.get("Settings")!)).toMatchObject({ uri: "config://app/settings", mimeType: "application/json", description: "Application settings", handler: true });
  });
});

describe("Python", () => {
  it("FastMCP @mcp.prompt / @mcp.resource with docstrings and FastMCP(instructions=dedent(...))", async () => {
    const { prompts, resources, instructions } = await surfaceOf("server.py");
    expect(summary(prompts.get("forecast_prompt")!)).toEqual({
      name: "forecast_prompt",
      api: "py-fastmcp.prompt",
      description: "Ask for a forecast for a city.",
      args: [["city", true, null], ["days", false, null]],
      handler: true,
    });
    expect(summary(prompts.get("alerts")!)).toMatchObject({ description: "Summarise active weather alerts." });
    expect(prompts.get("bare")!.description?.value).toBe("A prompt without parentheses.");
    expect(resourceSummary(resources.get("current")!)).toMatchObject({ uri: "weather://{city}/current", template: true, description: "Current conditions for a city.", mimeType: "application/json" });
    expect(resourceSummary(resources.get("units")!)).toMatchObject({ uri: "config://units", template: false, description: "Unit settings." });
    expect(instructions.map((i) => [i.api, i.text.value])).toEqual([["py-fastmcp.FastMCP", "\nWeather server.\nTemperatures are in Celsius.\n"]]);
  });

  it("low-level list_prompts / list_resources / list_resource_templates and Server(instructions=)", async () => {
    const { prompts, resources, instructions } = await surfaceOf("lowlevel_server.py");
    expect(summary(prompts.get("simple")!)).toMatchObject({ api: "py-lowlevel.list_prompts", description: "A simple prompt", args: [["context", false, "Additional context"]] });
    expect(resourceSummary(resources.get("example")!)).toMatchObject({ uri: "file:///example.txt", mimeType: "text/plain", template: false });
    expect(resourceSummary(resources.get("text")!)).toMatchObject({ uri: "file:///{name}.txt", template: true });
    expect(instructions.map((i) => i.text.value)).toEqual(["Example low-level server."]);
  });
});

describe("Go", () => {
  it("mcp-go NewPrompt / NewResource / NewResourceTemplate with handlers, WithInstructions", async () => {
    const { prompts, resources, instructions } = await surfaceOf("mcpgo.go");
    expect(summary(prompts.get("greeting")!)).toEqual({
      name: "greeting",
      api: "mcp-go.NewPrompt",
      description: "A friendly greeting prompt",
      args: [["name", true, "Name of the person to greet"]],
      handler: true,
    });
    expect(resourceSummary(resources.get("README")!)).toMatchObject({ uri: "docs://readme", description: "The project README", mimeType: "text/markdown", handler: true });
    expect(resourceSummary(resources.get("User profile")!)).toMatchObject({ uri: "users://{id}/profile", template: true, handler: true });
    expect(instructions.map((i) => [i.api, i.text.value])).toEqual([["mcp-go.WithInstructions", "Demo server. Use greet for greetings."]]);
  });

  it("go-sdk &mcp.Prompt{} / &mcp.Resource{} / &mcp.ResourceTemplate{} and ServerOptions.Instructions", async () => {
    const { prompts, resources, instructions } = await surfaceOf("gosdk.go");
    expect(summary(prompts.get("greet")!)).toEqual({ name: "greet", api: "go-sdk.Prompt", description: "Greet someone", args: [["name", true, "Who to greet"]], handler: true });
    expect(resourceSummary(resources.get("info")!)).toMatchObject({ uri: "embedded:info", mimeType: "text/plain", handler: true });
    expect(resourceSummary(resources.get("file")!)).toMatchObject({ uri: "file:///{+path}", template: true });
    expect(instructions.map((i) => [i.api, i.text.value])).toEqual([["go-sdk.ServerOptions", "Greets people by name."]]);
  });
});

describe("constants imported from another file of the repository", () => {
  it("TS: named and renamed imports resolve; the span points at the other file; dynamic stays dynamic", async () => {
    const files = await factsOf(folder("multi-ts"));
    const index = files.find((f) => f.path === "src/index.ts")!;
    const search = index.tools.find((t) => t.name === "search")!;
    expect(search.description).toMatchObject({ value: "Search the knowledge base. Returns at most 10 results.", dynamic: false, span: { path: "src/descriptions.ts", line: 1 } });
    expect(index.tools.find((t) => t.name === "dynamic")!.description!.dynamic).toBe(true);
    expect(index.prompts![0]!.description!.value).toBe("Answer a question using the knowledge base.");
    expect(index.instructions![0]!.text).toMatchObject({ dynamic: false, span: { path: "src/descriptions.ts", line: 3 } });
  });

  it("Python: from .descriptions import X as Y", async () => {
    const files = await factsOf(folder("multi-py"));
    const server = files.find((f) => f.path === "weather/server.py")!;
    expect(server.tools[0]!.description).toMatchObject({ value: "Get the forecast for a city.\n\nReturns temperatures in Celsius.", dynamic: false, span: { path: "weather/descriptions.py" } });
    expect(server.instructions![0]!.text.value).toBe("Weather server. Data from the national weather service.");
  });

  it("Go: a constant of the same package declared in a sibling file", async () => {
    const files = await factsOf(folder("multi-go"));
    const main = files.find((f) => f.path === "main.go")!;
    expect(main.tools[0]!.description).toMatchObject({ value: "Say hello to someone by name.", dynamic: false, span: { path: "descriptions.go", line: 3 } });
    expect(main.instructions![0]!.text.value).toBe("Greeter server.");
  });

  it("an import of a file outside the snapshot, or a local parameter with the same name, stays dynamic", async () => {
    const files = await factsOf({
      "a.ts": `import { D } from "./missing.js";\nimport { E } from "./e.js";\nserver.tool("a", D, async () => 1);\nfunction f(E) { server.tool("b", E, async () => 1); }`,
      "e.ts": `export const E = "from e";`,
    });
    const a = files.find((f) => f.path === "a.ts")!;
    expect(a.tools.map((t) => [t.name, t.description?.dynamic])).toEqual([["a", true], ["b", true]]);
  });

  it("an import cycle terminates", async () => {
    const files = await factsOf({
      "a.ts": `import { B } from "./b.js";\nexport const A = B;\nserver.tool("a", A, async () => 1);`,
      "b.ts": `import { A } from "./a.js";\nexport const B = A;\nserver.tool("b", B, async () => 1);`,
    });
    expect(files.flatMap((f) => f.tools.map((t) => t.description?.dynamic))).toEqual([true, true]);
  });
});

describe("bad input", () => {
  it("syntax errors and junk give problems or nothing, never a throw", async () => {
    const files = await factsOf({
      "x.ts": "server.registerPrompt('p', { description: ",
      "y.py": "@mcp.prompt(\ndef (",
      "z.go": "package main\nfunc main() { mcp.NewPrompt( }",
      "w.js": "\u0000\u0001binary\uFFFD".repeat(100),
    });
    expect(files).toHaveLength(4);
  });
});
