import type { CapabilityKind } from "./types.js";

/**
 * What well-known APIs can do, per language, as data. Keys are normalised callee names:
 * the module as imported plus the member path ("fs.writeFile", "subprocess.run",
 * "net/http.Post"); builtins and globals have no module ("fetch", "eval", "open").
 * See docs/capabilities.md for the vocabulary and how the tables are used.
 */
export interface ApiSpec {
  kind: CapabilityKind;
  /** Deletes, moves or truncates (file removal, rename, HTTP DELETE). */
  destructive?: boolean;
  /** network: the HTTP method when the API fixes it. */
  method?: string;
  /** network: argument index holding the method, or an options object with a `method` key. */
  methodArg?: number;
  /** Python open()/Node fs.open(): argument index of the mode or flags ("w", "a", O_WRONLY ...). */
  modeArg?: number;
  /** runs-commands: how the command is passed ("string": one command line; "argv": program, args...). */
  command?: "string" | "argv" | "argv-list";
  /** Argument index of the command (default 0). */
  commandArg?: number;
}

const runs = (command: ApiSpec["command"], commandArg = 0): ApiSpec => ({ kind: "runs-commands", command, commandArg });
const reads: ApiSpec = { kind: "reads-files" };
const writes: ApiSpec = { kind: "writes-files" };
const removes: ApiSpec = { kind: "writes-files", destructive: true };
const evaluates: ApiSpec = { kind: "evaluates-code" };
const env: ApiSpec = { kind: "reads-env" };
const net = (method?: string, methodArg?: number): ApiSpec => ({
  kind: "network",
  ...(method ? { method } : {}),
  ...(methodArg !== undefined ? { methodArg } : {}),
  ...(method === "DELETE" ? { destructive: true } : {}),
});

function table(entries: [string[], ApiSpec][]): Map<string, ApiSpec> {
  const out = new Map<string, ApiSpec>();
  for (const [names, spec] of entries) for (const n of names) out.set(n, spec);
  return out;
}

function each(prefix: string, names: string): string[] {
  return names.split(/\s+/).filter(Boolean).map((n) => (prefix ? `${prefix}.${n}` : n));
}

/** HTTP client libraries whose method helpers are named after the verb. */
function verbs(prefixes: string[], requestArg?: number): [string[], ApiSpec][] {
  const out: [string[], ApiSpec][] = [];
  for (const p of prefixes) {
    out.push([each(p, "get"), net("GET")], [each(p, "head"), net("HEAD")], [each(p, "options"), net("OPTIONS")]);
    out.push([each(p, "post"), net("POST")], [each(p, "put"), net("PUT")], [each(p, "patch"), net("PATCH")]);
    out.push([each(p, "delete"), net("DELETE")]);
    if (requestArg !== undefined) out.push([[`${p}.request`], net(undefined, requestArg)]);
  }
  return out;
}

// ---------------------------------------------------------------- JavaScript / TypeScript

const FS_READS = "readFile readFileSync readdir readdirSync createReadStream opendir opendirSync readlink readlinkSync readJson readJSON readJsonSync readJSONSync";
const FS_WRITES =
  "writeFile writeFileSync appendFile appendFileSync createWriteStream mkdir mkdirSync mkdtemp mkdtempSync copyFile copyFileSync cp cpSync " +
  "symlink symlinkSync link linkSync chmod chmodSync chown chownSync utimes utimesSync outputFile outputFileSync outputJson outputJSON " +
  "outputJsonSync writeJson writeJSON writeJsonSync writeJSONSync ensureDir ensureDirSync ensureFile ensureFileSync mkdirp mkdirs copy copySync";
const FS_REMOVES =
  "rm rmSync rmdir rmdirSync unlink unlinkSync rename renameSync truncate truncateSync ftruncate ftruncateSync remove removeSync move moveSync emptyDir emptyDirSync emptydir";

