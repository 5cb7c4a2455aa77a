import {
  BadRequestException,
  PayloadTooLargeException,
  RequestTimeoutException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import busboy from 'busboy';
import type { Request } from 'express';
import { type Readable, Transform, type TransformCallback } from 'node:stream';

/** The client closed the connection before the whole file arrived (nobody is left to read the 400). */
export class UploadAbortedError extends BadRequestException {
  constructor() {
    super('The client closed the connection before the whole file was received');
  }
}

/** What one upload may take: its size, and how long its client may send nothing. */
export interface UploadLimits {
  maxBytes: number;
  idleTimeoutMs: number;
}

/** A CSV being received: its bytes as a stream, never held whole in memory. */
export interface Upload {
  /** From the multipart part, or the body's Content-Disposition; null when not given. */
  fileName: string | null;
  /** Fails with 413 past the size limit, or UploadAbortedError when the client goes away. */
  bytes: Readable;
  /** Multipart text fields sent before the file (`mapping`…); empty for a raw body. */
  fields: Record<string, string>;
  /** Detaches the request and lets Node discard the rest of its body, so an answer can be sent now. */
  discard(): void;
}

/** Content types sent for a raw CSV body (browsers send application/vnd.ms-excel for .csv on Windows). */
const RAW_CSV_TYPES = new Set([
  'text/csv',
  'application/csv',
  'text/x-csv',
  'application/x-csv',
  'text/comma-separated-values',
  'text/tab-separated-values',
  'text/plain',
  'application/octet-stream',
  'application/vnd.ms-excel',
]);

export const ACCEPTED_CONTENT_TYPES = ['multipart/form-data', ...RAW_CSV_TYPES];

function mediaType(req: Request): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/** Whether the request carries a file (multipart or a raw CSV body) rather than JSON. */
export function isFileUpload(req: Request): boolean {
  const type = mediaType(req);
  return type === 'multipart/form-data' || RAW_CSV_TYPES.has(type);
}

/**
 * Starts receiving the file of a request: a `multipart/form-data` field `file` (other parts are
 * skipped) or the raw body. Resolves once the file's bytes start (for multipart, when its part
 * begins). A body announced larger than the limit is refused before anything is read.
 */
export async function openUpload(req: Request, limits: UploadLimits): Promise<Upload> {
  const discard = () => {
    req.unpipe();
    if (!req.complete && !req.destroyed) req.resume();
  };
  try {
    return await startUpload(req, limits, discard);
  } catch (err) {
    discard();
    throw err;
  }
}

function startUpload(
  req: Request,
  { maxBytes, idleTimeoutMs }: UploadLimits,
  detach: () => void,
): Promise<Upload> {
  const type = mediaType(req);
  const limitMb = Math.round(maxBytes / (1024 * 1024));
  const declared = Number(req.headers['content-length'] ?? NaN);
  const tooLarge = () =>
    new PayloadTooLargeException(`The file is larger than the ${limitMb} MB limit (IMPORT_MAX_MB)`);
  const limiter = new ByteLimit(maxBytes, tooLarge);
  let stopWatchdog = () => undefined as void;
  const discard = () => {
    stopWatchdog();
    if (!limiter.destroyed) limiter.destroy();
    detach();
  };
  const watchAbort = (onAbort: (e: Error) => void) => {
    req.on('error', () => onAbort(new UploadAbortedError()));
    req.on('close', () => {
      stopWatchdog();
      if (!req.complete) onAbort(new UploadAbortedError());
    });
    stopWatchdog = watchIdleClient(req, idleTimeoutMs, () => onAbort(idleTimeout(idleTimeoutMs)));
  };

  if (type === 'multipart/form-data') {
    // The multipart envelope adds a little to the file itself.
    if (declared > maxBytes + 64 * 1024) return Promise.reject(tooLarge());
    return openMultipart(req, limiter, discard, watchAbort);
  }
  if (type !== '' && !RAW_CSV_TYPES.has(type)) {
    return Promise.reject(
      new UnsupportedMediaTypeException(
        `Content-Type ${type} is not accepted: send the CSV as multipart/form-data (field "file") or as a text/csv body`,
      ),
    );
  }
  if (declared > maxBytes) return Promise.reject(tooLarge());
  watchAbort((e) => {
    if (!limiter.destroyed) limiter.destroy(e);
  });
  req.pipe(limiter);
  return Promise.resolve({
    fileName: fileNameFromDisposition(req.headers['content-disposition']),
    bytes: limiter,
    fields: {},
    discard,
  });
}

function openMultipart(
  req: Request,
  limiter: ByteLimit,
  discard: () => void,
  watchAbort: (onAbort: (e: Error) => void) => void,
): Promise<Upload> {
  return new Promise((resolve, reject) => {
    let found = false;
    const fields: Record<string, string> = {};
    const fail = (e: Error) => {
      if (!found) reject(e);
      else if (!limiter.destroyed) limiter.destroy(e);
    };
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: { files: 5, fields: 50, parts: 60 },
      });
    } catch (e) {
      reject(new BadRequestException(`The multipart body cannot be read: ${(e as Error).message}`));
      return;
    }
    parser.on('file', (name, file, info) => {
      // A body cut inside a part makes busboy fail the part's stream: never leave that unheard.
      file.on('error', (e: Error) =>
        fail(new BadRequestException(`The multipart body cannot be read: ${e.message}`)),
      );
      if (name !== 'file' || found) {
        file.resume();
        return;
      }
      found = true;
      file.pipe(limiter);
      resolve({ fileName: info.filename || null, bytes: limiter, fields, discard });
    });
    // Fields the import reads must come before the file: it is read as it arrives.
    parser.on('field', (name: string, value: string) => {
      if (!found && Object.keys(fields).length < 20) fields[name] = value;
    });
    parser.on('error', (e: Error) =>
      fail(new BadRequestException(`The multipart body cannot be read: ${e.message}`)),
    );
    parser.on('close', () => {
      if (!found)
        reject(
          new BadRequestException(
            'The multipart body has no "file" field: send the CSV as field "file"',
          ),
        );
    });
    watchAbort(fail);
    req.pipe(parser);
  });
}

