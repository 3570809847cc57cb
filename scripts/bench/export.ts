/**
 * Export benchmark: the memory of a whole charges export, as a user runs it. The sandbox
 * (in one child process) holds ~500 products; the charges script (`scripts/charges.ts`,
 * in another child, scripts/bench/export_child.ts) exports all organisations over several
 * billing periods as CSV and XLSX into a temporary directory (deleted afterwards). Figures:
 * rows, files, wall time and the peak resident memory of the exporting process.
 *
 * @module
 */

import { BillingError } from "../../client/errors.ts";
import type { ExportChildFigures } from "./export_child.ts";
import type { FanoutSizes } from "./fanout.ts";
import { startSandboxProcess } from "./remote_sandbox.ts";

/** What {@link benchExport} measured. */
export interface ExportFigures extends ExportChildFigures {
  /** Products in the sandbox. */
  products: number;
  /** The periods exported, as given to `--pbp`. */
  pbp: string;
  /** Formats written. */
  formats: string;
  /** V8 flags the exporting process ran with (`--v8-flags=`), "" for none. */
  v8Flags: string;
  /** Rows of all reports written. */
  rows: number;
  /** Files written and their total size. */
  files: number;
  /** Bytes of all files. */
  bytes: number;
}

const CHILD = new URL("./export_child.ts", import.meta.url);

/**
 * Exports all organisations of a sandbox of `sizes` over the periods `pbp` (e.g.
 * `"-12..-1"`, a year) as `formats` in a child process, and returns its figures.
 *
 * @throws {BillingError} when the export fails in the child, with its last error lines.
 */
export async function benchExport(
  sizes: FanoutSizes,
  options: { pbp: string; formats?: string; v8Flags?: string },
): Promise<ExportFigures> {
  const formats = options.formats ?? "xlsx,csv";
  const sandbox = await startSandboxProcess({ seed: 1, now: "2026-11-20T12:00:00Z", sizes });
  const dir = await Deno.makeTempDir({ prefix: "squonk2-bench-export-" });
  try {
    const { info } = sandbox;
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        ...(options.v8Flags ? [`--v8-flags=${options.v8Flags}`] : []),
        CHILD.pathname,
        "all",
        "--pbp",
        options.pbp,
        "--format",
        formats,
        "--out-dir",
        dir,
        "--json",
      ],
      clearEnv: true,
      env: {
        PATH: Deno.env.get("PATH") ?? "",
        HOME: Deno.env.get("HOME") ?? "",
        ...(Deno.env.get("DENO_DIR") ? { DENO_DIR: Deno.env.get("DENO_DIR")! } : {}),
        SQUONK2_ASAPI_URL: info.asUrl,
        SQUONK2_KEYCLOAK_URL: info.keycloakUrl,
        SQUONK2_KEYCLOAK_REALM: info.realm,
        SQUONK2_KEYCLOAK_AS_CLIENT_ID: info.clientId,
        SQUONK2_KEYCLOAK_AS_CLIENT_SECRET: info.clientSecret,
      },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(output.stdout).trim();
    const lines = stdout.split("\n");
    if (!output.success || lines.length < 2) {
      const stderr = new TextDecoder().decode(output.stderr).trim().split("\n").slice(-3);
      throw new BillingError(
        `The export of ${options.pbp} as ${formats} failed in the child process (exit ${output.code}): ${
          stderr.join(" | ")
        }`,
      );
    }
    const figures = JSON.parse(lines.at(-1)!) as ExportChildFigures;
    const doc = JSON.parse(lines.slice(0, -1).join("\n")) as {
      reports: { rowCount: number; files: { bytes: number }[] }[];
    };
    const files = doc.reports.flatMap((r) => r.files);
    return {
      ...figures,
      products: info.products,
      pbp: options.pbp,
      formats,
      v8Flags: options.v8Flags ?? "",
      rows: doc.reports.reduce((n, r) => n + r.rowCount, 0),
      files: files.length,
      bytes: files.reduce((n, f) => n + f.bytes, 0),
    };
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    await sandbox.close();
  }
}
