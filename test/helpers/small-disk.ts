// A real small filesystem for durability tests: a tmpfs mounted by the test, where the machine allows it.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface SmallDisk {
  /** The mounted folder. */
  dir: string;
  unmount(): void;
}

/** Mounts a tmpfs of `bytes` (rounded up to pages by the kernel) on a fresh folder. */
export function mountSmallDisk(bytes: number): SmallDisk {
  const dir = mkdtempSync(join(tmpdir(), "wtbhook-disk-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${bytes},mode=0755`, "tmpfs", dir], { stdio: "pipe" });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    dir,
    unmount() {
      execFileSync("umount", ["-l", dir], { stdio: "pipe" });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Why a small filesystem cannot be mounted here (mounting needs root, or a container may forbid
 * it), or undefined when it can: tests that need one are skipped with this reason in their name.
 */
export function smallDiskUnavailable(): string | undefined {
  try {
    mountSmallDisk(64 * 1024).unmount();
    return undefined;
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return `no tmpfs can be mounted here: ${stderr || (error as Error).message}`.replace(/\s+/g, " ");
  }
}
