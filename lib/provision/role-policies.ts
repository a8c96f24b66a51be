import "server-only";

/** The tag that marks a role as ours: teardown and re-provisioning touch nothing without it. */
export const MANAGED_TAG = { Key: "managed-by", Value: "rolechain" } as const;
export const INDEX_TAG_KEY = "rolechain-index";
export const CHAIN_POLICY_NAME = "rolechain-chain";

const CHAIN_ACTIONS = ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"];

/** Trust: any principal of the account may assume, if its own policies allow it too. */
export function trustPolicyDocument(accountId: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: CHAIN_ACTIONS,
      },
    ],
  });
}

/** Identity policy of each role: it may assume (and tag) the roles under the same path. */
export function chainPolicyDocument(accountId: string, path: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: CHAIN_ACTIONS,
        Resource: `arn:aws:iam::${accountId}:role${path}*`,
      },
    ],
  });
}

export function isManaged(tags: ReadonlyArray<{ Key?: string; Value?: string }>): boolean {
  return tags.some((tag) => tag.Key === MANAGED_TAG.Key && tag.Value === MANAGED_TAG.Value);
}
