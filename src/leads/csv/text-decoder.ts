import { UnsupportedMediaTypeException } from '@nestjs/common';
import * as iconv from 'iconv-lite';
import { isAscii, isUtf8 } from 'node:buffer';
import { rejectBinarySignature } from './binary-signatures';

/** Encodings the auto-detection can answer; an explicit `encoding` may name any iconv-lite one. */
export type DetectedEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' | string;

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Turns a file's bytes, in whatever encoding Excel, a CRM or Google Sheets wrote, into UTF-8
 * bytes for the CSV parser.
 *
 * Auto-detection, in order: a BOM (UTF-8, UTF-16LE/BE); UTF-16 without BOM when every other byte
 * of the start is NUL; else strict UTF-8, decided by the first chunk holding a non-ASCII byte: if
 * that chunk is valid UTF-8 the file is UTF-8 (a later stray invalid byte is read as
 * Windows-1252 on its own), otherwise the whole file is Windows-1252 through iconv-lite (Node's
 * own decoder maps 0x80–0x9F wrongly). UTF-8 input passes through without a copy.
 */
export class CsvTextDecoder {
  private body: ByteDecoder | null = null;

  constructor(private readonly declared?: string) {}

  /** What the file turned out to be (or was declared as); null before the first bytes. */
  get encoding(): DetectedEncoding | null {
    return this.body?.label() ?? null;
  }

  async *decode(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    let head: Buffer | null = Buffer.alloc(0);
    let offset = 0;
    for await (const raw of source) {
      let chunk = raw as Buffer;
      if (head) {
        // Gather enough bytes to read a BOM or a binary signature before deciding anything.
        head = Buffer.concat([head, chunk]);
        if (head.length < 8) continue;
        chunk = head;
        head = null;
        this.body = this.start(chunk);
      }
      const out = this.body!.write(chunk);
      if (out.length > 0) yield checkText(out, offset);
      offset += out.length;
    }
    if (head) {
      if (head.length === 0) return;
      this.body = this.start(head);
      const out = this.body.write(head);
      if (out.length > 0) yield checkText(out, offset);
      offset += out.length;
    }
    const tail = this.body!.end();
    if (tail.length > 0) yield checkText(tail, offset);
  }

  private start(head: Buffer): ByteDecoder {
    rejectBinarySignature(head);
    if (this.declared) {
      return isUtf8Name(this.declared) ? new Utf8Decoder('utf-8') : new IconvDecoder(this.declared);
    }
    if (head.subarray(0, 3).equals(UTF8_BOM)) return new Utf8Decoder('utf-8');
    if (head[0] === 0xff && head[1] === 0xfe) return new IconvDecoder('utf-16le');
    if (head[0] === 0xfe && head[1] === 0xff) return new IconvDecoder('utf-16be');
    const utf16 = sniffUtf16WithoutBom(head);
    if (utf16) return new IconvDecoder(utf16);
    return new Utf8Decoder('undecided');
  }
}

interface ByteDecoder {
  write(chunk: Buffer): Buffer;
  end(): Buffer;
  label(): DetectedEncoding;
}

class IconvDecoder implements ByteDecoder {
  private readonly decoder: iconv.DecoderStream;

  constructor(private readonly name: string) {
    // iconv-lite strips a leading BOM by default.
    this.decoder = iconv.getDecoder(name);
  }

  label(): DetectedEncoding {
    return this.name.toLowerCase();
  }

  write(chunk: Buffer): Buffer {
    return Buffer.from(this.decoder.write(chunk), 'utf8');
  }

  end(): Buffer {
    return Buffer.from(this.decoder.end() ?? '', 'utf8');
  }
}

/**
 * UTF-8 with validation across chunk boundaries. `undecided` means only ASCII was seen so far;
 * the first chunk with a non-ASCII byte settles between UTF-8 and Windows-1252.
 */
class Utf8Decoder implements ByteDecoder {
  private carry: Buffer | null = null;
  private bomChecked = false;

  constructor(private mode: 'undecided' | 'utf-8' | 'windows-1252') {}

