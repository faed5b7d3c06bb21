/**
 * A second example function, in TypeScript: a small JSON API behind the ALB's `/api/*` route.
 *
 *   GET /api/hello?name=Ana  →  200 {"message":"Hello, Ana!"}
 *   GET /api/time            →  200 {"epochMs":...}
 *   anything else            →  404 or 405, as JSON
 *
 * The synth bundles it with esbuild into one CommonJS file, index.js; Lambda's handler setting
 * is "index.handler". It has no dependencies and opens no connections.
 */

/** The event an ALB sends a Lambda target (multi-value headers off). */
export interface AlbEvent {
  readonly requestContext: { readonly elb: { readonly targetGroupArn: string } };
  readonly httpMethod: string;
  readonly path: string;
  readonly queryStringParameters?: Readonly<Record<string, string>> | null;
  readonly headers?: Readonly<Record<string, string>> | null;
  readonly body?: string | null;
  readonly isBase64Encoded: boolean;
}

/** What the ALB expects back. */
export interface AlbResult {
  readonly statusCode: number;
  readonly statusDescription: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly isBase64Encoded: boolean;
}

const REASONS: Readonly<Record<number, string>> = { 200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed" };

function json(statusCode: number, payload: unknown, extra: Record<string, string> = {}): AlbResult {
  return {
    statusCode,
    statusDescription: `${statusCode} ${REASONS[statusCode] ?? ""}`.trim(),
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", ...extra },
    body: JSON.stringify(payload),
    isBase64Encoded: false,
  };
}

/** ALB passes query values URL-encoded, as the client sent them. */
function decode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return undefined;
  }
}

/** The answer to one request. */
function respond(event: AlbEvent): AlbResult {
  const greeting = process.env.GREETING ?? "Hello";
  const path = event.path.replace(/\/+$/, "") || "/";
  if (path !== "/api/hello" && path !== "/api/time") return json(404, { error: "not found", path });
  if (event.httpMethod !== "GET" && event.httpMethod !== "HEAD") {
    return json(405, { error: "method not allowed", method: event.httpMethod }, { Allow: "GET, HEAD" });
  }
  if (path === "/api/time") return json(200, { epochMs: Date.now() });
  const raw = event.queryStringParameters?.name ?? "world";
  const name = decode(raw);
  if (name === undefined || name.length === 0 || name.length > 64) {
    return json(400, { error: "name must be 1-64 characters" });
  }
  return json(200, { message: `${greeting}, ${name}!` });
}

/** Lambda's entry point ("index.handler"): the Node.js runtime awaits the promise it returns. */
export const handler = (event: AlbEvent): Promise<AlbResult> => Promise.resolve(respond(event));
