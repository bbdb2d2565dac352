import { join } from "node:path";
import type { TaintFlow } from "../../lib/taint/types.js";
import { corpusCases, flowsOf } from "./helpers.js";

const flows = (code: string): Promise<TaintFlow[]> => flowsOf(code, "main.go");

const CORPUS = join(process.cwd(), "test/fixtures/taint-corpus/go");

describe("corpus", () => {
  corpusCases(CORPUS, ".go", flows);
});

const HEAD = `package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

var db *sql.DB
`;

/** An mcp-go tool "t" whose handler body is `body`. */
const handler = (body: string) => `${HEAD}
func main() {
	s := server.NewMCPServer("d", "1")
	s.AddTool(mcp.NewTool("t", mcp.WithString("x")), handle)
}

func handle(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	x := req.GetString("x", "")
${body}
	return nil, nil
}
`;

describe("traces and attribution", () => {
  test("accessor source, assignments, sink; tool and lines", async () => {
    const fs = await flows(handler(`\tcmd := "ls " + x\n\t_ = exec.Command("sh", "-c", cmd).Run()`));
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ kind: "shell", sink: "exec.Command", tool: "t", check: "none", source: { name: 'req.GetString("x", "")', line: 25 } });
    expect(fs[0].trace.map((s) => [s.label, s.line])).toEqual([
      ['req.GetString("x", "")', 25],
      ["x", 25],
      ["cmd", 26],
      ['exec.Command("sh", "-c", cmd)', 27],
    ]);
  });

  test("func literal handlers and Params.Arguments reads", async () => {
    const code = `${HEAD}
func main() {
	s := server.NewMCPServer("d", "1")
	s.AddTool(mcp.NewTool("reader"), func(ctx context.Context, request mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		args := request.GetArguments()
		p, _ := args["path"].(string)
		data, _ := os.ReadFile(p)
		return mcp.NewToolResultText(string(data)), nil
	})
}
`;
    const fs = await flows(code);
    expect(fs.map((f) => [f.kind, f.tool, f.source.name])).toEqual([["path", "reader", "request.GetArguments()"]]);
  });

  test("a helper's parameter takes what the handler passes; variadic arguments too", async () => {
    const code = `${HEAD}
func git(args ...string) ([]byte, error) {
	return exec.Command("git", args...).Output()
}

func readAt(dir, name string) ([]byte, error) {
	return os.ReadFile(filepath.Join(dir, name))
}

func main() {
	s := server.NewMCPServer("d", "1")
	s.AddTool(mcp.NewTool("t"), handle)
}

func handle(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	_, _ = git("show", req.GetString("rev", ""))
	_, _ = readAt("/srv", "fixed.txt")
	return nil, nil
}
`;
    const fs = await flows(code);
    expect(fs.map((f) => [f.kind, f.tool])).toEqual([["argument", "t"]]);
    expect(fs[0].trace.map((s) => s.label)).toContain("args");
  });

  test("net/http handlers: r.URL.Query().Get and r.FormValue are http-request sources", async () => {
    const code = `${HEAD}
func main() {
	s := server.NewMCPServer("d", "1")
	s.AddTool(mcp.NewTool("t"), handle)
}

func handle(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) { return nil, nil }

func proxy(w http.ResponseWriter, r *http.Request) {
	resp, _ := http.Get(r.FormValue("target"))
	defer resp.Body.Close()
	http.ServeFile(w, r, "/srv/"+r.URL.Query().Get("f"))
}
`;
    const fs = await flows(code);
    expect(fs.map((f) => [f.kind, f.source.kind, f.tool]).sort()).toEqual([
      ["path", "http-request", undefined],
      ["url", "http-request", undefined],
    ]);
  });
});

