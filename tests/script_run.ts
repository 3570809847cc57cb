/**
 * Test helper: run one of the project's scripts as a subprocess with a clean environment
 * (only what Deno needs, plus what the test passes: no stray SQUONK2_* settings from the
 * machine), and list what it left in a directory.
 *
 * @module
 */

/** What a script run produced. */
export interface ScriptRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Only what deno needs from this process's environment, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const keep = ["PATH", "HOME", "DENO_DIR", "XDG_CACHE_HOME", "TMPDIR"];
  const env: Record<string, string> = { NO_COLOR: "1" };
  for (const k of keep) {
    const v = Deno.env.get(k);
    if (v !== undefined) env[k] = v;
  }
  return { ...env, ...extra };
}

/** Runs `script` (a path) with `deno run -A`, `args` and a clean environment plus `env`. */
export async function runScript(
  script: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<ScriptRun> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, ...args],
    env: cleanEnv(env),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** Names of the entries of `dir`; empty when it does not exist. */
export async function entries(dir: string): Promise<string[]> {
  try {
    return (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
}
