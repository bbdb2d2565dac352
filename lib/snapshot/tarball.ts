import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { extract as createExtract } from "tar-stream";
import type { ExtractEvents, Header } from "tar-stream";
import type { RepoSnapshot, SnapshotLimits } from "./types.js";
import { SnapshotBuilder } from "./builder.js";
import type { EntryKind } from "./builder.js";
import { normaliseEntryPath } from "./paths.js";

export interface TarballSnapshotOptions {
  limits?: Partial<SnapshotLimits>;
  /**
   * Most bytes read from the (decompressed) archive, skipped entries included. Bounds the
   * work a gzip bomb can cause. Default: 8 x limits.maxTotalBytes, plus 2 KiB of tar framing
   * (header and padding) per file allowed by limits.maxFiles.
   */
  maxArchiveBytes?: number;
}

export type TarballInput = Uint8Array | ArrayBuffer | AsyncIterable<Uint8Array>;

const ARCHIVE_READ_FACTOR = 8;
const TAR_FRAMING_PER_FILE = 2048;
const SLICE_BYTES = 64 * 1024;

type EntryStream = ExtractEvents["entry"][1];

/** GitHub names the single top-level folder `owner-repo-<sha>`. */
const GITHUB_TOP_FOLDER = /^[^/]+-[0-9a-f]{7,40}$/;

/**
 * Reads a tar or gzipped tar (as GitHub's tarball endpoint returns it) into a RepoSnapshot,
 * entirely in memory. The single top-level folder is stripped. Gzip is recognised by its
 * magic bytes, so a plain tar works too. A corrupt or truncated archive rejects with an Error
 * whose message starts with "invalid archive".
 */
export async function snapshotFromTarball(data: TarballInput, opts: TarballSnapshotOptions = {}): Promise<RepoSnapshot> {
  const builder = new SnapshotBuilder(opts.limits);
  const { maxTotalBytes, maxFiles } = builder.limits;
  const readCap = opts.maxArchiveBytes ?? ARCHIVE_READ_FACTOR * maxTotalBytes + TAR_FRAMING_PER_FILE * maxFiles;
  let sourceError: unknown = undefined;
  const input = toChunks(data, (error) => {
    sourceError = error;
  });
  let sniffed;
  try {
    sniffed = await sniff(input);
  } catch (error) {
    throw error === sourceError ? error : invalidArchive(error);
  }
  const { gzipped, chunks, empty } = sniffed;
  if (empty) throw new Error("invalid archive: no data");

  const source = gzipped ? gunzip(chunks) : chunks;
  const reader = new ArchiveReader(builder);
  let read = 0;
  try {
    for await (const chunk of source) {
      read += chunk.length;
      if (read > readCap) {
        // Stop decompressing: the rest of the archive is not read, and the snapshot says so.
        builder.stop("total-size-cap", reader.currentEntry ?? "(archive read limit)");
        reader.abandon();
        return builder.finish();
      }
      await reader.write(chunk);
    }
    await reader.end();
  } catch (error) {
    reader.abandon();
    throw error === sourceError ? error : invalidArchive(error);
  }
  return builder.finish();
}

function invalidArchive(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  return new Error(`invalid archive: ${message}`, { cause: error });
}

/** Feeds bytes to tar-stream's parser and routes its entries to the builder. */
class ArchiveReader {
  /** Path of the entry being read, for notes. */
  currentEntry: string | null = null;
  private readonly extract = createExtract();
  private readonly finished: Promise<void>;
  private failure: Error | null = null;
  /** undefined: not decided yet; null: no top-level folder to strip. */
  private topFolder: string | null | undefined = undefined;

