import { Hono } from 'hono';
import { openApiDocument } from '../openapi.js';

/** The API description, readable from anywhere so documentation tools on other origins can load it. */
export function openApiRoutes(serverUrl?: string): Hono {
  const body = JSON.stringify(openApiDocument({ serverUrl }));
  const app = new Hono();
  app.get('/openapi.json', (c) =>
    c.body(body, 200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Access-Control-Allow-Origin': '*',
      'Cache-Control': 'public, max-age=300',
    }),
  );
  return app;
}
