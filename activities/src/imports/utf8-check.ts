import { isUtf8 } from 'node:buffer';

const EMPTY = Buffer.alloc(0);

/**
 * Checks that a byte stream is UTF-8, chunk by chunk, without decoding it: the native `isUtf8`
 * scan is many times cheaper than a fatal TextDecoder, which builds a string of the whole file
 * only to throw it away. A character split between two chunks is carried over and checked whole.
 */
export class Utf8Check {
  /** The start of a character that the last chunk cut off (at most 3 bytes). */
  private carry: Buffer = EMPTY;

  /**
   * Where in `chunk` the bytes stop being UTF-8 (0 when the character carried over from the last
   * chunk is broken), or -1 when they are fine so far; an unfinished last character waits for the next chunk.
   */
  write(chunk: Buffer): number {
    let start = 0;
    if (this.carry.length > 0) {
      const need = sequenceLength(this.carry[0] ?? 0) - this.carry.length;
      if (chunk.length < need) {
        this.carry = Buffer.concat([this.carry, chunk]);
        return chunk.every(isContinuation) ? -1 : 0;
      }
      if (!isUtf8(Buffer.concat([this.carry, chunk.subarray(0, need)]))) return 0;
      this.carry = EMPTY;
      start = need;
    }
    const end = chunk.length - unfinishedTail(chunk, start);
    if (!isUtf8(chunk.subarray(start, end))) return start + firstInvalid(chunk.subarray(start, end));
    // A copy: the chunk's memory may be reused by the stream once this returns.
    if (end < chunk.length) this.carry = Buffer.from(chunk.subarray(end));
    return -1;
  }

  /** False when the stream stopped in the middle of a character. */
  end(): boolean {
    return this.carry.length === 0;
  }
}

const isContinuation = (byte: number) => byte >> 6 === 0b10;

/** The length a lead byte announces; 1 for ASCII and for bytes that cannot start a character (isUtf8 refuses those). */
function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 1;
}

/** How many bytes at the end of `chunk` (from `start` on) begin a character that the chunk does not finish. */
function unfinishedTail(chunk: Buffer, start: number): number {
  for (let back = 1; back <= 3 && chunk.length - back >= start; back++) {
    const byte = chunk[chunk.length - back] ?? 0;
    if (isContinuation(byte)) continue;
    return sequenceLength(byte) > back ? back : 0;
  }
  return 0;
}

/** The first byte of the first broken character in `bytes`, which start and end on character boundaries. */
function firstInvalid(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] ?? 0;
    const length = sequenceLength(lead);
    // A byte that is neither ASCII nor a lead byte is broken by itself.
    if ((length === 1 && lead >= 0x80) || !isUtf8(bytes.subarray(i, i + length))) return i;
    i += length;
  }
  return bytes.length;
}