describe("sinks", () => {
  test.each([
    ["_ = exec.Command(\"bash\", \"-c\", fmt.Sprintf(\"echo %s\", x)).Run()", "shell", "exec.Command"],
    ["_ = exec.CommandContext(ctx, x).Run()", "shell", "exec.CommandContext"],
    ["_ = exec.Command(\"docker\", \"run\", x).Run()", "argument", "exec.Command"],
    ["_ = exec.Command(\"node\", \"-e\", x).Run()", "code", "exec.Command"],
    ["_ = os.WriteFile(x, nil, 0o600)", "path", "os.WriteFile"],
    ["_ = os.Rename(\"/tmp/a\", x)", "path", "os.Rename"],
    ["_, _ = os.Create(filepath.Join(\"/srv\", x))", "path", "os.Create"],
    ["_, _ = http.Post(x, \"application/json\", nil)", "url", "http.Post"],
    ["_, _ = http.NewRequestWithContext(ctx, \"GET\", x, nil)", "url", "http.NewRequestWithContext"],
    ["c := &http.Client{}\n\t_, _ = c.Get(x)", "url", "http.Client.Get"],
    ["_, _ = db.Exec(\"DELETE FROM t WHERE id = \" + x)", "sql", "sql.DB.Exec"],
    ["_ = db.QueryRow(fmt.Sprintf(\"SELECT 1 FROM t WHERE n = '%s'\", x))", "sql", "sql.DB.QueryRow"],
  ])("%s", async (line, kind, sink) => {
    const fs = await flows(handler(`\t${line}`));
    expect(fs.map((f) => [f.kind, f.sink])).toEqual([[kind, sink]]);
  });

  test.each([
    ["_ = exec.Command(\"git\", \"log\", \"--format=\"+x).Run()"],
    ["_ = exec.Command(\"git\", \"log\", fmt.Sprintf(\"--author=%s\", x)).Run()"],
    ["_ = exec.Command(\"grep\", \"-r\", \"--\", x, \"/srv\").Run()"],
    ["_, _ = db.Query(\"SELECT * FROM t WHERE n = $1\", x)"],
    ["_ = rdb.Get(ctx, \"user:\"+x)"],
    ["_, _ = http.Get(fmt.Sprintf(\"https://api.example.com/v1/%s\", x))"],
    ["_, _ = http.Get(os.Getenv(\"API_URL\") + x)"],
    ["_ = strings.ToUpper(x)"],
  ])("not a flow: %s", async (line) => {
    expect(await flows(handler(`\t${line}`))).toEqual([]);
  });

  test("a token header set on the request marks the URL flow withCredentials", async () => {
    const fs = await flows(handler(`\tr, _ := http.NewRequest("GET", x, nil)\n\tr.Header.Add("X-Api-Key", os.Getenv("KEY"))\n\t_, _ = http.DefaultClient.Do(r)`));
    expect(fs.map((f) => [f.kind, f.withCredentials])).toEqual([["url", true]]);
  });
});

describe("checks", () => {
  test("HasPrefix without a separator is partial with a note", async () => {
    const fs = await flows(handler(`\tp := filepath.Clean(x)\n\tif !strings.HasPrefix(p, "/srv/data") {\n\t\treturn nil, nil\n\t}\n\t_, _ = os.ReadFile(p)`));
    expect(fs.map((f) => [f.kind, f.check])).toEqual([["path", "partial"]]);
    expect(fs[0].note).toMatch(/separator/);
  });

  test("an allow-list checked shell call is reported as checked with the check as note", async () => {
    const fs = await flows(handler(`\tif !slices.Contains([]string{"a", "b"}, x) {\n\t\treturn nil, nil\n\t}\n\t_ = exec.Command("sh", "-c", "make "+x).Run()`).replace('"strings"', '"slices"\n\t"strings"'));
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ kind: "shell", check: "checked" });
    expect(fs[0].note).toContain("slices.Contains");
  });

  test("a deny-list, a check after the sink, or a check that does not leave protects nothing", async () => {
    for (const body of [
      `\tif blocked[x] {\n\t\treturn nil, nil\n\t}\n\t_ = exec.Command("sh", "-c", x).Run()`,
      `\t_ = exec.Command("sh", "-c", x).Run()\n\tif !allowed[x] {\n\t\treturn nil, nil\n\t}`,
      `\tif !allowed[x] {\n\t\tfmt.Println("not allowed")\n\t}\n\t_ = exec.Command("sh", "-c", x).Run()`,
    ]) {
      const maps = 'var db *sql.DB\nvar blocked = map[string]bool{"rm": true}\nvar allowed = map[string]bool{"ls": true}';
      const fs = await flows(handler(body).replace("var db *sql.DB", maps));
      expect(fs.map((f) => [f.kind, f.check])).toEqual([["shell", "none"]]);
    }
  });

  test("go-sdk typed args: string fields are sources, int fields are not", async () => {
    const code = `package main

import (
	"context"
	"fmt"
	"os/exec"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

type In struct {
	Name  string \`json:"name"\`
	Count int    \`json:"count"\`
}

func h(ctx context.Context, req *mcp.CallToolRequest, in In) (*mcp.CallToolResult, any, error) {
	_ = exec.Command("sh", "-c", fmt.Sprintf("seq %d", in.Count)).Run()
	_ = exec.Command("sh", "-c", "echo "+in.Name).Run()
	return nil, nil, nil
}

func main() {
	s := mcp.NewServer(&mcp.Implementation{Name: "x"}, nil)
	mcp.AddTool(s, &mcp.Tool{Name: "gen"}, h)
}
`;
    const fs = await flows(code);
    expect(fs.map((f) => [f.span.line, f.check, f.tool])).toEqual([[17, "checked", "gen"], [18, "none", "gen"]]);
  });
});

