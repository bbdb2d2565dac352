import { describeError } from "../../app/platform/errors.js";

describe("describeError", () => {
  it("keeps the message and status, not the request", () => {
    const error = Object.assign(new Error("Not Found"), { status: 404, request: { headers: { authorization: "token x" } } });
    expect(describeError(error)).toEqual({ message: "Not Found", status: 404 });
  });

  it("redacts a secret that a parser's message quotes from the file", () => {
    const token = "ghp_" + "K3j4H5g6F7".repeat(4);
    const yamlError = new Error(`bad indentation of a mapping entry (2:6)\n\n 1 | token: ${token}\n 2 |   bad: [\n----------^`);
    const { message } = describeError(yamlError);
    expect(message).not.toContain(token);
    expect(message).toContain("ghp_…[redacted, 44 chars]");
  });

  it("clips a huge message", () => {
    expect(describeError("x".repeat(100_000)).message.length).toBeLessThanOrEqual(501);
  });
});