  constructor(private readonly builder: SnapshotBuilder) {
    this.finished = new Promise<void>((resolve, reject) => {
      this.extract.on("entry", (header, stream, next) => this.onEntry(header, stream, next));
      this.extract.on("finish", () => resolve());
      this.extract.on("error", (error: Error) => {
        this.failure = error;
        reject(error);
      });
      this.extract.on("close", () => reject(this.failure ?? new Error("archive reader closed early")));
    });
    // abandon() destroys the parser; nobody waits for this promise then.
    this.finished.catch(() => undefined);
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.extract.write(chunk)) await this.drained();
    if (this.failure) throw this.failure;
  }

  async end(): Promise<void> {
    this.extract.end(undefined);
    await this.finished;
  }

  abandon(): void {
    this.extract.destroy();
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.extract.off("drain", done);
        this.extract.off("close", done);
        this.extract.off("error", done);
        resolve();
      };
      this.extract.on("drain", done);
      this.extract.on("close", done);
      this.extract.on("error", done);
    });
  }

  private onEntry(header: Header, stream: EntryStream, next: () => void): void {
    const name = this.relativeName(header.name);
    this.currentEntry = name;
    const kind = kindOf(header);
    if (name === null) this.builder.rejectUnsafe(header.name);
    const path = name === null ? null : this.builder.offer(name, kind, header.size ?? 0);
    const wanted = path !== null && kind === "file";
    const limit = path === null ? 0 : this.builder.maxBytesFor(path) + 1;
    const parts: Uint8Array[] = [];
    let length = 0;
    stream.on("data", (data: unknown) => {
      const chunk = data as Uint8Array;
      if (!wanted) return;
      // Keep one byte past the limit so accept() can tell the header lied about the size.
      if (length < limit) parts.push(chunk.subarray(0, limit - length));
      length += chunk.length;
    });
    stream.on("end", () => {
      if (wanted) this.builder.accept(path, Buffer.concat(parts));
      this.currentEntry = null;
      next();
    });
    stream.on("error", () => undefined); // the parser's own error event reports it
    stream.resume();
  }

  /**
   * Strips the top-level folder. It is recognised from the first entry: a lone directory
   * (`owner-repo-sha/`, what GitHub and `git archive --prefix` produce) or a first segment
   * shaped like GitHub's. Entries outside that folder then count as unsafe: they do not
   * belong to the repository. Returns null for such an entry.
   */
  private relativeName(raw: string): string | null {
    if (this.topFolder === undefined) this.topFolder = topFolderOf(raw);
    if (this.topFolder === null) return raw;
    const normalised = normaliseEntryPath(raw);
    if (!normalised.ok) return raw; // left for the builder to reject and note
    const path = normalised.path;
    if (path === this.topFolder) return "";
    if (path.startsWith(`${this.topFolder}/`)) return path.slice(this.topFolder.length + 1);
    return null;
  }
}

function topFolderOf(firstName: string): string | null {
  const normalised = normaliseEntryPath(firstName);
  if (!normalised.ok || normalised.path === "") return null;
  const segments = normalised.path.split("/");
  const first = segments[0] as string;
  if (segments.length === 1 && firstName.endsWith("/")) return first;
  if (GITHUB_TOP_FOLDER.test(first) && segments.length > 1) return first;
  return null;
}

function kindOf(header: Header): EntryKind {
  switch (header.type) {
    case "file":
    case "contiguous-file":
      return "file";
    case "directory":
      return "directory";
    case "symlink":
      return "symlink";
    case "link":
      return "hardlink";
    default:
      return "other";
  }
}

/**
 * Normalises the input to a chunk stream. An error thrown by the caller's own stream (a
 * download cap, a network failure) is passed to `onSourceError` so that it can be rethrown
 * unchanged instead of being reported as an invalid archive.
 */
async function* toChunks(data: TarballInput, onSourceError: (error: unknown) => void): AsyncGenerator<Uint8Array> {
  if (data instanceof Uint8Array || data instanceof ArrayBuffer) {
    // Slices (no copy), so the archive read limit applies at a fine grain to one big buffer.
    const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
    for (let offset = 0; offset < bytes.length; offset += SLICE_BYTES) {
      yield bytes.subarray(offset, offset + SLICE_BYTES);
    }
    return;
  }
  const iterator = data[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<Uint8Array>;
    try {
      next = await iterator.next();
    } catch (error) {
      onSourceError(error);
      throw error;
    }
    if (next.done) return;
    if (!(next.value instanceof Uint8Array)) throw new Error("stream yielded a non-binary chunk");
    if (next.value.length > 0) yield next.value;
  }
}

/** Looks at the first two bytes for the gzip magic number without losing them. */
async function sniff(
  source: AsyncGenerator<Uint8Array>,
): Promise<{ gzipped: boolean; chunks: AsyncGenerator<Uint8Array>; empty: boolean }> {
  const head: Uint8Array[] = [];
  let headLength = 0;
  while (headLength < 2) {
    const next = await source.next();
    if (next.done) break;
    head.push(next.value);
    headLength += next.value.length;
  }
  const first = Buffer.concat(head);
  async function* replay(): AsyncGenerator<Uint8Array> {
    if (first.length > 0) yield first;
    yield* source;
  }
  return { gzipped: first[0] === 0x1f && first[1] === 0x8b, chunks: replay(), empty: first.length === 0 };
}

/** Inflates a gzip stream; truncated or corrupt data throws from the iterator. */
async function* gunzip(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const input = Readable.from(source, { objectMode: false });
  const inflater = createGunzip();
  input.on("error", (error) => inflater.destroy(error));
  input.pipe(inflater);
  try {
    for await (const chunk of inflater) yield chunk as Uint8Array;
  } finally {
    input.destroy();
    inflater.destroy();
  }
}