export const JS_APIS: Map<string, ApiSpec> = table([
  [each("child_process", "exec execSync"), runs("string")],
  [each("child_process", "execFile execFileSync spawn spawnSync fork"), runs("argv")],
  [["execa", ...each("execa", "execa execaSync sync")], runs("argv")],
  [[...each("execa", "execaCommand execaCommandSync command commandSync $"), "zx.$"], runs("string")],
  [["cross-spawn", ...each("cross-spawn", "spawn sync")], runs("argv")],
  [each("shelljs", "exec"), runs("string")],
  [["eval", "Function", ...each("vm", "runInNewContext runInThisContext runInContext Script compileFunction SourceTextModule")], evaluates],
  [each("fs", FS_READS), reads],
  [each("fs", FS_WRITES), writes],
  [[...each("fs", FS_REMOVES), "rimraf", "rimraf.rimraf", "rimraf.sync", "rimraf.rimrafSync", "del", "del.deleteAsync", "del.deleteSync"], removes],
  [each("fs", "open openSync"), { kind: "reads-files", modeArg: 1 }],
  [["fetch", "node-fetch", "node-fetch.default", "undici.fetch", "cross-fetch", "isomorphic-fetch"], net(undefined, 1)],
  [["undici.request"], net(undefined, 1)],
  [["axios", "got", "ky", "superagent"], net(undefined, 1)],
  ...verbs(["axios", "got", "ky", "superagent", "undici"], 0),
  [each("http", "request"), net(undefined, 0)],
  [each("https", "request"), net(undefined, 0)],
  [each("http", "get"), net("GET")],
  [each("https", "get"), net("GET")],
  [[...each("net", "connect createConnection"), "tls.connect", "ws", "ws.WebSocket", "WebSocket", "http2.connect"], net()],
  [["Deno.env.get", "Bun.env"], env],
]);

/** Calls that return a client whose verb methods are the library's (`axios.create()` -> axios). */
export const JS_CLIENTS: Map<string, string> = new Map([
  ["axios.create", "axios"],
  ["got.extend", "got"],
  ["ky.create", "ky"],
  ["ky.extend", "ky"],
]);

/** Module names that mean the same API: `node:fs`, `fs/promises`, `fs-extra`. */
export function normaliseJsModule(module: string): string {
  let m = module.startsWith("node:") ? module.slice(5) : module;
  if (m === "fs/promises" || m === "fs-extra" || m === "graceful-fs" || m === "fs-extra/esm" || m === "fs.promises") m = "fs";
  if (m === "child_process/promises") m = "child_process";
  return m;
}

/** `fs.promises.writeFile` -> `fs.writeFile`; `fs.default.x` (interop) -> `fs.x`. */
export function normaliseJsKey(key: string): string {
  return key.replace(/^fs\.(?:promises|default)\./, "fs.").replace(/^(child_process|axios|path)\.default\./, "$1.");
}

// ---------------------------------------------------------------- Python

const HTTPX_LIKE = ["requests", "httpx"];

export const PY_APIS: Map<string, ApiSpec> = table([
  [each("subprocess", "run call check_call check_output Popen"), runs("argv-list")],
  [each("subprocess", "getoutput getstatusoutput"), runs("string")],
  [each("os", "system popen"), runs("string")],
  [each("os", "execv execve execvp execvpe spawnv spawnve spawnvp spawnvpe posix_spawn posix_spawnp"), runs("argv", 0)],
  [each("os", "execl execle execlp execlpe spawnl spawnle spawnlp spawnlpe"), runs("argv", 0)],
  [["asyncio.create_subprocess_exec", "asyncio.subprocess.create_subprocess_exec"], runs("argv")],
  [["asyncio.create_subprocess_shell", "asyncio.subprocess.create_subprocess_shell"], runs("string")],
  [["pty.spawn", "pexpect.spawn", "pexpect.run"], runs("string")],
  [["eval", "exec", "runpy.run_path", "runpy.run_module"], evaluates],
  [["open", "io.open", "codecs.open", "aiofiles.open"], { kind: "reads-files", modeArg: 1 }],
  [[...each("os", "listdir scandir walk"), "glob.glob", "glob.iglob"], reads],
  [each("os", "mkdir makedirs chmod chown symlink link utime"), writes],
  [each("os", "remove unlink rmdir removedirs rename renames replace truncate"), removes],
  [each("shutil", "copy copy2 copyfile copytree copymode copystat make_archive unpack_archive chown"), writes],
  [each("shutil", "rmtree move"), removes],
  ...verbs(HTTPX_LIKE, 0),
  [["urllib.request.urlopen", "urllib3.request"], net()],
  [each("http.client", "HTTPConnection HTTPSConnection"), net()],
  [["socket.create_connection", "websockets.connect", "aiohttp.request"], net()],
  [each("smtplib", "SMTP SMTP_SSL"), net("POST")],
  [["os.getenv", "os.environ", "os.environb", "os.getenvb"], env],
]);

