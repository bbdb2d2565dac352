import { findRemoteExecs, indexOptionsOf, isPythonInstall, parseShell } from "../../lib/manifests/supply-chain-shell.js";

describe("parseShell", () => {
  test("splits pipelines and commands, honouring quotes, continuations and comments", () => {
    const pipelines = parseShell(`apt-get update && curl -fsSL "https://x.example/a b" \\\n  | sh # comment | bash\necho 'a | b'; ls`);
    const shape = pipelines.map((p) => p.map((c) => c.words.map((w) => w.text).join(" ")));
    expect(shape).toEqual([["apt-get update"], ["curl -fsSL https://x.example/a b", "sh"], ["echo a | b"], ["ls"]]);
  });

  test("$( ) and <( ) stay one word", () => {
    const [[cmd]] = parseShell(`bash -c "$(curl -fsSL https://x/y | head)" && x`);
    expect(cmd.words.map((w) => w.text)).toEqual(["bash", "-c", "$(curl -fsSL https://x/y | head)"]);
    const [[sub]] = parseShell(`sh <(wget -qO- https://x/y)`);
    expect(sub.words[1].raw).toBe("<(wget -qO- https://x/y)");
  });

  test("hostile input stays bounded and never throws", () => {
    expect(() => parseShell("$(".repeat(100_000))).not.toThrow();
    expect(() => parseShell("'".repeat(100_001))).not.toThrow();
    expect(() => parseShell("\\\n".repeat(200_000))).not.toThrow();
    const started = Date.now();
    parseShell("a | ".repeat(200_000));
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe("findRemoteExecs positives", () => {
  const cases: [string, string][] = [
    ["curl | sh", "curl -fsSL https://get.example.com | sh"],
    ["curl | bash with continuation", "curl -fsSL https://get.example.com/install.sh \\\n  | bash"],
    ["wget -qO- | sudo bash -s", "wget -qO- https://x.example/i.sh | sudo -E bash -s -- --yes"],
    ["wget -O - | sh", "wget -O - https://x.example/i.sh | sh"],
    ["curl | python3", "curl -sSL https://install.python-poetry.org | python3 -"],
    ["through tee", "curl -fsSL https://x.example/i.sh | tee /tmp/i.sh | sh"],
    ["bash -c $(curl)", 'bash -c "$(curl -fsSL https://raw.githubusercontent.com/o/r/HEAD/install.sh)"'],
    ["sh <(curl)", "sh <(curl -fsSL https://x.example/i.sh)"],
    ["eval $(wget)", 'eval "$(wget -qO- https://x.example/env)"'],
    ["source <(curl)", "source <(curl -s https://x.example/env.sh)"],
    ["powershell iwr | iex", "iwr https://x.example/i.ps1 -useb | iex"],
    ["powershell iex (irm)", "iex (irm https://x.example/i.ps1)"],
    ["after &&", "apt-get update && curl https://x.example | sh && rm -rf /var/lib/apt"],
  ];
  test.each(cases)("%s", (_label, script) => {
    const found = findRemoteExecs(script);
    expect(found).toHaveLength(1);
    expect(found[0].insecure).toBe(false);
  });

  test("plain http and -k are insecure; localhost is not", () => {
    expect(findRemoteExecs("curl http://get.example.com | sh")[0]).toMatchObject({ insecure: true, url: "http://get.example.com" });
    expect(findRemoteExecs("curl -k https://get.example.com | sh")[0].insecure).toBe(true);
    expect(findRemoteExecs("curl -fsSLk https://get.example.com | sh")[0].insecure).toBe(true);
    expect(findRemoteExecs("wget --no-check-certificate -O- https://x | sh")[0].insecure).toBe(true);
    expect(findRemoteExecs("curl http://localhost:8080/i.sh | sh")[0].insecure).toBe(false);
  });
});

describe("findRemoteExecs negatives", () => {
  const cases: [string, string][] = [
    ["download to a file", "curl -fsSLo install.sh https://x.example/i.sh && sha256sum -c sums && sh install.sh"],
    ["curl -o then run", "curl -o /tmp/i.sh https://x.example/i.sh && bash /tmp/i.sh"],
    ["wget to file", "wget https://x.example/i.sh && sh i.sh"],
    ["pipe to tar", "curl -fsSL https://x.example/node.tar.gz | tar xz -C /usr/local"],
    ["pipe to jq", "curl -s https://api.example.com/v | jq -r .version"],
    ["python -c reads data", "curl -s https://api.example.com/v | python3 -c 'import json,sys; print(json.load(sys.stdin))'"],
    ["sh with a local script", "curl -s https://x | sh ./local.sh"],
    ["quoted text", "echo 'curl https://x | sh'"],
    ["comment", "# curl https://x | sh"],
    ["gpg verify", "curl -fsSL https://x.example/key.gpg | gpg --dearmor -o /usr/share/keyrings/x.gpg"],
    ["bash -c constant", "bash -c 'echo hello'"],
    ["separate commands", "curl -fsSL https://x.example/a.sh; sh"],
  ];
  test.each(cases)("%s", (_label, script) => {
    expect(findRemoteExecs(script)).toEqual([]);
  });
});

describe("pip index options", () => {
  test("reads every spelling", () => {
    expect(indexOptionsOf(["pip", "install", "-i", "http://a", "--extra-index-url=https://b", "--trusted-host", "c", "-ihttp://d"])).toEqual([
      { option: "index-url", value: "http://a" },
      { option: "extra-index-url", value: "https://b" },
      { option: "trusted-host", value: "c" },
      { option: "index-url", value: "http://d" },
    ]);
  });

  test("knows install commands", () => {
    expect(isPythonInstall(["pip", "install", "x"])).toBe(true);
    expect(isPythonInstall(["python3", "-m", "pip", "install", "x"])).toBe(true);
    expect(isPythonInstall(["uv", "pip", "install", "x"])).toBe(true);
    expect(isPythonInstall(["pip", "freeze"])).toBe(false);
    expect(isPythonInstall(["npm", "install"])).toBe(false);
  });
});
