import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { verifyWebhookSignature } from '../../src/webhooks/webhook-signature';
import { until } from '../kit/wait';

export interface ReceivedWebhook {
  path: string;
  headers: IncomingMessage['headers'];
  raw: string;
  body: {
    id: string;
    type: string;
    created_at: string;
    campaign_id: string;
    data: Record<string, unknown>;
  };
  /** Checked as a CRM would: HMAC over `${timestamp}.${raw body}` with the campaign's secret. */
  signatureValid: boolean;
}

/**
 * A CRM stand-in on 127.0.0.1: records what it gets, checks signatures, and answers what the
 * test scripts (a status, or `hang` to never answer).
 */
export class TestReceiver {
  readonly received: ReceivedWebhook[] = [];
  private server: Server;
  private script: (number | 'hang')[] = [];
  private hanging: ServerResponse[] = [];
  url = '';

  constructor(public secret: string) {
    this.server = createServer((req, res) => this.handle(req, res));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** The next answers, in order; after them, 200. */
  answer(...script: (number | 'hang')[]): void {
    this.script = script;
  }

  async waitFor(count: number, timeoutMs = 10_000): Promise<ReceivedWebhook[]> {
    return until(
      `${count} webhooks at the receiver`,
      () => this.received.length >= count && this.received,
      timeoutMs,
    );
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const headers = req.headers;
      this.received.push({
        path: req.url ?? '',
        headers,
        raw,
        body: JSON.parse(raw),
        signatureValid: verifyWebhookSignature(
          this.secret,
          headers['x-webhook-timestamp'] as string,
          raw,
          headers['x-webhook-signature'] as string,
          { toleranceSeconds: 24 * 3600 },
        ),
      });
      const next = this.script.shift() ?? 200;
      if (next === 'hang') {
        this.hanging.push(res);
        return;
      }
      res.writeHead(next, { 'content-type': 'text/plain' }).end(next < 300 ? 'ok' : 'nope');
    });
  }
}
