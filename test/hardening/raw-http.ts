import net from 'node:net';

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Parses the first HTTP/1.1 answer in `text` (enough for a status, headers and a JSON body). */
function parseAnswer(text: string): RawAnswer | null {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  const length = Number(headers['content-length'] ?? NaN);
  const body = text.slice(end + 4);
  if (!isNaN(length) && Buffer.byteLength(body) < length) return null;
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}

/**
 * A request written over a bare socket, so a test decides exactly which bytes are sent and when:
 * `send` writes more, `answer` resolves with the service's answer (or rejects if the socket
 * closes without one).
 */
export function rawRequest(url: string, head: string) {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  socket.write(head);
  let received = '';
  const answer = new Promise<RawAnswer>((resolve, reject) => {
    socket.on('data', (d) => {
      received += d.toString('utf8');
      const parsed = parseAnswer(received);
      if (parsed) resolve(parsed);
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`socket closed without an answer: ${received}`)));
  });
  answer.catch(() => undefined);
  return {
    send: (bytes: string | Buffer) => socket.write(bytes),
    end: () => socket.end(),
    answer,
    destroy: () => socket.destroy(),
  };
}

export function requestHead(
  method: string,
  path: string,
  headers: Record<string, string | number>,
): string {
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
  return `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${lines.join('\r\n')}\r\n\r\n`;
}

/**
 * The CPU time this process (service and test client alike) spends while `work` runs. Unlike
 * wall time it does not grow when other processes load the machine, so it tells a linear header
 * check (tens of ms) from a quadratic one (seconds) on a busy machine too.
 */
export async function cpuSpent<T>(work: () => Promise<T>): Promise<{ result: T; cpuMs: number }> {
  const before = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(before);
  return { result, cpuMs: (used.user + used.system) / 1000 };
}
