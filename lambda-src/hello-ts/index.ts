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

/**
 * The event an ALB sends a Lambda target: single values, or with the target group's
 * multi-value headers on (the function's `multiValueHeaders`), every value as a list.
 */
export interface AlbEvent {
  readonly requestContext: { readonly elb: { readonly targetGroupArn: string } };
  readonly httpMethod: string;
  readonly path: string;
  readonly queryStringParameters?: Readonly<Record<string, string>> | null;
  readonly headers?: Readonly<Record<string, string>> | null;
  readonly multiValueQueryStringParameters?: Readonly<Record<string, readonly string[]>> | null;
  readonly multiValueHeaders?: Readonly<Record<string, readonly string[]>> | null;
  readonly body?: string | null;
  readonly isBase64Encoded: boolean;
}

/** What the ALB expects back: `headers`, or `multiValueHeaders` when it sent multi-value ones. */
export interface AlbResult {
  readonly statusCode: number;
  readonly statusDescription: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly multiValueHeaders?: Readonly<Record<string, readonly string[]>>;
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
  // With multi-value parameters, the last of ?name=a&name=b, as the ALB sends without them.
  const raw = event.multiValueQueryStringParameters?.name?.at(-1) ?? event.queryStringParameters?.name ?? "world";
  const name = decode(raw);
  if (name === undefined || name.length === 0 || name.length > 64) {
    return json(400, { error: "name must be 1-64 characters" });
  }
  return json(200, { message: `${greeting}, ${name}!` });
}

/** The answer in the form the event came in: the ALB reads only `multiValueHeaders` when it sent them. */
function inFormOf(event: AlbEvent, result: AlbResult): AlbResult {
  if (!event.multiValueHeaders) return result;
  const { headers = {}, ...rest } = result;
  return { ...rest, multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])) };
}

/** Lambda's entry point ("index.handler"): the Node.js runtime awaits the promise it returns. */
export const handler = (event: AlbEvent): Promise<AlbResult> => Promise.resolve(inFormOf(event, respond(event)));
