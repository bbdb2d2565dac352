/** Reading a repository: its default branch head and its contents at one commit. */
import { snapshotFromTarball } from "../../lib/snapshot/index.js";
import type { RepoSnapshot } from "../../lib/snapshot/types.js";
import { statusOf } from "./errors.js";
import type { Octokit, RepoRef } from "./types.js";

/** Compressed download cap: beyond it the repository is too large to scan in memory. */
export const DEFAULT_MAX_TARBALL_BYTES = 512 * 1024 * 1024;

export class TarballTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`repository archive is larger than ${Math.round(limit / (1024 * 1024))} MiB; not scanned`);
    this.name = "TarballTooLargeError";
  }
}

export type DefaultHead =
  | { ok: true; branch: string; sha: string }
  | { ok: false; reason: string };

/**
 * The default branch and its head commit. Installation payloads list repositories without
 * either, so they are looked up when the scan runs (not in the webhook handler, which must
 * answer GitHub quickly).
 */
export async function resolveDefaultHead(octokit: Octokit, ref: RepoRef): Promise<DefaultHead> {
  const { data: repository } = await octokit.rest.repos.get({ owner: ref.owner, repo: ref.repo });
  if (repository.archived) return { ok: false, reason: "repository is archived (read-only: no issue can be filed)" };
  const branch = repository.default_branch;
  if (!branch) return { ok: false, reason: "repository has no default branch" };
  try {
    const { data } = await octokit.rest.git.getRef({ ...ref, ref: `heads/${branch}` });
    return { ok: true, branch, sha: data.object.sha };
  } catch (error) {
    // 409: "Git Repository is empty"; 404: the branch does not exist yet.
    const status = statusOf(error);
    if (status === 409 || status === 404) return { ok: false, reason: "repository is empty" };
    throw error;
  }
}

/**
 * The repository at `sha`, in ONE API call. The archive is streamed straight into the
 * in-memory snapshot: nothing is written to disk, and the snapshot's own limits decide what
 * is kept. The compressed size is capped as well so a huge repository cannot exhaust memory.
 */
export async function downloadSnapshot(
  octokit: Octokit,
  ref: RepoRef,
  sha: string,
  maxBytes: number = DEFAULT_MAX_TARBALL_BYTES,
): Promise<RepoSnapshot> {
  // api.github.com answers with a redirect to codeload.github.com, which fetch follows.
  const response = await octokit.rest.repos.downloadTarballArchive({
    ...ref,
    ref: sha,
    request: { parseSuccessResponseBody: false },
  });
  return snapshotFromTarball(capped(toChunks(response.data as unknown), maxBytes));
}

async function* toChunks(data: unknown): AsyncIterable<Uint8Array> {
  if (data instanceof ArrayBuffer) {
    yield new Uint8Array(data);
  } else if (data instanceof Uint8Array) {
    yield data;
  } else if (data && typeof (data as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === "function") {
    yield* data as AsyncIterable<Uint8Array>;
  } else if (typeof data === "string") {
    // Should not happen for a binary archive; handled so the snapshot stage reports it as invalid.
    yield new TextEncoder().encode(data);
  } else {
    throw new Error("tarball download returned no body");
  }
}

async function* capped(chunks: AsyncIterable<Uint8Array>, maxBytes: number): AsyncIterable<Uint8Array> {
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.byteLength;
    if (total > maxBytes) throw new TarballTooLargeError(maxBytes);
    yield chunk;
  }
}
