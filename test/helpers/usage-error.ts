// Runs something that must refuse its input as a usage error (WtbhookError, exit 2) and returns
// the one-line message.
import { expect } from "vitest";

import { WtbhookError } from "../../src/errors.js";

export function usageMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WtbhookError);
    expect((error as WtbhookError).exitCode).toBe(2);
    return (error as Error).message;
  }
  throw new Error("expected a usage error");
}
