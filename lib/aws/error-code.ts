/**
 * Reading AWS SDK errors by their code, never by message text. SDK service exceptions carry
 * the AWS error code as `name`; Node network errors carry it as `code` (`ECONNRESET`).
 */

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $fault?: unknown;
}

/** The AWS error code (`AccessDenied`), a Node error code (`ECONNREFUSED`), or `UnknownError`. */
export function errorCodeOf(error: unknown): string {
  if (typeof error !== "object" || error === null) return "UnknownError";
  const shape = error as ErrorShape;
  if (shape.$metadata?.httpStatusCode !== undefined && typeof shape.name === "string") {
    return shape.name;
  }
  if (typeof shape.code === "string" && shape.code) return shape.code;
  if (typeof shape.name === "string" && shape.name && shape.name !== "Error") return shape.name;
  return "UnknownError";
}

export function errorMessageOf(error: unknown): string {
  if (typeof error === "object" && error !== null) {
    const message = (error as ErrorShape).message;
    if (typeof message === "string" && message) return message;
  }
  return String(error);
}

/** HTTP status of a service error, or undefined for errors that never got a response. */
export function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const status = (error as ErrorShape).$metadata?.httpStatusCode;
  return typeof status === "number" ? status : undefined;
}
