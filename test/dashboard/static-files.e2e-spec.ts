import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { startStack, type Stack } from '../kit/stack';

/** The dashboard's files: served without a key, safely, and kept out of the API document. */
describe('dashboard static files', () => {
  let stack: Stack;
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    stack = await startStack({ role: 'api' });
    app = stack.app;
    base = await app.getUrl();
  });

  afterAll(async () => {
    await stack?.close();
  });

  const get = (path: string) => fetch(`${base}${path}`, { redirect: 'manual' });

  it('redirects / to /app', async () => {
    const res = await get('/');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/app');
  });

  it('serves the page without a key, revalidated on each visit, with a policy that allows only its own scripts', async () => {
    for (const path of ['/app', '/app/']) {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const html = await res.text();
      expect(html).toContain('<script type="module" src="/app/js/main.js">');
      expect(html).toContain('/app/vendor/chart.umd.min.js');
    }
  });

  it('answers 304 to a browser that has the current page', async () => {
    const first = await get('/app');
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    // Cache-Control as a browser revalidating sends it (fetch would add no-cache, which forbids a 304).
    const again = await fetch(`${base}/app`, {
      headers: { 'If-None-Match': etag!, 'Cache-Control': 'max-age=0' },
    });
    expect(again.status).toBe(304);
  });

  it('serves the scripts as JavaScript modules and Chart.js from its package, cached a day', async () => {
    const main = await get('/app/js/main.js');
    expect(main.status).toBe(200);
    expect(main.headers.get('content-type')).toMatch(/^text\/javascript/);
    const chart = await get('/app/vendor/chart.umd.min.js');
    expect(chart.status).toBe(200);
    expect(chart.headers.get('cache-control')).toBe('public, max-age=86400');
    expect(await chart.text()).toContain('Chart.js v4.');
  });

  it('serves nothing but its own files: unknown names and climbing out of the folder are 404 with the error body', async () => {
    for (const path of [
      '/app/nope.js',
      '/app/../package.json',
      '/app/%2e%2e/%2e%2e/package.json',
      '/app/js/../../../src/main.ts',
      '/app/.env',
    ]) {
      const res = await get(path);
      expect(res.status).toBe(404);
      const body = (await res.json()) as { message: unknown };
      expect(body).toMatchObject({ statusCode: 404, error: 'Not Found' });
      expect(typeof body.message).toBe('string');
    }
  });

  it('keeps the API key requirement on /v1 and the dashboard out of the OpenAPI document', async () => {
    expect((await get('/v1/campaigns')).status).toBe(401);
    const doc = (await (await get('/docs-json')).json()) as { paths: Record<string, unknown> };
    const paths = Object.keys(doc.paths);
    expect(paths.some((p) => p === '/' || p.startsWith('/app'))).toBe(false);
  });
});
