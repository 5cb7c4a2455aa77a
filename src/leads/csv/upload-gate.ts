import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { TooManyRequestsException } from '../../common/too-many-requests';
import { AppConfig } from '../../config/app-config';
import { openUpload, type Upload } from './upload';

/**
 * Where every file upload (leads, do-not-call numbers) starts: at most IMPORT_MAX_CONCURRENT
 * files are received at once by this instance, each under the size and idle-client limits. A
 * slow client therefore holds at most one of a few places, never the whole connection pool.
 */
@Injectable()
export class UploadGate {
  private receiving = 0;

  constructor(private readonly config: AppConfig) {}

  async open(req: Request): Promise<Upload> {
    const max = this.config.IMPORT_MAX_CONCURRENT;
    if (this.receiving >= max) {
      // Nobody reads this body: let Node discard it so the 429 reaches the client.
      req.resume();
      throw new TooManyRequestsException(
        `${max} files are being received right now (IMPORT_MAX_CONCURRENT): try again in a few seconds`,
        5,
      );
    }
    this.receiving++;
    let held = true;
    const release = () => {
      if (held) this.receiving--;
      held = false;
    };
    // The place is held until the answer is sent or the connection is gone, whichever comes first.
    req.res?.once('close', release);
    req.once('close', () => {
      if (!req.complete) release();
    });
    try {
      return await openUpload(req, {
        maxBytes: this.config.IMPORT_MAX_MB * 1024 * 1024,
        idleTimeoutMs: this.config.IMPORT_IDLE_TIMEOUT_S * 1000,
      });
    } catch (err) {
      release();
      throw err;
    }
  }
}
