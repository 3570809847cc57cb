/**
 * The cost of checking answers against their schemas: the same answers an all-organisations
 * export reads (the product listing, one product charges answer per product and the admin
 * `GET /charges`), fetched once as raw JSON, then validated again and again with the
 * schemas the client uses. The figure is CPU time on the thread that also runs the export,
 * so it bounds from above what validation adds to an export's wall time.
 *
 * @module
 */

import type { z } from "zod";
import { RESPONSE_SCHEMAS } from "../../client/as/schemas.ts";
import { checkAnswer } from "../../client/as/validate.ts";
import { median } from "./stats.ts";

/** What {@link benchValidation} measured. */
export interface ValidationFigures {
  /** Answers validated per round (the requests of one export). */
  answers: number;
  /** Bytes of JSON validated per round. */
  bytes: number;
  /** Median time to validate every answer once, in milliseconds. */
  ms: number;
}

/** One raw answer and the schema it is checked with. */
interface RawAnswer {
  schema: keyof typeof RESPONSE_SCHEMAS;
  text: string;
}

/**
 * Fetches the answers of one all-organisations export of `pbp` from the AS at `asUrl` with
 * `token`, then times `rounds` validations of all of them (JSON parsing excluded: the
 * transport parses once either way).
 */
export async function benchValidation(
  asUrl: string,
  token: string,
  options: { pbp?: number; rounds?: number } = {},
): Promise<ValidationFigures> {
  const pbp = options.pbp ?? -1;
  const get = async (path: string) => {
    const res = await fetch(asUrl + path, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`Bench: GET ${path} answered HTTP ${res.status}`);
    return await res.text();
  };
  const listing = await get("/product");
  const ids = (JSON.parse(listing) as { products: { product: { id: string } }[] }).products
    .map((p) => p.product.id);
  const answers: RawAnswer[] = [{ schema: "ProductsGetResponse", text: listing }];
  for (const id of ids) {
    answers.push({
      schema: "ProductChargesGetResponse",
      text: await get(`/charges/product/${encodeURIComponent(id)}?pbp=${pbp}`),
    });
  }
  answers.push({ schema: "ChargesGetResponse", text: await get(`/charges?pbp=${pbp}`) });
  const parsed = answers.map((a) => ({ ...a, body: JSON.parse(a.text) as unknown }));
  const times: number[] = [];
  for (let round = 0; round < Math.max(3, options.rounds ?? 7); round++) {
    const started = performance.now();
    for (const a of parsed) {
      const schema: z.ZodType<unknown> = RESPONSE_SCHEMAS[a.schema];
      const checked = checkAnswer(schema, {
        body: a.body,
        text: a.text,
        contentType: "application/json",
      });
      if (!checked.ok) throw new Error(`Bench: a sandbox ${a.schema} failed its schema`);
    }
    times.push(performance.now() - started);
  }
  return {
    answers: parsed.length,
    bytes: answers.reduce((n, a) => n + a.text.length, 0),
    ms: median(times),
  };
}
