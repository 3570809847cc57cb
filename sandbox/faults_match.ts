/**
 * Which service a sandbox request belongs to, and path-glob matching for fault rules.
 *
 * @module
 */

/** The service a request path belongs to: one of the sandbox's mounts, or none. */
export type Service = "as" | "keycloak" | "xq" | "admin" | "other";

/** The mount points of the sandbox's services. */
export const MOUNTS = {
  as: "/account-server-api",
  keycloak: "/auth",
  xq: "/xq",
  admin: "/_sandbox",
} as const satisfies Record<Exclude<Service, "other">, string>;

/** A request path's service and its path relative to that service's mount point. */
export interface ClassifiedPath {
  /** The service. */
  service: Service;
  /** The path below the mount point ("/" for the mount point itself); the full path for "other". */
  relative: string;
}

/** Classifies `path` (no query string) by mount point. */
export function classifyPath(path: string): ClassifiedPath {
  for (const [service, mount] of Object.entries(MOUNTS) as [Service, string][]) {
    if (path === mount || path.startsWith(`${mount}/`)) {
      return { service, relative: path.slice(mount.length) || "/" };
    }
  }
  return { service: "other", relative: path };
}

/**
 * Compiles a path glob to an anchored RegExp: `**` matches anything, `*` anything but
 * "/", `?` one character but "/"; everything else literally.
 */
export function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === "*" && glob[i + 1] === "*") {
      source += ".*";
      i++;
    } else if (ch === "*") {
      source += "[^/]*";
    } else if (ch === "?") {
      source += "[^/]";
    } else {
      source += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
    }
  }
  return new RegExp(`^${source}$`);
}