/** Calls that return an HTTP client (`requests.Session()`) or a path (`pathlib.Path(...)`). */
export const PY_CLIENTS: Map<string, string> = new Map([
  ["requests.Session", "requests"],
  ["requests.session", "requests"],
  ["httpx.Client", "httpx"],
  ["httpx.AsyncClient", "httpx"],
  ["aiohttp.ClientSession", "httpx"],
  ["urllib3.PoolManager", "urllib3"],
  ["pathlib.Path", "pathlib.Path"],
  ["pathlib.PurePath", "pathlib.Path"],
  ["pathlib.PosixPath", "pathlib.Path"],
  ["pathlib.WindowsPath", "pathlib.Path"],
  ["anyio.Path", "pathlib.Path"],
  ["aiopath.AsyncPath", "pathlib.Path"],
]);

/** Methods of client objects (module from PY_CLIENTS + method). */
export const PY_METHODS: Map<string, ApiSpec> = table([
  ...verbs(["httpx"], 0),
  [["urllib3.request"], net(undefined, 0)],
  [["pathlib.Path.open"], { kind: "reads-files", modeArg: 0 }],
  [each("pathlib.Path", "read_text read_bytes iterdir glob rglob"), reads],
  [each("pathlib.Path", "write_text write_bytes mkdir touch symlink_to hardlink_to chmod"), writes],
  [each("pathlib.Path", "unlink rmdir rename replace"), removes],
]);

/** Method names distinctive enough to need no receiver type (only pathlib has them). */
export const PY_DISTINCT_METHODS: Map<string, ApiSpec> = table([
  [["read_text", "read_bytes"], reads],
  [["write_text", "write_bytes"], writes],
]);

// ---------------------------------------------------------------- Go

export const GO_APIS: Map<string, ApiSpec> = table([
  [each("os/exec", "Command"), runs("argv")],
  [each("os/exec", "CommandContext"), runs("argv", 1)],
  [["syscall.Exec", "os.StartProcess"], runs("argv")],
  [["plugin.Open"], evaluates],
  [[...each("os", "ReadFile Open ReadDir DirFS"), ...each("io/ioutil", "ReadFile ReadDir"), ...each("path/filepath", "Walk WalkDir Glob")], reads],
  [[...each("os", "WriteFile Create Mkdir MkdirAll MkdirTemp CreateTemp Chmod Chown Lchown Symlink Link Chtimes"), ...each("io/ioutil", "WriteFile TempFile TempDir")], writes],
  [each("os", "Remove RemoveAll Rename Truncate"), removes],
  [["os.OpenFile"], { kind: "reads-files", modeArg: 1 }],
  [each("net/http", "Get Head"), net("GET")],
  [each("net/http", "Post PostForm"), net("POST")],
  [["net/http.NewRequest"], net(undefined, 0)],
  [["net/http.NewRequestWithContext"], net(undefined, 1)],
  [[...each("net", "Dial DialTimeout DialTCP DialUDP"), "crypto/tls.Dial", "net/smtp.Dial"], net()],
  [["net/smtp.SendMail"], net("POST")],
  [[...each("os", "Getenv LookupEnv Environ ExpandEnv"), "syscall.Getenv"], env],
]);

/** HTTP methods that change state on the server. */
export const MUTATING_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
