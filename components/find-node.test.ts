import { describe, expect, it } from "vitest";
import type { GraphNode } from "@/lib/graph/types";
import { findNode } from "./find-node";

const node = (
  label: string,
  id = `arn:aws:iam::123456789012:role/rolechain/${label}`,
): GraphNode => ({
  id,
  kind: "role",
  label,
  firstHop: 0,
  visits: 1,
  failed: false,
});

const nodes = [
  node("user/admin", "arn:aws:iam::123456789012:user/admin"),
  node("rolechain-1"),
  node("rolechain-10"),
  node("rolechain-100"),
];

describe("findNode", () => {
  it.each([
    { query: "rolechain-10", found: "rolechain-10", why: "an exact label beats a longer match" },
    { query: "ROLECHAIN-1", found: "rolechain-1", why: "case does not matter" },
    { query: "admin", found: "user/admin", why: "a part of a label is enough" },
    {
      query: "arn:aws:iam::123456789012:role/rolechain/rolechain-100",
      found: "rolechain-100",
      why: "the ARN finds its node",
    },
  ])("finds $found for $query ($why)", ({ query, found }) => {
    expect(findNode(nodes, query)?.label).toBe(found);
  });

  it("finds nothing for a name that is not there", () => {
    expect(findNode(nodes, "rolechain-7")).toBeUndefined();
  });
});
