/**
 * The machine a benchmark ran on, recorded next to its figures: CPU count and model, memory,
 * Deno and V8 versions, OS, and the load average at the start (the machine may be shared).
 *
 * @module
 */

import { cpus, loadavg, totalmem } from "node:os";

/** Where the figures came from. */
export interface MachineInfo {
  /** CPUs this process may use (`nproc`). */
  cpus: number;
  /** CPU model name from /proc/cpuinfo (or the OS). */
  cpuModel: string;
  /** Total memory in bytes. */
  memoryBytes: number;
  /** Deno version. */
  deno: string;
  /** V8 version. */
  v8: string;
  /** e.g. "linux x86_64". */
  os: string;
  /** 1-minute load average when the benchmark started. */
  loadAverage: number;
  /** When the benchmark started, ISO 8601 UTC. */
  startedAt: string;
}

/** Describes this machine. */
export function machineInfo(now: () => Date = () => new Date()): MachineInfo {
  return {
    cpus: navigator.hardwareConcurrency,
    cpuModel: cpuModel(),
    memoryBytes: totalmem(),
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    os: `${Deno.build.os} ${Deno.build.arch}`,
    loadAverage: loadavg()[0],
    startedAt: now().toISOString(),
  };
}

function cpuModel(): string {
  try {
    const info = Deno.readTextFileSync("/proc/cpuinfo");
    const m = /^model name\s*:\s*(.+)$/m.exec(info);
    if (m) return m[1].trim();
  } catch {
    // Not Linux: fall back to what Node's os module says.
  }
  return cpus()[0]?.model ?? "unknown";
}
