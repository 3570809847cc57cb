/**
 * The responses of the fault kinds that spoil an answer's content while the transfer
 * itself succeeds: an empty body, a field of the wrong JSON type, an HTML page instead
 * of JSON; and a body trickled out in steady chunks.
 *
 * @module
 */

/** Default `durationMs` of `"trickle"` faults. */
export const DEFAULT_TRICKLE_MS = 10_000;

/** Aimed interval between two `"trickle"` chunks, in milliseconds. */
const TRICKLE_TICK_MS = 100;

/** The real status and headers with an empty body (`Content-Length: 0`). */
export function emptyBodyFault(real: Response): Response {
  const headers = new Headers(real.headers);
  // A 204/304 must have no body anyway; any other status carries an empty one.
  const nullBody = real.status === 204 || real.status === 304;
  if (!nullBody) headers.set("content-length", "0");
  return new Response(nullBody ? null : "", {
    status: real.status,
    statusText: real.statusText,
    headers,
  });
}

/** The value a `"wrong-type"` fault substitutes when its rule gives none. */
export function otherTypeValue(value: unknown): unknown {
  return typeof value === "number" || typeof value === "boolean" ? "42" : 42;
}

/**
 * The real status and JSON answer with the value at the dot path `field` replaced by
 * `value` (or {@link otherTypeValue} when `value` is undefined). An answer that is not
 * JSON, or lacks the path, becomes a 500 whose error names `request`, the field and the
 * first missing segment.
 */
export async function wrongTypeFault(
  real: Response,
  field: string,
  value: unknown,
  request: string,
): Promise<Response> {
  const text = await real.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return fieldError(`"${field}" cannot be replaced: the answer of ${request} is not JSON`);
  }
  const segments = field.split(".");
  let parent: unknown = body;
  for (let i = 0; i < segments.length; i++) {
    const key = segments[i];
    const container = parent as Record<string, unknown>;
    const present = typeof parent === "object" && parent !== null &&
      (Array.isArray(parent) ? /^\d+$/.test(key) && Number(key) < parent.length : Object.hasOwn(
        container,
        key,
      ));
    if (!present) {
      const where = i === 0 ? "the answer" : segments.slice(0, i).join(".");
      return fieldError(
        `"${field}" is not in the answer of ${request}: ${where} has no "${key}"; ` +
          `fix the rule's field or path`,
      );
    }
    if (i === segments.length - 1) {
      container[key] = value === undefined ? otherTypeValue(container[key]) : value;
    } else {
      parent = container[key];
    }
  }
  const headers = new Headers(real.headers);
  headers.delete("content-length");
  headers.set("content-type", "application/json");
  return new Response(JSON.stringify(body), {
    status: real.status,
    statusText: real.statusText,
    headers,
  });
}

function fieldError(detail: string): Response {
  return new Response(JSON.stringify({ error: `Sandbox fault: wrong-type field ${detail}` }), {
    status: 500,
    headers: { "content-type": "application/json" },
  });
}

/** The HTML page of `"html"` faults. */
export const HTML_FAULT_PAGE = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in</title></head>
<body>
<h1>Sign in</h1>
<p>Sandbox fault: this page stands in for a proxy or login page in front of the Account
Server, answered with status 200 instead of JSON.</p>
<form method="post" action="/login"><input name="username"><button>Sign in</button></form>
</body>
</html>
`;

/** A 200 with `Content-Type: text/html` and {@link HTML_FAULT_PAGE}. */
export function htmlFault(): Response {
  return new Response(HTML_FAULT_PAGE, {
    status: 200,
    headers: { "content-type": "text/html; charset=utf-8" },
  });
}

/**
 * The real status and headers (with `Content-Length`) at once, then the body in steady
 * chunks: chunk `i` of `n` (bytes `i-1..i` n-ths of the body) at `i * durationMs / n`
 * after the start, `n` being one per ~100 ms but at most one per byte. An empty body is answered as is. Timers are cleared
 * when the client goes away first.
 */
export async function trickleFault(real: Response, durationMs: number): Promise<Response> {
  const bytes = new Uint8Array(await real.arrayBuffer());
  if (bytes.length === 0) {
    return new Response(real.status === 204 || real.status === 304 ? null : "", {
      status: real.status,
      statusText: real.statusText,
      headers: real.headers,
    });
  }
  const chunks = Math.max(1, Math.min(bytes.length, Math.round(durationMs / TRICKLE_TICK_MS)));
  const end = (i: number) => Math.floor((i * bytes.length) / chunks);
  const headers = new Headers(real.headers);
  headers.set("content-length", String(bytes.length));
  const started = performance.now();
  let sent = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let settle: (() => void) | undefined;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = sent + 1;
      const due = started + (next * durationMs) / chunks;
      return new Promise<void>((resolve) => {
        settle = resolve;
        timer = setTimeout(() => {
          timer = undefined;
          sent = next;
          controller.enqueue(bytes.slice(end(next - 1), end(next)));
          if (next === chunks) controller.close();
          resolve();
        }, Math.max(0, due - performance.now()));
      });
    },
    cancel() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      settle?.();
    },
  }, { highWaterMark: 0 });
  return new Response(body, { status: real.status, statusText: real.statusText, headers });
}
