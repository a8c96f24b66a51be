import "server-only";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";

export interface SwitchableCredentials {
  /** Give this to one SDK client; every request it signs uses the credentials set last. */
  readonly provider: AwsCredentialIdentityProvider;
  set(credentials: AwsCredentialIdentity): void;
}

/**
 * A credentials provider whose identity can be swapped between requests, so the chain engine
 * keeps one STS client per region instead of building one per hop.
 *
 * The SDK caches a provider's identity until it nears `expiration` unless the provider says it
 * caches itself (`memoized`). Ours returns a field read, so it "is" memoized; the engine's
 * `switches the identity between requests` test fails if an SDK update changes this rule.
 */
export function createSwitchableCredentials(
  initial?: AwsCredentialIdentity,
): SwitchableCredentials {
  let current = initial;
  const provider = async (): Promise<AwsCredentialIdentity> => {
    if (!current)
      throw Object.assign(new Error("No credentials set yet."), { code: "NoCredentials" });
    return current;
  };
  return {
    provider: Object.assign(provider, { memoized: true }),
    set(credentials) {
      current = credentials;
    },
  };
}
