import { BadRequestException, UnsupportedMediaTypeException } from '@nestjs/common';
import * as iconv from 'iconv-lite';
import { isAscii, isUtf8 } from 'node:buffer';
import { rejectBinarySignature } from './binary-signatures';
import { guessLegacyEncoding, type LegacyEncoding } from './legacy-encoding';

/**
 * An encoding's name: the auto-detection answers utf-8, utf-16le, utf-16be, windows-1252 or
 * macintosh; an explicit `encoding` may name any iconv-lite one.
 */
export type DetectedEncoding = string;

/** What went wrong decoding, for the import's warnings (a forced encoding) or a 400 (a detected one). */
export interface DecodingIssues {
  warnings: string[];
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Turns a file's bytes, in whatever encoding Excel, a CRM or Google Sheets wrote, into UTF-8
 * bytes for the CSV parser.
 *
 * Auto-detection, in order: a BOM (UTF-8, UTF-16LE/BE); UTF-16 without BOM when every other byte
 * of the start is NUL; else strict UTF-8, decided by the first chunk holding a non-ASCII byte: if
 * that chunk is UTF-8 (valid, or nearly: more valid multi-byte sequences than stray bytes) the
 * file is UTF-8 (a stray invalid byte is read as Windows-1252 on its own, with a warning naming
 * its offset), otherwise the whole file is Windows-1252 or Mac Roman (guessLegacyEncoding)
 * through iconv-lite (Node's own decoder maps 0x80–0x9F wrongly). UTF-8 input passes through
 * without a copy.
 *
 * Never garbles silently: a byte the detected encoding cannot decode (Windows-1252's five
 * undefined bytes, broken UTF-16) is a 400 naming its offset; with a declared encoding it is a
 * warning instead (the user chose), and the character reads as U+FFFD.
 */
export class CsvTextDecoder {
  private body: ByteDecoder | null = null;
  private readonly issues: DecodingIssues = { warnings: [] };

  constructor(private readonly declared?: string) {}

  /** Things worth telling the user about how the file was decoded. */
  get warnings(): string[] {
    return this.issues.warnings;
  }

  /** What the file turned out to be (or was declared as); null before the first bytes. */
  get encoding(): DetectedEncoding | null {
    return this.body?.label() ?? null;
  }

  async *decode(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    let head: Buffer | null = Buffer.alloc(0);
    let offset = 0;
    for await (const raw of source) {
      let chunk = raw;
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
    const issues = this.issues;
    if (this.declared) {
      return isUtf8Name(this.declared)
        ? new Utf8Decoder('utf-8', issues, true)
        : new IconvDecoder(this.declared, issues, true);
    }
    if (head.subarray(0, 3).equals(UTF8_BOM)) return new Utf8Decoder('utf-8', issues, false);
    if (head[0] === 0xff && head[1] === 0xfe) return new IconvDecoder('utf-16le', issues, false);
    if (head[0] === 0xfe && head[1] === 0xff) return new IconvDecoder('utf-16be', issues, false);
    const utf16 = sniffUtf16WithoutBom(head);
    if (utf16) return new IconvDecoder(utf16, issues, false);
    return new Utf8Decoder('undecided', issues, false);
  }
}

/**
 * A byte the encoding cannot read: a warning when the encoding was declared (the user chose),
 * else a 400 (the detection was wrong, and guessing further would garble the file).
 */
function undecodable(
  issues: DecodingIssues,
  declared: boolean,
  encoding: string,
  offset: number,
): void {
  const what = `byte ${offset} of the file cannot be read as ${encoding}`;
  if (!declared) {
    throw new BadRequestException({
      message: `The file's encoding looks like ${encoding}, but ${what}: pass the encoding query parameter (utf-8, windows-1252, macintosh, iso-8859-15…)`,
      details: [{ field: 'encoding', message: what }],
    });
  }
  if (issues.warnings.length < 5) {
    issues.warnings.push(
      `${what} (encoding=${encoding} was given): such characters read as U+FFFD (�)`,
    );
  }
}

/** Where a decoded chunk holds U+FFFD or a lone surrogate (what a decoder makes of bytes it cannot read), or -1. */
const UNREADABLE = /\ufffd|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

interface ByteDecoder {
  write(chunk: Buffer): Buffer;
  end(): Buffer;
  label(): DetectedEncoding;
}

class IconvDecoder implements ByteDecoder {
  private readonly decoder: iconv.DecoderStream;
  private consumed = 0;
  private flagged = false;
  /** Bytes per decoded UTF-16 unit, to turn a position in the text into a byte offset (approximately for multi-byte encodings). */
  private readonly unitBytes: number;

  constructor(
    private readonly name: string,
    private readonly issues: DecodingIssues,
    private readonly declared: boolean,
  ) {
    // iconv-lite strips a leading BOM by default.
    this.decoder = iconv.getDecoder(name);
    this.unitBytes = /^utf-?16/i.test(name) ? 2 : 1;
  }

  label(): DetectedEncoding {
    return this.name.toLowerCase();
  }

  write(chunk: Buffer): Buffer {
    const text = this.decoder.write(chunk);
    this.check(text, this.consumed);
    this.consumed += chunk.length;
    return Buffer.from(text, 'utf8');
  }

  end(): Buffer {
    const text = this.decoder.end() ?? '';
    this.check(text, this.consumed);
    return Buffer.from(text, 'utf8');
  }

  private check(text: string, base: number): void {
    if (this.flagged) return;
    const at = text.search(UNREADABLE);
    if (at < 0) return;
    this.flagged = true;
    undecodable(this.issues, this.declared, this.label(), base + at * this.unitBytes);
  }
}

/**
 * UTF-8 with validation across chunk boundaries. `undecided` means only ASCII was seen so far;
 * the first chunk with a non-ASCII byte settles between UTF-8 and a single-byte encoding.
 */
class Utf8Decoder implements ByteDecoder {
  private carry: Buffer | null = null;
  private bomChecked = false;
  /** Bytes of the file handed to write() so far. */
  private consumed = 0;
  private sawCr = false;
  private sawLf = false;
  private strays = 0;

  constructor(
    private mode: 'undecided' | 'utf-8' | LegacyEncoding,
    private readonly issues: DecodingIssues,
    private readonly declared: boolean,
  ) {}

  label(): DetectedEncoding {
    return this.mode === 'undecided' ? 'utf-8' : this.mode;
  }

  write(chunk: Buffer): Buffer {
    // The file offset of buf[0]: carried bytes came before this chunk.
    let base = this.consumed - (this.carry?.length ?? 0);
    this.consumed += chunk.length;
    let buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = null;
    if (!this.bomChecked && buf.length >= 3) {
      this.bomChecked = true;
      if (buf.subarray(0, 3).equals(UTF8_BOM)) {
        buf = buf.subarray(3);
        base += 3;
      }
    }
    if (this.mode !== 'undecided' && this.mode !== 'utf-8') return this.legacy(buf, base);
    const cut = incompleteTailStart(buf);
    if (cut < buf.length) {
      this.carry = Buffer.from(buf.subarray(cut));
      buf = buf.subarray(0, cut);
    }
    return this.settle(buf, base);
  }

  end(): Buffer {
    const rest = this.carry ?? Buffer.alloc(0);
    const base = this.consumed - rest.length;
    this.carry = null;
    if (this.mode === 'undecided') {
      if (rest.length === 0) return rest;
      this.mode = 'windows-1252';
    }
    if (this.mode !== 'utf-8') return this.legacy(rest, base);
    return this.repair(rest, base);
  }

  private settle(buf: Buffer, base: number): Buffer {
    if (this.mode === 'undecided') {
      if (isAscii(buf)) {
        this.sawCr ||= buf.includes(0x0d);
        this.sawLf ||= buf.includes(0x0a);
        return buf;
      }
      if (isUtf8(buf)) {
        this.mode = 'utf-8';
        return buf;
      }
      if (mostlyUtf8(buf)) {
        this.mode = 'utf-8';
        return this.repair(buf, base);
      }
      this.sawCr ||= buf.includes(0x0d);
      this.sawLf ||= buf.includes(0x0a);
      this.mode = guessLegacyEncoding(buf, this.sawCr && !this.sawLf);
      const carried = this.carry;
      this.carry = null;
      return this.legacy(carried ? Buffer.concat([buf, carried]) : buf, base);
    }
    return isUtf8(buf) ? buf : this.repair(buf, base);
  }

  private legacy(buf: Buffer, base: number): Buffer {
    if (buf.length === 0 || isAscii(buf)) return buf;
    const text = iconv.decode(buf, this.mode);
    // Single-byte: the n-th character is the n-th byte.
    const at = text.indexOf('\ufffd');
    if (at >= 0 && this.strays++ === 0)
      undecodable(this.issues, this.declared, this.mode, base + at);
    return Buffer.from(text, 'utf8');
  }

  /** UTF-8 in which a few bytes are not: valid sequences are kept, each stray byte is read as Windows-1252. */
  private repair(buf: Buffer, base: number): Buffer {
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
      const char = iconv.decode(buf.subarray(i, i + 1), 'windows-1252');
      this.noteStray(base + i, buf[i], char);
      parts.push(Buffer.from(char, 'utf8'));
      i += 1;
      start = i;
    }
    if (start < buf.length) parts.push(buf.subarray(start));
    return Buffer.concat(parts);
  }

  private noteStray(offset: number, byte: number, char: string): void {
    this.strays++;
    if (this.issues.warnings.length >= 5) return;
    const hex = byte.toString(16).toUpperCase().padStart(2, '0');
    this.issues.warnings.push(
      `byte ${offset} of the file (0x${hex}) is not UTF-8 though the file is: read as the Windows-1252 character ${JSON.stringify(char)}; check that row`,
    );
  }
}

/**
 * A chunk that is not valid UTF-8 but holds more valid multi-byte sequences than stray bytes:
 * a UTF-8 file with a few foreign bytes, which a single-byte reading would turn into `Ã©`.
 */
function mostlyUtf8(buf: Buffer): boolean {
  let sequences = 0;
  let strays = 0;
  for (let i = 0; i < buf.length;) {
    if (buf[i] < 0x80) {
      i++;
      continue;
    }
    const len = validSequenceLength(buf, i);
    if (len > 0) {
      sequences++;
      i += len;
    } else {
      strays++;
      i++;
    }
  }
  return sequences >= 2 && sequences > strays;
}

function isUtf8Name(name: string): boolean {
  return /^utf-?8$/i.test(name);
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
