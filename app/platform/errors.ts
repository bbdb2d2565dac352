import { redact } from "../../lib/redact.js";

/** HTTP status of an octokit RequestError, or undefined for anything else. */
export function statusOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const status = (error as { status?: unknown }).status;
  return typeof status === "number" ? status : undefined;
}

/**
 * What is safe to log about an error: message and status only. Octokit errors also carry the
 * request (URL, headers) and response; we keep those out of the logs.
 */
export function describeError(error: unknown): { message: string; status?: number } {
  // Parser errors quote the file they failed on (js-yaml prints the lines around the error).
  const message = redact((error instanceof Error ? error.message : String(error)).slice(0, 2_000));
  const status = statusOf(error);
  // Messages are usually short; a hostile response body must not flood the logs.
  const short = message.length > 500 ? `${message.slice(0, 500)}…` : message;
  return status === undefined ? { message: short } : { message: short, status };
}
