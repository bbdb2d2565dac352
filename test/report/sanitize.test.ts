import { codeSpan, escapeInline, escapeProse, fencedBlock, clipBlock, truncate } from "../../lib/report/sanitize.js";
import { encodePath, permalink, commitUrl, locationMarkdown } from "../../lib/report/links.js";
import { redact as redactSecrets } from "../../lib/redact.js";

const ZWJ = "\u200D";

describe("escapeProse", () => {
  it("renders the rules' backtick spans as code and escapes the rest", () => {
    expect(escapeProse("Use `execFile(\"git\", [x])` instead of <b>exec</b>")).toBe(
      'Use `execFile("git", [x])` instead of &lt;b&gt;exec&lt;/b&gt;',
    );
  });

  it("keeps mentions and HTML inert inside and outside code spans", () => {
    const out = escapeProse("ping @someone `<img src=x>` and `@org`");
    expect(out).toContain(`@${ZWJ}someone`);
    expect(out).toContain("`<img src=x>`");
    expect(out).not.toMatch(/(?<![`\u200D])@org/);
  });

  it("escapes an unbalanced backtick", () => {
    expect(escapeProse("a ` b")).toBe("a \\` b");
  });
});

describe("escapeInline", () => {
  it("turns HTML into text", () => {
    const out = escapeInline('<img src=x onerror="alert(1)">');
    expect(out).not.toMatch(/<|>/);
    expect(out).toContain("&lt;img");
  });

  it("breaks mentions and issue references but leaves versions and emails alone", () => {
    expect(escapeInline("ping @someone and @org/team")).not.toMatch(/@[a-z]/);
    expect(escapeInline("see #123 and acme/repo#7 and GH-9")).not.toMatch(/#\d|GH-\d/);
    expect(escapeInline("pin pkg@1.2.3")).toBe("pin pkg@1.2.3");
    expect(escapeInline("a@example.com")).toBe("a@example.com");
    expect(escapeInline("@someone")).toBe(`@${ZWJ}someone`);
  });

  it("escapes link, image, emphasis and table syntax, and stays on one line", () => {
    const out = escapeInline("![x](http://evil) [click](javascript:alert(1)) *b* _i_ a|b\n# heading\n- item");
    expect(out).not.toContain("\n");
    // With both brackets escaped no link or image can form, so parentheses may stay as they are.
    expect(out).not.toMatch(/(?<!\\)[[\]*_|#]/);
    expect(out).not.toContain("://");
  });

  it("reveals invisible characters and cannot open comments", () => {
    expect(escapeInline("a\u202Eb\u200Bc")).toBe("a\\\\u{202E}b\\\\u{200B}c");
    expect(escapeInline("<!-- x -->")).not.toContain("<!--");
  });

  it("truncates long text without splitting surrogate pairs", () => {
    expect(escapeInline("x".repeat(1000), 50).length).toBeLessThanOrEqual(50);
    const t = truncate("a😀😀😀", 3);
    expect(t).toBe("a…");
  });
});

describe("codeSpan", () => {
  it("uses a delimiter longer than any backtick run inside", () => {
    const s = codeSpan("a ``` b ` c");
    expect(s.startsWith("````")).toBe(true);
    expect(s.endsWith("````")).toBe(true);
    expect(codeSpan("`x`")).toBe("`` `x` ``");
  });

  it("escapes pipes only in tables, without letting a backslash undo the escape", () => {
    expect(codeSpan("a|b")).toBe("`a|b`");
    expect(codeSpan("a|b", { table: true })).toBe("`a\\|b`");
    expect(codeSpan("a\\|b", { table: true })).toBe("`a\u29F5\\|b`");
  });

  it("neutralises comment openers and keeps one line", () => {
    const s = codeSpan("<!-- mcp-warden:report -->\nnext");
    expect(s).not.toContain("<!--");
    expect(s).not.toContain("\n");
  });
});

describe("fencedBlock", () => {
  it("cannot be closed by backticks in the evidence", () => {
    const evil = "x\n```\n## injected heading\n@someone\n````\n<img src=x>";
    const block = fencedBlock(evil, "ts");
    const fence = block.split("\n")[0]!.replace("ts", "");
    expect(fence.length).toBeGreaterThan(4);
    // the only lines that are a fence of that length are the first and last
    const closing = block.split("\n").filter((l) => l.startsWith(fence));
    expect(closing).toHaveLength(2);
    expect(block.endsWith(`\n${fence}`)).toBe(true);
  });

  it("drops a hostile info string", () => {
    expect(fencedBlock("x", "js onload=1").split("\n")[0]).toBe("```");
  });

  it("clips long evidence", () => {
    const long = Array.from({ length: 100 }, (_, i) => `line ${i}`).join("\n");
    const clipped = clipBlock(long, 5, 1000);
    expect(clipped.split("\n")).toHaveLength(6);
    expect(clipped.endsWith("…")).toBe(true);
    expect(clipBlock("x".repeat(5000), 20, 100).length).toBeLessThanOrEqual(102);
  });
});

describe("links", () => {
  const ref = { owner: "acme", repo: "tools", sha: "0123456789abcdef0123456789abcdef01234567" };

  it("builds permalinks with a line range, a single line, or none", () => {
    expect(permalink(ref, "src/a.ts", 10, 12)).toBe(
      "https://github.com/acme/tools/blob/0123456789abcdef0123456789abcdef01234567/src/a.ts#L10-L12",
    );
    expect(permalink(ref, "src/a.ts", 10, 10)).toMatch(/#L10$/);
    expect(permalink(ref, "src/a.ts", 0, 0)).toMatch(/\/src\/a\.ts$/);
  });

  it("encodes each path segment", () => {
    expect(encodePath("my dir/a#b?c/(x).ts")).toBe("my%20dir/a%23b%3Fc/%28x%29.ts");
    expect(permalink(ref, "a b/c.ts", 1, 1)).toContain("/a%20b/c.ts#L1");
  });

  it("gives no link without a repository or a real sha", () => {
    expect(permalink({ sha: ref.sha }, "a.ts", 1, 1)).toBeNull();
    expect(commitUrl({ owner: "a", repo: "b", sha: "local" })).toBeNull();
    expect(locationMarkdown({ sha: "local" }, "src/a.ts", 3, 4)).toBe("`src/a.ts:3-4`");
  });
});

describe("redactSecrets", () => {
  it("masks well-known token shapes", () => {
    const token = "ghp_" + "a1B2c3D4e5".repeat(4);
    const out = redactSecrets(`const t = "${token}"; aws AKIAIOSFODNN7EXAMPLE`);
    expect(out).not.toContain(token);
    expect(out).not.toContain("AKIAIOSFODNN7EXAMPLE");
    expect(out).toContain("[redacted");
  });

  it("masks private key blocks", () => {
    const key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7bq98e\nabcdefghijklmnop\n-----END RSA PRIVATE KEY-----";
    expect(redactSecrets(key)).not.toContain("MIIEow");
  });

  it("leaves placeholders and ordinary code alone", () => {
    for (const s of ["ghp_xxxx", "<your-token>", "process.env.GITHUB_TOKEN", "sk-short"]) {
      expect(redactSecrets(s)).toBe(s);
    }
  });
});