function idleTimeout(ms: number): Error {
  return new RequestTimeoutException(
    `The client sent nothing for ${Math.round(ms / 1000)} s: the upload was stopped (IMPORT_IDLE_TIMEOUT_S)`,
  );
}

/**
 * Calls onIdle once when the client sends no byte for `idleMs` while we are ready to read. Time
 * during which we hold the body back ourselves (backpressure: the stream is paused, or bytes
 * wait in its buffer) is never the client's fault. Returns a function that stops watching.
 */
function watchIdleClient(req: Request, idleMs: number, onIdle: () => void): () => void {
  let last = Date.now();
  const onData = () => (last = Date.now());
  req.on('data', onData);
  const tick = Math.max(50, Math.min(1000, Math.floor(idleMs / 4)));
  const timer = setInterval(() => {
    if (req.complete || req.destroyed) return stop();
    if (req.readableFlowing === false || req.readableLength > 0) {
      last = Date.now();
      return;
    }
    if (Date.now() - last >= idleMs) {
      stop();
      onIdle();
    }
  }, tick);
  timer.unref();
  function stop(): void {
    clearInterval(timer);
    req.off('data', onData);
  }
  return stop;
}

/** Counts bytes and fails once there are more than allowed. */
class ByteLimit extends Transform {
  private count = 0;

  constructor(
    private readonly max: number,
    private readonly tooLarge: () => Error,
  ) {
    super();
    // Its reader hears a failure through its own pipe or iterator; a failure that comes after the
    // reader has stopped (the client aborts once the import is refused) must not crash the process.
    this.on('error', () => undefined);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.count += chunk.length;
    if (this.count > this.max) done(this.tooLarge());
    else done(null, chunk);
  }
}

function fileNameFromDisposition(header: string | undefined): string | null {
  if (!header) return null;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      return null;
    }
  }
  const plain = /filename\s*=\s*(?:"([^"]*)"|([^;]+))/.exec(header);
  return plain ? (plain[1] ?? plain[2]).trim() || null : null;
}
