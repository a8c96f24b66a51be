import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type SandboxTarget,
  startQuietSandboxTarget,
} from "@/lib/provision/sandbox-kit.test-support";
import { createStsClient } from "./clients";
import { createSwitchableCredentials } from "./switchable-credentials";

describe("createSwitchableCredentials", () => {
  let env: SandboxTarget;

  beforeAll(async () => {
    env = await startQuietSandboxTarget({
      seedUsers: [
        { userName: "alice", accessKeyId: "AKIAEXAMPLEALICE0001", secretAccessKey: "made-up-a" },
        { userName: "bob", accessKeyId: "AKIAEXAMPLEBOB000001", secretAccessKey: "made-up-b" },
      ],
    });
  });
  afterAll(async () => {
    await env?.close();
  });

  it("switches the identity between requests of one SDK client", async () => {
    const credentials = createSwitchableCredentials();
    const sts = createStsClient(env.target, credentials.provider);
    const whoAmI = async (accessKeyId: string, secretAccessKey: string) => {
      credentials.set({ accessKeyId, secretAccessKey });
      return (await sts.send(new GetCallerIdentityCommand({}))).Arn;
    };

    expect(await whoAmI("AKIAEXAMPLEALICE0001", "made-up-a")).toMatch(/:user\/alice$/);
    expect(await whoAmI("AKIAEXAMPLEBOB000001", "made-up-b")).toMatch(/:user\/bob$/);
    expect(await whoAmI("AKIAEXAMPLEALICE0001", "made-up-a")).toMatch(/:user\/alice$/);
    sts.destroy();
  });

  it("refuses to sign before any credentials are set", async () => {
    const sts = createStsClient(env.target, createSwitchableCredentials().provider);
    await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      code: "NoCredentials",
    });
    sts.destroy();
  });
});
