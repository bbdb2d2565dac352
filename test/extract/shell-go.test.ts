import { shellCalls } from "./shell-helpers.js";

const go = (body: string, imports = '"os/exec"') => shellCalls("go", `package main\n\nimport (\n\t${imports}\n)\n\nfunc f(ctx context.Context, name string, args []string) {\n${body}\n}\n`, "main.go");

describe("Go os/exec", () => {
  test("sh -c and bash -c with a built string", async () => {
    const calls = await go('\texec.Command("sh", "-c", "ls "+name)\n\texec.CommandContext(ctx, "/bin/bash", "-c", fmt.Sprintf("cat %s", name))');
    expect(calls.map((c) => [c.api, c.command.constant, c.command.inputs])).toEqual([
      ["exec.Command", false, ["name"]],
      ["exec.CommandContext", false, ["name"]],
    ]);
  });

  test("an aliased import and a local variable", async () => {
    const [c] = await go('\tcmd := "cat " + name\n\tx.Command("sh", "-c", cmd)', 'x "os/exec"');
    expect(c).toMatchObject({ command: { constant: false, inputs: ["name"], source: "cmd" } });
  });

  test("direct program calls, constant scripts, script files and variadic args are not findings", async () => {
    const calls = await go(
      [
        '\texec.Command("ls", name)',
        '\texec.Command("sh", "run.sh", name)',
        '\texec.Command("sh", args...)',
        '\texec.Command("sh", "-c", "uptime")',
      ].join("\n"),
    );
    expect(calls.map((c) => c.command.constant)).toEqual([true]);
  });

  test("without the os/exec import, exec.Command is someone else's", async () => {
    expect(await go('\texec.Command("sh", "-c", name)', '"example.com/exec"')).toEqual([]);
  });
});