  label(): DetectedEncoding {
    return this.mode === 'windows-1252' ? 'windows-1252' : 'utf-8';
  }

  write(chunk: Buffer): Buffer {
    let buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = null;
    if (!this.bomChecked && buf.length >= 3) {
      this.bomChecked = true;
      if (buf.subarray(0, 3).equals(UTF8_BOM)) buf = buf.subarray(3);
    }
    if (this.mode === 'windows-1252') return fromWindows1252(buf);
    const cut = incompleteTailStart(buf);
    if (cut < buf.length) {
      this.carry = Buffer.from(buf.subarray(cut));
      buf = buf.subarray(0, cut);
    }
    return this.settle(buf);
  }

  end(): Buffer {
    const rest = this.carry ?? Buffer.alloc(0);
    this.carry = null;
    if (this.mode === 'windows-1252' || this.mode === 'undecided') {
      if (rest.length > 0) this.mode = 'windows-1252';
      return fromWindows1252(rest);
    }
    return repairMixed(rest);
  }

  private settle(buf: Buffer): Buffer {
    if (this.mode === 'undecided') {
      if (isAscii(buf)) return buf;
      if (isUtf8(buf)) {
        this.mode = 'utf-8';
        return buf;
      }
      this.mode = 'windows-1252';
      const carried = this.carry;
      this.carry = null;
      return fromWindows1252(carried ? Buffer.concat([buf, carried]) : buf);
    }
    return isUtf8(buf) ? buf : repairMixed(buf);
  }
}

function isUtf8Name(name: string): boolean {
  return /^utf-?8$/i.test(name);
}

function fromWindows1252(buf: Buffer): Buffer {
  if (buf.length === 0 || isAscii(buf)) return buf;
  return Buffer.from(iconv.decode(buf, 'windows-1252'), 'utf8');
}

/** Where a multi-byte sequence cut by the chunk's end begins (buf.length when none is). */
function incompleteTailStart(buf: Buffer): number {
  const n = buf.length;
  for (let i = n - 1; i >= 0 && i >= n - 4; i--) {
    const b = buf[i];
    if (b < 0x80) return n;
    if (b >= 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return n - i < need ? i : n;
    }
  }
  return n;
}

/** UTF-8 in which a few bytes are not: valid sequences are kept, each stray byte is read as Windows-1252. */
function repairMixed(buf: Buffer): Buffer {
  const parts: Buffer[] = [];
  let start = 0;
  let i = 0;
  while (i < buf.length) {
    const len = validSequenceLength(buf, i);
    if (len > 0) {
      i += len;
      continue;
    }
    if (i > start) parts.push(buf.subarray(start, i));
    parts.push(Buffer.from(iconv.decode(buf.subarray(i, i + 1), 'windows-1252'), 'utf8'));
    i += 1;
    start = i;
  }
  if (start < buf.length) parts.push(buf.subarray(start));
  return Buffer.concat(parts);
}

function validSequenceLength(buf: Buffer, i: number): number {
  const b = buf[i];
  if (b < 0x80) return 1;
  const need =
    b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
  if (need === 0 || i + need > buf.length) return 0;
  return isUtf8(buf.subarray(i, i + need)) ? need : 0;
}

/**
 * UTF-16 text without a BOM shows NUL as every other byte of ASCII characters; Windows-1252 or
 * UTF-8 text never holds NUL.
 */
function sniffUtf16WithoutBom(head: Buffer): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(head.length, 512) & ~1;
  if (n < 8) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenNul++;
    if (head[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul >= pairs * 0.7 && evenNul === 0) return 'utf-16le';
  if (evenNul >= pairs * 0.7 && oddNul === 0) return 'utf-16be';
  return null;
}

/** A NUL character never belongs in a CSV: such a file is binary (or a misdeclared encoding). */
function checkText(out: Buffer, offset: number): Buffer {
  const nul = out.indexOf(0);
  if (nul !== -1) {
    throw new UnsupportedMediaTypeException(
      `The file holds binary data (a NUL character at byte ${offset + nul} of the decoded text), not CSV text. ` +
        'Export it from your spreadsheet as CSV.',
    );
  }
  return out;
}
