import {
  REPORT_MARKER,
  buildState,
  changesSince,
  hasMarker,
  parseReportState,
  renderState,
  stateCovers,
} from "../../lib/report/index.js";

describe("report state", () => {
  it("round-trips, sorted and deduplicated", () => {
    const text = renderState({ v: 1, sha: "abc1234", fingerprints: ["b", "a", "b", "c"] });
    expect(text.startsWith("<!-- mcp-warden:state {")).toBe(true);
    expect(text.endsWith(" -->")).toBe(true);
    expect(parseReportState(`intro\n\n${text}\n`)).toEqual({ v: 1, sha: "abc1234", fingerprints: ["a", "b", "c"] });
  });

  it("sorts by code unit, not locale", () => {
    const s = parseReportState(renderState({ v: 1, sha: "s", fingerprints: ["b", "B", "a", "_", "É"] }));
    expect(s!.fingerprints).toEqual(["B", "_", "a", "b", "É"]);
  });

  it("cannot be closed early by data: --> and < > are escaped, and read back unchanged", () => {
    const hostile = ["x --> <img src=x onerror=alert(1)>", "<!-- mcp-warden:report -->", "--!>"];
    const text = renderState({ v: 1, sha: "s", fingerprints: hostile });
    expect(text.indexOf("-->")).toBe(text.length - 3);
    expect(text.slice(4)).not.toContain("<");
    expect(text).not.toContain("--!>");
    expect(parseReportState(text)!.fingerprints).toEqual([...hostile].sort());
  });

  it.each([
    ["null", null],
    ["undefined", undefined],
    ["empty", ""],
    ["no state", "just an issue body"],
    ["unterminated", "<!-- mcp-warden:state {\"v\":1,\"sha\":\"a\",\"fingerprints\":[]}"],
    ["not json", "<!-- mcp-warden:state {v:1} -->"],
    ["wrong version", '<!-- mcp-warden:state {"v":2,"sha":"a","fingerprints":[]} -->'],
    ["fingerprints not strings", '<!-- mcp-warden:state {"v":1,"sha":"a","fingerprints":[1,2]} -->'],
    ["missing sha", '<!-- mcp-warden:state {"v":1,"fingerprints":[]} -->'],
    ["array", "<!-- mcp-warden:state [] -->"],
    ["proto pollution", '<!-- mcp-warden:state {"__proto__":{"v":1},"sha":"a","fingerprints":[]} -->'],
    ["total below count", '<!-- mcp-warden:state {"v":1,"sha":"a","fingerprints":["x","y"],"total":1} -->'],
    ["binary garbage", "<!-- mcp-warden:state \u0000\u0001\ufffd\ud800 -->"],
    ["huge fingerprint", `<!-- mcp-warden:state {"v":1,"sha":"a","fingerprints":["${"x".repeat(5000)}"]} -->`],
  ])("garbled body (%s) gives null without throwing", (_name, body) => {
    expect(parseReportState(body as string | null | undefined)).toBeNull();
  });

  it("reads the last state when a body quotes an older one", () => {
    const old = renderState({ v: 1, sha: "old", fingerprints: ["a"] });
    const cur = renderState({ v: 1, sha: "new", fingerprints: ["b"] });
    expect(parseReportState(`${old}\n\ntext\n\n${cur}`)!.sha).toBe("new");
  });

  it("a megabyte of repeated state prefixes gives null", () => {
    const body = "<!-- mcp-warden:state ".repeat(50_000);
    expect(parseReportState(body)).toBeNull();
  });

  it("hasMarker needs the marker on a line of its own", () => {
    expect(hasMarker(`${REPORT_MARKER}\n\n## x`)).toBe(true);
    expect(hasMarker(`\r\n${REPORT_MARKER}\r\nrest`)).toBe(true);
    expect(hasMarker(`quoting \`${REPORT_MARKER}\` in a sentence`)).toBe(false);
    expect(hasMarker("<!-- mcp-warden:reports -->")).toBe(false);
    expect(hasMarker(null)).toBe(false);
    expect(hasMarker(undefined)).toBe(false);
  });

  describe("size-bounded state", () => {
    const fps = Array.from({ length: 3000 }, (_, i) => `fingerprint-${String(i).padStart(5, "0")}`);

    it("keeps everything when it fits", () => {
      const s = buildState("sha", fps);
      expect(s.total).toBeUndefined();
      expect(s.fingerprints).toHaveLength(3000);
    });

    it("keeps the smallest fingerprints and the total when it does not", () => {
      const s = buildState("sha", [...fps].reverse(), 10_000);
      expect(renderState(s).length).toBeLessThanOrEqual(10_000);
      expect(s.total).toBe(3000);
      expect(s.fingerprints.length).toBeGreaterThan(100);
      expect(s.fingerprints).toEqual(fps.slice(0, s.fingerprints.length));
      const parsed = parseReportState(renderState(s))!;
      expect(parsed).toEqual(s);
      expect(stateCovers(parsed, fps[0]!)).toBe(true);
      expect(stateCovers(parsed, fps[2999]!)).toBe(false);
    });

    it("a partial state never reports findings it cannot speak for as new", () => {
      const prev = buildState("sha", fps, 10_000);
      const kept = prev.fingerprints.length;
      const same = changesSince(prev, fps);
      expect(same).toEqual({ added: [], fixed: 0, complete: false });
      // a genuinely new fingerprint inside the covered range is still seen
      const withNew = changesSince(prev, [...fps, "fingerprint-00000a"]);
      expect(withNew.added).toEqual(["fingerprint-00000a"]);
      // one recorded finding fixed
      expect(changesSince(prev, fps.filter((f) => f !== fps[1])).fixed).toBe(1);
      expect(kept).toBeLessThan(3000);
    });
  });

  it("changesSince on a complete state counts new and fixed exactly", () => {
    const prev = { v: 1 as const, sha: "a", fingerprints: ["a", "b", "c"] };
    expect(changesSince(prev, ["b", "c", "d", "e", "d"])).toEqual({ added: ["d", "e"], fixed: 1, complete: true });
    expect(changesSince(prev, ["c", "b", "a"])).toEqual({ added: [], fixed: 0, complete: true });
  });
});

