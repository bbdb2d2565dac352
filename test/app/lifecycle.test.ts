import { planIssueSync, type ExistingIssue } from "../../app/lifecycle.js";
import { REPORT_MARKER, renderState } from "../../lib/report/state.js";

const SHA1 = "1111111111111111111111111111111111111111";
const SHA2 = "2222222222222222222222222222222222222222";

/** A body shaped like the renderer's: marker, some text, the state last. */
function body(text: string, sha: string, fingerprints: string[], total?: number): string {
  const state = total === undefined ? { v: 1 as const, sha, fingerprints } : { v: 1 as const, sha, fingerprints, total };
  return `${REPORT_MARKER}\n${text}\n${renderState(state)}`;
}

function issue(state: "open" | "closed", text: string, closedByUser?: boolean): ExistingIssue {
  return closedByUser === undefined ? { number: 7, state, body: text } : { number: 7, state, body: text, closedByUser };
}

describe("planIssueSync", () => {
  describe("no issue yet", () => {
    it("creates one when there are findings", () => {
      const desired = { body: body("2 findings", SHA1, ["a", "b"]), fingerprints: ["a", "b"], hasFindings: true, sha: SHA1 };
      expect(planIssueSync(null, desired)).toEqual({ kind: "create", body: desired.body });
    });

    it("never creates one for a clean repository", () => {
      const action = planIssueSync(null, { body: body("clean", SHA1, []), fingerprints: [], hasFindings: false, sha: SHA1 });
      expect(action.kind).toBe("none");
    });
  });

  describe("open issue", () => {
    it("writes nothing when the body is identical", () => {
      const text = body("2 findings", SHA1, ["a", "b"]);
      const action = planIssueSync(issue("open", text), { body: text, fingerprints: ["a", "b"], hasFindings: true, sha: SHA1 });
      expect(action).toEqual({ kind: "none", reason: "report unchanged" });
    });

    it("updates when the body changed", () => {
      const next = body("3 findings", SHA2, ["a", "b", "c"]);
      const action = planIssueSync(issue("open", body("2 findings", SHA1, ["a", "b"])), {
        body: next,
        fingerprints: ["a", "b", "c"],
        hasFindings: true,
        sha: SHA2,
      });
      expect(action).toEqual({ kind: "update", number: 7, body: next });
    });

    it("updates for a new commit even when the findings are the same (links point at the new commit)", () => {
      const action = planIssueSync(issue("open", body("2 findings @1", SHA1, ["a", "b"])), {
        body: body("2 findings @2", SHA2, ["b", "a"]),
        fingerprints: ["b", "a"],
        hasFindings: true,
        sha: SHA2,
      });
      expect(action.kind).toBe("update");
    });

    it("does not rewrite a re-delivered commit whose findings did not change", () => {
      // The second rendering differs only by "what changed since the last scan" (nothing).
      const action = planIssueSync(issue("open", body("2 findings", SHA1, ["a", "b"])), {
        body: body("**Since the last scan:** no change.\n\n2 findings", SHA1, ["b", "a"]),
        fingerprints: ["b", "a"],
        hasFindings: true,
        sha: SHA1,
      });
      expect(action).toEqual({ kind: "none", reason: "findings unchanged since the reported commit" });
    });

    it("does not rewrite for a new commit that changes nothing but the commit", () => {
      const text = (sha: string) => `Commit scanned: [\`${sha.slice(0, 7)}\`](https://github.com/o/r/commit/${sha})\n` +
        `[src/index.ts:3](https://github.com/o/r/blob/${sha}/src/index.ts#L3)`;
      const action = planIssueSync(issue("open", body(text(SHA1), SHA1, ["a"])), {
        body: body(`**Since the last scan:** no change.\n\n${text(SHA2)}`, SHA2, ["a"]),
        fingerprints: ["a"],
        hasFindings: true,
        sha: SHA2,
      });
      expect(action.kind).toBe("none");
    });

    it("rewrites for a new commit where a finding moved to another line", () => {
      const text = (sha: string, line: number) => `[src/index.ts:${line}](https://github.com/o/r/blob/${sha}/src/index.ts#L${line})`;
      const action = planIssueSync(issue("open", body(text(SHA1, 3), SHA1, ["a"])), {
        body: body(text(SHA2, 9), SHA2, ["a"]),
        fingerprints: ["a"],
        hasFindings: true,
        sha: SHA2,
      });
      expect(action.kind).toBe("update");
    });

    it("updates a re-scanned commit whose findings changed (e.g. a new advisory)", () => {
      const action = planIssueSync(issue("open", body("2 findings", SHA1, ["a", "b"])), {
        body: body("3 findings", SHA1, ["a", "b", "c"]),
        fingerprints: ["a", "b", "c"],
        hasFindings: true,
        sha: SHA1,
      });
      expect(action.kind).toBe("update");
    });

    it("updates when the existing body has no readable state (edited by hand)", () => {
      const action = planIssueSync(issue("open", `${REPORT_MARKER}\nsomeone edited this`), {
        body: body("2 findings", SHA1, ["a", "b"]),
        fingerprints: ["a", "b"],
        hasFindings: true,
        sha: SHA1,
      });
      expect(action.kind).toBe("update");
    });

    it("closes with a short comment and the clean body when the scan is clean", () => {
      const clean = body("No findings", SHA2, []);
      const action = planIssueSync(issue("open", body("2 findings", SHA1, ["a", "b"])), {
        body: clean,
        fingerprints: [],
        hasFindings: false,
        sha: SHA2,
      });
      expect(action).toEqual({ kind: "close", number: 7, body: clean, comment: "All findings are fixed as of 2222222. Closing." });
    });
  });

  describe("closed issue", () => {
    const closedBody = body("2 findings", SHA1, ["a", "b"]);

    it("stays closed for the same findings when a user closed it", () => {
      const action = planIssueSync(issue("closed", closedBody, true), {
        body: body("2 findings", SHA2, ["a", "b"]),
        fingerprints: ["a", "b"],
        hasFindings: true,
        sha: SHA2,
      });
      expect(action.kind).toBe("none");
    });

    it("stays closed when the findings are a subset of those it reported", () => {
      const action = planIssueSync(issue("closed", closedBody), {
        body: body("1 finding", SHA2, ["b"]),
        fingerprints: ["b"],
        hasFindings: true,
        sha: SHA2,
      });
      expect(action.kind).toBe("none");
    });

    it("is reopened and updated when there are findings it did not report", () => {
      const next = body("3 findings", SHA2, ["a", "b", "c", "d"]);
      const action = planIssueSync(issue("closed", closedBody, true), {
        body: next,
        fingerprints: ["a", "b", "c", "d", "c"],
        hasFindings: true,
        sha: SHA2,
      });
      expect(action).toEqual({ kind: "reopen", number: 7, body: next, newFindings: 2 });
    });

    it("is reopened for any finding when this App closed it because everything was fixed", () => {
      const action = planIssueSync(issue("closed", body("No findings", SHA1, []), false), {
        body: body("1 finding", SHA2, ["a"]),
        fingerprints: ["a"],
        hasFindings: true,
        sha: SHA2,
      });
      expect(action).toMatchObject({ kind: "reopen", newFindings: 1 });
    });

    it("does not call new what a partial state cannot speak for", () => {
      // The closed issue recorded only the smallest fingerprints (a, b) of 4.
      const partial = body("4 findings", SHA1, ["a", "b"], 4);
      const quiet = planIssueSync(issue("closed", partial, true), {
        body: body("x", SHA2, ["c", "d"]),
        fingerprints: ["c", "d"],
        hasFindings: true,
        sha: SHA2,
      });
      expect(quiet.kind).toBe("none");
      const louder = planIssueSync(issue("closed", partial, true), {
        body: body("x", SHA2, ["a", "aa"]),
        fingerprints: ["a", "aa"],
        hasFindings: true,
        sha: SHA2,
      });
      expect(louder).toMatchObject({ kind: "reopen", newFindings: 1 });
    });

    it("is reopened when its body has no readable state", () => {
      const action = planIssueSync(issue("closed", `${REPORT_MARKER}\nedited`, true), {
        body: body("1 finding", SHA2, ["a"]),
        fingerprints: ["a"],
        hasFindings: true,
        sha: SHA2,
      });
      expect(action.kind).toBe("reopen");
    });

    it("does nothing for a clean scan", () => {
      const action = planIssueSync(issue("closed", closedBody, true), {
        body: body("No findings", SHA2, []),
        fingerprints: [],
        hasFindings: false,
        sha: SHA2,
      });
      expect(action.kind).toBe("none");
    });
  });
});
