import { describe, expect, it } from "vitest";

import { describeNgrokError, missingTokenError, TunnelError } from "../../../src/tunnel/errors.js";

/** Errors shaped as @ngrok/ngrok 1.7.0 throws them (reference/ngrok.md §3). */
function sdkError(message: string, errorCode?: string): Error {
  const error = Object.assign(new Error(message), { code: "GenericFailure" });
  return errorCode ? Object.assign(error, { errorCode }) : error;
}

describe("describeNgrokError", () => {
  it.each([
    ["failed to connect session: failed to establish tcp connection", undefined, "unreachable", "cannot reach ngrok's servers"],
    ["failed to connect session: tls handshake error", undefined, "tls", "secure connection to ngrok failed"],
    ["invalid server address: host:notaport", undefined, "config", "invalid server address: host:notaport"],
    [
      "failed to connect session: Usage of ngrok requires a verified account and authtoken.\nSign up for an account: https://dashboard.ngrok.com/signup\nInstall your authtoken: https://dashboard.ngrok.com/get-started/your-authtoken error_code: ERR_NGROK_4018",
      "ERR_NGROK_4018",
      "missing-token",
      "requires a verified account",
    ],
    [
      "failed to connect session: The authtoken you specified is not valid. error_code: ERR_NGROK_105",
      "ERR_NGROK_105",
      "bad-token",
      "rejected the authtoken",
    ],
    ["failed to connect session: revoked error_code: ERR_NGROK_107", "ERR_NGROK_107", "bad-token", "revoked"],
    [
      "failed to connect session: limited to 1 simultaneous ngrok agent sessions error_code: ERR_NGROK_108",
      "ERR_NGROK_108",
      "session-limit",
      "agent sessions",
    ],
    ["failed to start listener: invalid domain error_code: ERR_NGROK_326", "ERR_NGROK_326", "domain", "--ngrok-domain"],
    ["failed to start listener: already online error_code: ERR_NGROK_334", "ERR_NGROK_334", "domain", "already online"],
  ])("%s", (message, code, kind, sentence) => {
    const mapped = describeNgrokError(sdkError(message, code));
    expect(mapped).toBeInstanceOf(TunnelError);
    expect(mapped.kind).toBe(kind);
    expect(mapped.exitCode).toBe(2);
    expect(mapped.message).toContain(sentence);
    expect(mapped.providerCode).toBe(code);
    // One line, no SDK suffix.
    expect(mapped.message).not.toContain("\n");
    expect(mapped.message).not.toContain("error_code:");
  });

  it("reads the code from the message when errorCode is missing (listenAndForward does not set it)", () => {
    const mapped = describeNgrokError(sdkError("failed: x error_code: ERR_NGROK_108"));
    expect(mapped.kind).toBe("session-limit");
    expect(mapped.providerCode).toBe("ERR_NGROK_108");
  });

  it("shows an unknown code with its message and a link to ngrok's page for it", () => {
    const mapped = describeNgrokError(sdkError("failed to start listener: something new error_code: ERR_NGROK_9999", "ERR_NGROK_9999"));
    expect(mapped.kind).toBe("unknown");
    expect(mapped.message).toBe("ngrok refused the tunnel: failed to start listener: something new (ERR_NGROK_9999)");
    expect(mapped.hint).toBe("See https://ngrok.com/docs/errors/err_ngrok_9999");
  });

  it("names a missing native build", () => {
    const error = Object.assign(new Error("Cannot find module '@ngrok/ngrok-linux-x64-gnu'"), { code: "MODULE_NOT_FOUND" });
    expect(describeNgrokError(error).kind).toBe("unavailable-platform");
  });

  it("tells how to get a token when there is none", () => {
    const error = missingTokenError();
    expect(error.exitCode).toBe(2);
    expect(error.hint).toContain("https://dashboard.ngrok.com/get-started/your-authtoken");
    expect(error.hint).toContain("NGROK_AUTHTOKEN");
  });
});
