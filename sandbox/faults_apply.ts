/**
 * The responses an injected fault produces: an error status, a connection dropped
 * mid-body, a truncated JSON body and a body slower than a client's timeout.
 *
 * @module
 */

import type { FaultRule } from "./faults_config.ts";

/** Default `delayMs` of `"slow-body"` faults. */
export const DEFAULT_SLOW_BODY_MS = 5000;

/** An immediate error response for a `"status"` rule (`Retry-After` on 429 or when set). */
export function statusFault(rule: FaultRule): Response {
  const status = rule.status ?? 500;
  const headers = new Headers({ "content-type": "application/json" });
  const retryAfter = rule.retryAfterS ?? (status === 429 ? 1 : undefined);
  if (retryAfter !== undefined) headers.set("retry-after", String(retryAfter));
  return new Response(JSON.stringify({ error: `Sandbox fault: injected ${status}` }), {
    status,
    headers,
  });
}

/**
 * The real response's status and headers with its full `Content-Length`, then only half
 * of its body before the stream ends: the server closes the connection and the client
 * sees a network error while reading. (Ending short of the announced length is used
 * rather than erroring the stream, so the sandbox logs nothing.) A real response with an
 * empty body is replaced by a 200 announcing 64 bytes and sending none.
 */
export async function dropFault(real: Response): Promise<Response> {
  const bytes = new Uint8Array(await real.arrayBuffer());
  const empty = bytes.length === 0 || real.status === 204 || real.status === 304;
  const headers = new Headers(real.headers);
  headers.set("content-length", String(empty ? 64 : bytes.length));
  const part = empty ? new Uint8Array() : bytes.slice(0, Math.floor(bytes.length / 2));
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (part.length > 0) controller.enqueue(part);
      controller.close();
    },
  });
  return new Response(body, { status: empty ? 200 : real.status, headers });
}

/**
 * A 200 whose body is a cut-off prefix of the real JSON text (never itself valid JSON),
 * with a `Content-Length` that matches what is sent.
 */
export async function truncateFault(real: Response): Promise<Response> {
  const text = await real.text();
  let cut = text.length > 1 ? text.slice(0, Math.floor(text.length / 2)) : '{"';
  while (cut.length > 0 && isJson(cut)) cut = cut.slice(0, -1);
  if (cut.length === 0) cut = '{"';
  const headers = new Headers(real.headers);
  headers.set("content-type", "application/json");
  headers.delete("content-length");
  return new Response(cut, { status: 200, headers });
}

/**
 * The real status and headers at once, the body after `delayMs`. The timer is cleared
 * when the client goes away first (the stream is cancelled), so nothing outlives it.
 */
export async function slowBodyFault(real: Response, delayMs: number): Promise<Response> {
  const bytes = new Uint8Array(await real.arrayBuffer());
  const headers = new Headers(real.headers);
  headers.delete("content-length");
  let timer: ReturnType<typeof setTimeout> | undefined;
  let settle: (() => void) | undefined;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      return new Promise<void>((resolve) => {
        settle = resolve;
        timer = setTimeout(() => {
          timer = undefined;
          if (bytes.length > 0) controller.enqueue(bytes);
          controller.close();
          resolve();
        }, delayMs);
      });
    },
    cancel() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      settle?.();
    },
  });
  const status = real.status === 204 || real.status === 304 ? 200 : real.status;
  return new Response(body, { status, headers });
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
