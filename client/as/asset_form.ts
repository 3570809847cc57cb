/**
 * Helpers of the asset methods: the multipart form for asset content and the scope query
 * of `GET /asset`.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import type { QueryParams } from "../transport/http_body.ts";

/** Asset content: a string, or a file given as a path, a `Blob` or bytes. */
export interface AssetContent {
  /** The content as text. */
  contentString?: string;
  /** The content as a file path (read now), a `Blob`/`File`, or bytes. */
  contentFile?: string | Blob | Uint8Array;
}

const AS_ID = /^([a-z]{3,})-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SCOPE_PARAM: Record<string, string> = {
  product: "product_id",
  unit: "unit_id",
  org: "org_id",
};

/**
 * Builds the multipart form with `description`, `content_string` and the `content_file`
 * part (no dummy file: fetch always sends multipart for `FormData`).
 *
 * @throws {UsageError} when a content file path cannot be read.
 */
export async function assetForm(
  options: AssetContent & { description?: string },
  method: string,
): Promise<FormData> {
  const form = new FormData();
  if (options.description !== undefined) form.set("description", options.description);
  if (options.contentString !== undefined) form.set("content_string", options.contentString);
  const file = options.contentFile;
  if (typeof file === "string") {
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(file);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new UsageError(
        `AsApi.${method} cannot read content file "${file}" (${why}): check the path and --allow-read`,
      );
    }
    form.set("content_file", new Blob([bytes as Uint8Array<ArrayBuffer>]), baseName(file));
  } else if (file instanceof Uint8Array) {
    form.set("content_file", new Blob([file as Uint8Array<ArrayBuffer>]), "content");
  } else if (file instanceof Blob) {
    form.set("content_file", file, file instanceof File && file.name ? file.name : "content");
  }
  return form;
}

/**
 * The query of `GET /asset` for a scope id, inferred like the Python client: an AS id
 * (`product-<uuid>`, `unit-<uuid>`, `org-<uuid>`) picks its scope, anything else is taken
 * as a username (`user_id`).
 *
 * @throws {UsageError} for an AS id of another kind (e.g. `asset-<uuid>`).
 */
export function scopeQuery(scopeId: string | undefined): QueryParams {
  if (!scopeId) return {};
  const m = AS_ID.exec(scopeId);
  if (!m) return { user_id: scopeId };
  const param = SCOPE_PARAM[m[1]];
  if (!param) {
    throw new UsageError(
      `AsApi.getAvailableAssets got scopeId "${scopeId}": use a product, unit or org id, or a username`,
    );
  }
  return { [param]: scopeId };
}

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() || "content";
}
