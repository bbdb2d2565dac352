import { flowsOf } from "./helpers.js";
test("perf", async () => {
  const head = 'import { exec } from "node:child_process";\nimport fs from "node:fs";\n';
  // many tools
  const tools = Array.from({ length: 300 }, (_, i) => `server.tool("t${i}", "d", {}, async (args) => {\n  const c = "ls " + args.x${i};\n  exec(c);\n  fs.readFileSync("/etc/x");\n  return { content: [] };\n});`).join("\n");
  let t = Date.now();
  let f = await flowsOf(head + tools);
  console.log("300 tools", Date.now() - t, "ms", f.length);
  // one handler, many sinks over a long chain with many bindings
  const chain = Array.from({ length: 200 }, (_, i) => `  v = v + args.y${i};`).join("\n");
  const sinks = Array.from({ length: 2000 }, () => `  exec(v);`).join("\n");
  t = Date.now();
  f = await flowsOf(`${head}server.tool("big", "d", {}, async (args) => {\n  let v = "";\n${chain}\n${sinks}\n  return {};\n});`);
  console.log("2000 sinks x 200 bindings", Date.now() - t, "ms", f.length);
  // helper fan-out
  const helpers = Array.from({ length: 50 }, (_, i) => `function h${i}(a) { ${i < 49 ? `h${i + 1}(a); h${i + 1}(a + "x");` : "exec(a);"} }`).join("\n");
  t = Date.now();
  f = await flowsOf(`${head}${helpers}\nserver.tool("fan", "d", {}, async (args) => {\n  h0(args.x);\n  return {};\n});`);
  console.log("fan-out", Date.now() - t, "ms", f.length);
  // many guards
  const guards = Array.from({ length: 1000 }, (_, i) => `  if (args.q${i} === "a") return {};`).join("\n");
  const sinks2 = Array.from({ length: 500 }, (_, i) => `  exec("ls " + args.z${i});`).join("\n");
  t = Date.now();
  f = await flowsOf(`${head}server.tool("g", "d", {}, async (args) => {\n${guards}\n${sinks2}\n  return {};\n});`);
  console.log("1000 guards x 500 sinks", Date.now() - t, "ms", f.length);
}, 120000);