describe("tool records in the state", () => {
  const record = (n: string, h = "0123456789abcdef", d?: string) => ({ s: ".", n, h, c: "aaaaaaaa.bbbbbbbb.cccccccc", ...(d ? { d } : {}) });

  it("round-trips sorted and deduplicated, with hostile text kept inert", () => {
    const tools = [record("b"), record("a", "fedcba9876543210", "Reads --> <b>files</b>"), record("a")];
    const text = renderState({ v: 1, sha: "s", fingerprints: [], tools });
    expect(text.indexOf("-->")).toBe(text.length - 3);
    expect(parseReportState(text)).toEqual({ v: 1, sha: "s", fingerprints: [], tools: [tools[1], tools[0]] });
  });

  it("reads states written before tool records, and rejects malformed records", () => {
    expect(parseReportState('<!-- mcp-warden:state {"v":1,"sha":"a","fingerprints":[]} -->')).toEqual({ v: 1, sha: "a", fingerprints: [] });
    expect(parseReportState('<!-- mcp-warden:state {"v":1,"sha":"a","fingerprints":[],"tools":[{"s":".","n":"x","h":"nothex","c":""}]} -->')).toBeNull();
    const tooLong = JSON.stringify({ v: 1, sha: "a", fingerprints: [], tools: [{ ...record("x"), d: "x".repeat(5000) }] });
    expect(parseReportState(`<!-- mcp-warden:state ${tooLong} -->`)).toBeNull();
  });

  it("buildState keeps the tool records and trims only fingerprints to the budget", () => {
    const tools = [record("a"), record("b")];
    const fps = Array.from({ length: 500 }, (_, i) => `fp-${String(i).padStart(4, "0")}`);
    const state = buildState("s", fps, 3000, { tools });
    expect(state.tools).toEqual(tools);
    expect(state.total).toBe(500);
    expect(renderState(state).length).toBeLessThanOrEqual(3000);
  });
});
