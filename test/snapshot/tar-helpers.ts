import { gzipSync } from "node:zlib";
import { pack } from "tar-stream";
import type { Header } from "tar-stream";

export interface TarEntry {
  header: Partial<Header> & { name: string };
  content?: string | Uint8Array;
}

/** Builds a tar archive in memory, as tar-stream writes it. */
export async function buildTar(entries: TarEntry[], options: { paxGlobal?: Record<string, string> } = {}): Promise<Buffer> {
  const archive = pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of archive) chunks.push(chunk as Buffer);
  })();
  for (const entry of entries) {
    await addEntry(archive, entry.header, entry.content);
  }
  archive.finalize();
  await collected;
  const body = Buffer.concat(chunks);
  return options.paxGlobal ? Buffer.concat([await paxGlobalHeader(options.paxGlobal), body]) : body;
}

/**
 * A pax global extended header (typeflag `g`), as `git archive` writes first with the commit id.
 * tar-stream cannot write one, so a file header is written and its typeflag patched.
 */
async function paxGlobalHeader(records: Record<string, string>): Promise<Buffer> {
  let payload = "";
  for (const [key, value] of Object.entries(records)) {
    const line = ` ${key}=${value}\n`;
    let length = line.length;
    while (`${length}${line}`.length !== length) length = `${length}${line}`.length;
    payload += `${length}${line}`;
  }
  const archive = pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of archive) chunks.push(chunk as Buffer);
  })();
  await addEntry(archive, { name: "pax_global_header", type: "file" }, payload);
  archive.finalize();
  await collected;
  const raw = Buffer.concat(chunks);
  const entryLength = 512 + Math.ceil(payload.length / 512) * 512;
  const entry = Buffer.from(raw.subarray(0, entryLength));
  entry[156] = "g".charCodeAt(0);
  entry.fill(" ", 148, 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += entry[i] as number;
  entry.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "latin1");
  return entry;
}

function addEntry(archive: ReturnType<typeof pack>, header: Partial<Header> & { name: string }, content?: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error | null): void => (error ? reject(error) : resolve());
    if (content === undefined) archive.entry(header, done);
    else archive.entry(header, typeof content === "string" ? Buffer.from(content) : content, done);
  });
}

export async function buildTarGz(entries: TarEntry[], options: { paxGlobal?: Record<string, string> } = {}): Promise<Buffer> {
  return gzipSync(await buildTar(entries, options));
}

/** The layout GitHub's tarball endpoint uses: one `owner-repo-sha/` folder around everything. */
export const TOP = "acme-weather-mcp-0123456789abcdef0123456789abcdef01234567";

export function file(path: string, content: string | Uint8Array): TarEntry {
  return { header: { name: `${TOP}/${path}`, type: "file" }, content };
}

export function dir(path: string): TarEntry {
  return { header: { name: `${TOP}/${path}/`, type: "directory" } };
}

export async function* chunked(data: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < data.length; offset += size) yield data.subarray(offset, offset + size);
}
