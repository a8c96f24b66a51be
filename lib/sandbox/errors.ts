/**
 * One error class per AWS error code the sandbox answers with. The protocol layer turns any
 * `SandboxError` into AWS's `<ErrorResponse>` with the status below; anything else is a bug and
 * becomes a 500 `ServiceFailure` without a stack trace on the wire.
 */
export class SandboxError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly type: "Sender" | "Receiver" = "Sender",
  ) {
    super(message);
    this.name = code;
  }
}

const sender = (code: string, status: number) =>
  class extends SandboxError {
    constructor(message: string) {
      super(code, message, status, "Sender");
    }
  };

export class AccessDenied extends sender("AccessDenied", 403) {}
export class ValidationError extends sender("ValidationError", 400) {}
export class InvalidClientTokenId extends sender("InvalidClientTokenId", 403) {}
export class SignatureDoesNotMatch extends sender("SignatureDoesNotMatch", 403) {}
export class ExpiredToken extends sender("ExpiredToken", 403) {}
export class IncompleteSignature extends sender("IncompleteSignature", 403) {}
export class MissingAuthenticationToken extends sender("MissingAuthenticationToken", 403) {}
export class InvalidAction extends sender("InvalidAction", 400) {}
export class MissingParameter extends sender("MissingParameter", 400) {}
export class InvalidParameterValue extends sender("InvalidParameterValue", 400) {}
export class MalformedQueryString extends sender("MalformedQueryString", 400) {}
export class NoSuchEntity extends sender("NoSuchEntity", 404) {}
export class EntityAlreadyExists extends sender("EntityAlreadyExists", 409) {}
export class DeleteConflict extends sender("DeleteConflict", 409) {}
export class LimitExceeded extends sender("LimitExceeded", 409) {}
export class MalformedPolicyDocument extends sender("MalformedPolicyDocument", 400) {}
export class PackedPolicyTooLarge extends sender("PackedPolicyTooLarge", 400) {}
export class RegionDisabled extends sender("RegionDisabledException", 403) {}
export class Throttling extends sender("Throttling", 400) {}
export class RequestExpired extends sender("RequestExpired", 400) {}
export class InvalidInput extends sender("InvalidInput", 400) {}
export class MissingAction extends sender("MissingAction", 400) {}
/** Not an AWS Query error code as such: AWS's front door answers an oversized body with 413. */
export class RequestEntityTooLarge extends sender("RequestEntityTooLarge", 413) {}

export class ServiceFailure extends SandboxError {
  constructor(message = "Service failure.") {
    super("ServiceFailure", message, 500, "Receiver");
  }
}
