/**
 * The client closed the connection mid-export. Carries the code Node's own stream pipeline uses
 * for the same situation, so that one check tells it from a real failure.
 */
export class ClientGoneError extends Error {
  readonly code = 'ERR_STREAM_PREMATURE_CLOSE';

  constructor() {
    super('the client closed the connection before the export ended');
  }
}
