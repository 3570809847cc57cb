/**
 * The transport's read timeout and overall deadline over real HTTP: a local `Deno.serve` on
 * port 0 (loopback) streams bodies steadily, stalls mid-way, never sends headers, or
 * trickles forever. Small timeouts keep the suite quick, except the one acceptance case
 * (several MB over ~3 s under a 1 s read timeout). No timing assertions: the
 * outcome (class, message, attempts) tells which clock ran out.
 */

import assert from "node:assert/strict";
import { createTransport } from "../client/transport/transport.ts";
import { NetworkError, TimeoutError } from "../client/errors.ts";

const TOKEN = "tok-SECRET-read-0123456789";
const encoder = new TextEncoder();

/** A local server whose streams and pending answers are all released by `close()`. */
interface LocalServer {
  url: string;
  /** Requests received so far, by path. */
  hits: Map<string, number>;
  /** Registers a clean-up step (a timer to clear, a stream to close, a promise to settle). */
  onClose(step: () => void): void;
  close(): Promise<void>;
}

async function startLocal(
  handler: (req: Request, server: LocalServer) => Response | Promise<Response>,
): Promise<LocalServer> {
  const steps: (() => void)[] = [];
  const hits = new Map<string, number>();
  const controller = new AbortController();
  const local: LocalServer = {
    url: "",
    hits,
    onClose: (step) => steps.push(step),
    close: async () => {
      for (const step of steps) {
        try {
          step();
        } catch { /* already closed */ }
      }
      controller.abort();
      await server.finished;
    },
  };
  const ready = Promise.withResolvers<Deno.NetAddr>();
  const server = Deno.serve({
    port: 0,
    hostname: "127.0.0.1",
    signal: controller.signal,
    onListen: (addr) => ready.resolve(addr as Deno.NetAddr),
  }, (req) => {
    const path = new URL(req.url).pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    return handler(req, local);
  });
  local.url = `http://127.0.0.1:${(await ready.promise).port}`;
  return local;
}

/** A body sent as `slices` with `gapMs` between them; `stallAfter` stops sending for good. */
function streamed(
  server: LocalServer,
  slices: Uint8Array[],
  gapMs: number,
  stallAfter = Infinity,
): ReadableStream<Uint8Array> {
  let i = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stalled: (() => void) | undefined;
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      server.onClose(() => {
        clearTimeout(timer);
        stalled?.();
        c.close();
      });
    },
    pull(c) {
      if (i >= stallAfter) {
        // Never settles until the test closes the server: a stalled body.
        return new Promise<void>((resolve) => (stalled = resolve));
      }
      const delay = i === 0 ? 0 : gapMs;
      return new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          c.enqueue(slices[i++]);
          if (i === slices.length) c.close();
          resolve();
        }, delay);
      });
    },
    cancel() {
      clearTimeout(timer);
      stalled?.();
    },
  });
  return stream;
}

/** Splits `bytes` into `n` nearly equal slices. */
function slice(bytes: Uint8Array, n: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let k = 0; k < n; k++) {
    out.push(
      bytes.slice(Math.floor((k * bytes.length) / n), Math.floor(((k + 1) * bytes.length) / n)),
    );
  }
  return out;
}

/** A JSON document of `count` charge-like items, ASCII only, and its byte form. */
function chargesJson(count: number) {
  const items = Array.from({ length: count }, (_, n) => ({
    n,
    product_id: `product-${String(n).padStart(8, "0")}-0000-4000-8000-000000000000`,
    coins: `${n % 1000}.${String(n % 10000).padStart(4, "0")}`,
  }));
  const text = JSON.stringify({ count, items });
  return { text, bytes: encoder.encode(text) };
}

Deno.test("read timeout: several MB streamed steadily over ~3 s pass a 1 s read timeout", async () => {
  // ~4 MB in 50 slices, one every 60 ms: each wait is short, the whole transfer is ~3 s,
  // three times the 1 s read timeout (which used to cover the whole attempt).
  const count = 45_000;
  const doc = chargesJson(count);
  assert.ok(doc.bytes.length > 4_000_000, `body is ${doc.bytes.length} bytes`);
  const server = await startLocal((_req, s) =>
    new Response(streamed(s, slice(doc.bytes, 50), 60), {
      headers: { "content-type": "application/json" },
    })
  );
  try {
    const http = createTransport({ name: "as", timeoutS: 1, attempts: 3 });
    const res = await http.request({ method: "GET", url: `${server.url}/charges/product/p-1` });
    assert.equal(res.error, undefined, res.error?.message);
    assert.equal(res.ok, true);
    assert.equal(res.status, 200);
    assert.equal(res.attempts, 1);
    assert.equal(server.hits.get("/charges/product/p-1"), 1);
    assert.equal(res.text.length, doc.text.length);
    const body = res.body as { count: number; items: { n: number; coins: string }[] };
    assert.equal(body.count, count);
    assert.equal(body.items.length, count);
    assert.deepEqual(body.items[count - 1], {
      n: 44_999,
      product_id: "product-00044999-0000-4000-8000-000000000000",
      coins: "999.4999",
    });
  } finally {
    await server.close();
  }
});

