import {
  CreateRoleCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  ListRoleTagsCommand,
  PutRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import { startSandbox } from "./index";
import { allowPolicy, makeTempDir, startTestSandbox, trustAccount } from "./test-support";

const SEEDED = {
  userName: "bob",
  accessKeyId: "AKIABOB0000000000001",
  secretAccessKey: "bob-secret-00000000000000000000000000000",
};

describe("persistence", () => {
  it("keeps account, users, keys, roles, policies, tags and sessions over a restart", async () => {
    const dataDir = makeTempDir();
    const first = await startTestSandbox({
      dataDir,
      accountId: "111122223333",
      seedUsers: [{ ...SEEDED, policies: [allowPolicy("iam:GetUser")] }],
    });
    const trust = trustAccount("111122223333");
    await first.iam.send(
      new CreateRoleCommand({
        RoleName: "kept",
        Path: "/p/",
        AssumeRolePolicyDocument: trust,
        Tags: [{ Key: "team", Value: "blue" }],
      }),
    );
    const policy = allowPolicy("sts:AssumeRole");
    await first.iam.send(
      new PutRolePolicyCommand({ RoleName: "kept", PolicyName: "chain", PolicyDocument: policy }),
    );
    const { Role } = await first.iam.send(new GetRoleCommand({ RoleName: "kept" }));
    const assumed = await first.sts.send(
      new AssumeRoleCommand({ RoleArn: Role?.Arn, RoleSessionName: "before-restart" }),
    );
    const baseUser = first.sandbox.baseUser;
    await first.close(true);

    const second = await startTestSandbox({ dataDir });
    try {
      expect(second.sandbox.accountId).toBe("111122223333");
      expect(second.sandbox.baseUser).toEqual(baseUser);
      const again = await second.iam.send(new GetRoleCommand({ RoleName: "kept" }));
      expect(again.Role).toMatchObject({ RoleId: Role?.RoleId, Arn: Role?.Arn });
      const kept = await second.iam.send(
        new GetRolePolicyCommand({ RoleName: "kept", PolicyName: "chain" }),
      );
      expect(decodeURIComponent(kept.PolicyDocument ?? "")).toBe(policy);
      const tags = await second.iam.send(new ListRoleTagsCommand({ RoleName: "kept" }));
      expect(tags.Tags).toEqual([{ Key: "team", Value: "blue" }]);
      const bob = await second.clients(SEEDED).iam.send(new GetUserCommand({}));
      expect(bob.User?.UserName).toBe("bob");
      const c = assumed.Credentials;
      const session = second.clients({
        accessKeyId: c?.AccessKeyId ?? "",
        secretAccessKey: c?.SecretAccessKey ?? "",
        sessionToken: c?.SessionToken ?? "",
      });
      const identity = await session.sts.send(new GetCallerIdentityCommand({}));
      expect(identity.Arn).toBe("arn:aws:sts::111122223333:assumed-role/kept/before-restart");
    } finally {
      await second.close();
    }
  });

  it("refuses to open a data dir under another account id, naming the option", async () => {
    const dataDir = makeTempDir();
    const first = await startTestSandbox({ dataDir, accountId: "111122223333" });
    await first.close(true);
    await expect(startSandbox({ dataDir, accountId: "444455556666" })).rejects.toMatchObject({
      code: "AccountMismatch",
      message: expect.stringMatching(/^account: the data dir belongs to account 111122223333/),
    });
  });

  it("seeds users idempotently: a second start with the same seed changes nothing", async () => {
    const dataDir = makeTempDir();
    for (let run = 0; run < 2; run++) {
      const t = await startTestSandbox({ dataDir, seedUsers: [SEEDED] });
      const { User } = await t
        .clients(SEEDED)
        .sts.send(new GetCallerIdentityCommand({}))
        .then((identity) => ({ User: identity }));
      expect(User.Arn).toBe(`arn:aws:iam::${t.sandbox.accountId}:user/bob`);
      await t.close(run === 0);
    }
  });
});
