import net from 'node:net';

/**
 * A free port below Linux's ephemeral range (32768+): a port picked here is never the one the
 * kernel hands to a `listen(0)` in the meantime (the service's in-process simulator does that),
 * which a port borrowed from the ephemeral range could be.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    const free = await new Promise<boolean>((resolve) => {
      const srv = net.createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
    if (free) return port;
  }
}