Deno.test("read timeout: a body that stalls mid-way is a TimeoutError naming the bytes received", async () => {
  const payload = encoder.encode(`{"items": [${"1,".repeat(1999)}1]}`); // 4012 bytes
  const first = payload.slice(0, 1000);
  const server = await startLocal((_req, s) =>
    new Response(streamed(s, [first, payload.slice(1000)], 0, 1), {
      headers: {
        "content-type": "application/json",
        "content-length": String(payload.length),
      },
    })
  );
  try {
    const http = createTransport({ timeoutS: 0.3, attempts: 2, sleep: () => Promise.resolve() });
    const res = await http.request({
      method: "GET",
      url: `${server.url}/charges/product/p-1?access_token=${TOKEN}`,
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    assert.ok(res.error instanceof TimeoutError, res.error?.message);
    assert.ok(res.error instanceof NetworkError);
    assert.equal(res.ok, false);
    assert.equal(res.status, 0, "an incomplete body is no complete response");
    assert.equal(res.attempts, 2, "a timed-out GET is retried");
    assert.equal(server.hits.get("/charges/product/p-1"), 2);
    assert.match(
      res.error.message,
      /^GET http:\/\/127\.0\.0\.1:\d+\/charges\/product\/p-1\?access_token=\[REDACTED\] timed out after 0\.3 s waiting for the next body chunk \(1000 of 4012 bytes received, 2 attempts\): raise timeoutS or check that the server is responding$/,
    );
    assert.ok(!res.error.message.includes(TOKEN));
    assert.ok(
      !res.error.message.includes("deadline"),
      "the read timeout ran out, not the deadline",
    );

    // A POST is never sent twice, stalled or not.
    const post = await http.request({
      method: "POST",
      url: `${server.url}/organisation`,
      json: {},
    });
    assert.ok(post.error instanceof TimeoutError);
    assert.equal(post.attempts, 1);
    assert.equal(server.hits.get("/organisation"), 1);
    assert.match(
      post.error.message,
      /waiting for the next body chunk \(1000 of 4012 bytes received\)/,
    );
  } finally {
    await server.close();
  }
});

Deno.test("read timeout: a GET whose first answer stalls succeeds on the retry", async () => {
  const payload = encoder.encode(JSON.stringify({ units: ["a", "b", "c"] }));
  let n = 0;
  const server = await startLocal((_req, s) => {
    n++;
    const stall = n === 1 ? 1 : Infinity;
    return new Response(streamed(s, slice(payload, 3), 10, stall), {
      headers: { "content-type": "application/json" },
    });
  });
  try {
    const lines: string[] = [];
    const http = createTransport({
      name: "as",
      timeoutS: 0.3,
      sleep: () => Promise.resolve(),
      log: (line) => lines.push(line),
    });
    const res = await http.request({ method: "GET", url: `${server.url}/unit` });
    assert.equal(res.ok, true, res.error?.message);
    assert.deepEqual(res.body, { units: ["a", "b", "c"] });
    assert.equal(res.attempts, 2);
    assert.match(
      lines[0],
      /^\[as\] GET http:\/\/127\.0\.0\.1:\d+\/unit -> 200 timeout attempt 1\/3 /,
    );
    assert.match(lines[1], /-> 200 attempt 2\/3 /);
  } finally {
    await server.close();
  }
});

Deno.test("read timeout: headers that never come are a TimeoutError", async () => {
  // The answer is held back until the test closes the server.
  const server = await startLocal((_req, s) =>
    new Promise<Response>((resolve) => s.onClose(() => resolve(new Response("too late"))))
  );
  try {
    const http = createTransport({ timeoutS: 0.3, attempts: 2, sleep: () => Promise.resolve() });
    const res = await http.request({ method: "GET", url: `${server.url}/version` });
    assert.ok(res.error instanceof TimeoutError, res.error?.message);
    assert.equal(res.status, 0);
    assert.equal(res.attempts, 2);
    assert.equal(server.hits.get("/version"), 2);
    assert.match(
      res.error.message,
      /^GET http:\/\/127\.0\.0\.1:\d+\/version timed out after 0\.3 s waiting for the response headers \(2 attempts\): raise timeoutS/,
    );
    assert.ok(!/bytes received/.test(res.error.message));
  } finally {
    await server.close();
  }
});

Deno.test("deadline: a body that keeps trickling forever is ended by the overall deadline", async () => {
  // One small chunk every 50 ms, forever: the read timeout (0.5 s) never runs out.
  const server = await startLocal((_req, s) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(encoder.encode("["));
        timer = setInterval(() => c.enqueue(encoder.encode("0,")), 50);
        s.onClose(() => {
          clearInterval(timer);
          c.close();
        });
      },
      cancel() {
        clearInterval(timer);
      },
    });
    return new Response(body, { headers: { "content-type": "application/json" } });
  });
  try {
    const http = createTransport({ timeoutS: 0.5, deadlineS: 1.5, attempts: 3 });
    const res = await http.request({ method: "GET", url: `${server.url}/charges` });
    assert.ok(res.error instanceof TimeoutError, res.error?.message);
    assert.equal(res.status, 0);
    assert.equal(res.attempts, 1, "no retry once the deadline has run out");
    assert.equal(server.hits.get("/charges"), 1);
    const match = res.error.message.match(
      /^GET http:\/\/127\.0\.0\.1:\d+\/charges timed out when the 1\.5 s deadline ran out while reading the body \((\d+) bytes received\): the body was still arriving; raise deadlineS/,
    );
    assert.ok(match, res.error.message);
    assert.ok(Number(match[1]) > 1, "several chunks arrived before the deadline");
  } finally {
    await server.close();
  }
});
