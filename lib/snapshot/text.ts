/** Deciding whether bytes are a text file we can analyse, and decoding them. */

/** How far to look for a NUL byte: the same heuristic git and grep use. */
const BINARY_SNIFF_BYTES = 8 * 1024;

const UTF8_BOM_LENGTH = 3;

export interface DecodedText {
  text: string;
  /** Length of the text in UTF-8 bytes (without a BOM). */
  bytes: number;
}

/**
 * Returns the text, BOM stripped, or null when the content is binary: a NUL byte in the
 * first 8 KiB, or anything that is not valid UTF-8 (images, archives, UTF-16 files).
 */
export function decodeText(data: Uint8Array): DecodedText | null {
  const sniff = Math.min(data.length, BINARY_SNIFF_BYTES);
  for (let i = 0; i < sniff; i++) {
    if (data[i] === 0) return null;
  }
  let text: string;
  try {
    // ignoreBOM: false makes the decoder drop a leading BOM.
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(data);
  } catch {
    return null;
  }
  const hasBom = data.length >= UTF8_BOM_LENGTH && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf;
  return { text, bytes: data.length - (hasBom ? UTF8_BOM_LENGTH : 0) };
}