describe("robustness", () => {
  test("syntax errors and mutual recursion end quickly", async () => {
    const code = `${handler(`\ty := f(x)\n\t_ = exec.Command("sh", "-c", y).Run(`)}
func f(s string) string { return g(s) + f(s) }
func g(s string) string { return f(s) }
`;
    const started = Date.now();
    const fs = await flows(code);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(Array.isArray(fs)).toBe(true);
  });

  test("a file without tools or HTTP handlers yields nothing", async () => {
    expect(await flows(`package main\nimport "os/exec"\nfunc run(x string) { _ = exec.Command("sh", "-c", x).Run() }\n`)).toEqual([]);
  });
});

test("a helper that runs whatever program its callers name is judged per caller", async () => {
  const code = `${HEAD}
func run(ctx context.Context, name string, args ...string) (string, error) {
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	return string(out), err
}

func main() {
	s := server.NewMCPServer("d", "1")
	s.AddTool(mcp.NewTool("t"), handle)
}

func handle(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	_, _ = run(ctx, "uptime")
	_, _ = run(ctx, "git", "--no-pager", "log", "--", req.GetString("path", "."))
	_, _ = run(ctx, "kubectl", "get", "pods", "-n", "default", req.GetString("pod", ""))
	return nil, nil
}
`;
  const fs = await flows(code);
  expect(fs.map((f) => [f.kind, f.tool, f.source.name])).toEqual([["argument", "t", 'req.GetString("pod", "")']]);
});

test("arguments decoded into a typed struct (BindArguments, json.Unmarshal) carry the input", async () => {
  const code = `${HEAD}
type Args struct {
	Path string \`json:"path"\`
}

func main() {
	s := server.NewMCPServer("d", "1")
	s.AddTool(mcp.NewTool("t"), handle)
}

func handle(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	var args Args
	if err := req.BindArguments(&args); err != nil {
		return nil, err
	}
	_, _ = os.ReadFile(args.Path)
	var other Args
	_ = json.Unmarshal([]byte(req.GetString("raw", "")), &other)
	_ = os.Remove(other.Path)
	var fixed Args
	_ = os.Remove(fixed.Path)
	return nil, nil
}
`;
  const fs = await flows(code.replace('"fmt"', '"encoding/json"\n\t"fmt"'));
  expect(fs.map((f) => [f.kind, f.sink, f.tool])).toEqual([["path", "os.ReadFile", "t"], ["path", "os.Remove", "t"]]);
});

test("binary junk and half-written code give no flows and no crash", async () => {
  let junk = "";
  for (let i = 0; i < 20_000; i++) junk += String.fromCharCode((i * 7919) % 256);
  expect(await flows(junk)).toEqual([]);
  expect(Array.isArray(await flows(handler(`\tif x {\n\t_ = exec.Command("sh", "-c", x`)))).toBe(true);
});

test("`x != a && x != b` leaving means x is one of them; another condition in the && proves nothing", async () => {
  const ok = await flows(handler(`\tif x != "status" && x != "log" {\n\t\treturn nil, nil\n\t}\n\t_ = exec.Command("sh", "-c", "git "+x).Run()`));
  expect(ok.map((f) => f.check)).toEqual(["checked"]);
  const none = await flows(handler(`\tif x != "status" && len(x) > 3 {\n\t\treturn nil, nil\n\t}\n\t_ = exec.Command("sh", "-c", "git "+x).Run()`));
  expect(none.map((f) => f.check)).toEqual(["none"]);
});

describe("handlers passed as method values", () => {
  const server = (methods: string) => `${HEAD}
type srv struct{ root string }

func main() {
	s := server.NewMCPServer("d", "1")
	h := &srv{root: "/data"}
	s.AddTool(mcp.NewTool("t", mcp.WithString("x")), h.handle)
}
${methods}`;
  const handle = `
func (h *srv) handle(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	x := req.GetString("x", "")
	_ = exec.Command("sh", "-c", "ls "+x).Run()
	return nil, nil
}
`;

  test("`s.AddTool(tool, h.handle)` finds the method, so its input is a source", async () => {
    const fs = await flows(server(handle));
    expect(fs.map((f) => [f.kind, f.tool])).toEqual([["shell", "t"]]);
  });

  test("two receiver types declaring the method: the handler is not guessed", async () => {
    const other = handle.replace("(h *srv)", "(o *other)");
    const fs = await flows(server(`type other struct{}\n${handle}${other}`));
    expect(fs.filter((f) => f.tool === "t")).toEqual([]);
  });
});

test("the value of an option that takes one (`git -C dir`, `kubectl -n ns`) cannot become an option", async () => {
  const code = `${HEAD}
func main() {
	s := server.NewMCPServer("d", "1")
	s.AddTool(mcp.NewTool("t"), handle)
}

func handle(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	_ = exec.Command("git", "-C", req.GetString("repo", ""), "log", "--", req.GetString("file", "")).Run()
	_ = exec.Command("kubectl", "get", "pods", "-n", req.GetString("ns", "")).Run()
	return nil, nil
}
`;
  expect(await flows(code)).toEqual([]);
});
