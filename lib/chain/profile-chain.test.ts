import net from "node:net";
import { CreateRoleCommand, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createIamClient } from "@/lib/aws";
import {
  type SandboxTarget,
  startQuietSandboxTarget,
} from "@/lib/provision/sandbox-kit.test-support";
import type { HopRecord } from "@/lib/runs/types";
import { allowPolicy, trustAccount } from "@/lib/sandbox/test-support";
import { validateChainRequest } from "./chain-options";
import { createMemorySink } from "./memory-sink";
import { prepareChain } from "./start-chain";

const C02_CREDENTIALS = [
  "[dev]",
  "aws_access_key_id = AKIAEXAMPLEDEV000001",
  "aws_secret_access_key = made-up-secret-1",
].join("\n");
const C02_CONFIG = [
  "[profile dev]",
  "role_arn = arn:aws:iam::111122223333:role/dev-admin",
  "source_profile = dev",
].join("\n");
const ASSUME_ANY = allowPolicy(["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]);

/** Resolves and runs a profile chain as startChain does, with a sink we can read. */
async function runProfile(
  env: SandboxTarget,
  files: { config?: string; credentials?: string },
  profile: string,
) {
  const request = validateChainRequest({ mode: "profiles", profile, ...files });
  if (!request.ok) throw new Error(request.error.message);
  const prepared = prepareChain(request.value, { sleep: async () => {} });
  if (!prepared.ok) return { refused: prepared.error };
  const sink = createMemorySink();
  const outcome = await prepared.value.run(env.target, sink);
  const hops = sink.events.flatMap((event) => (event.type === "hop" ? [event.data] : []));
  return { outcome, hops, params: prepared.value.params, events: sink.events };
}

async function createRole(env: SandboxTarget, name: string, identityPolicy?: string) {
  const iam = createIamClient(env.target);
  await iam.send(
    new CreateRoleCommand({
      RoleName: name,
      AssumeRolePolicyDocument: trustAccount(env.target.accountId),
    }),
  );
  if (identityPolicy) {
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: name,
        PolicyName: "chain",
        PolicyDocument: identityPolicy,
      }),
    );
  }
}

const assumeRoleCount = (env: SandboxTarget) => env.sandbox.stats().byAction.AssumeRole ?? 0;

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

/**
 * Records the host of every socket connect while it is installed, and refuses (before any DNS
 * lookup) any that is not loopback: case C06's "no route out", enforced here so a broken
 * endpoint override fails the test instead of reaching for an amazonaws.com host.
 */
function guardOutboundConnections() {
  const hosts: string[] = [];
  const original = net.Socket.prototype.connect;
  // biome-ignore lint/suspicious/noExplicitAny: connect's overloads take options, a port or a path
  net.Socket.prototype.connect = function guarded(this: net.Socket, ...args: any[]) {
    // net.createConnection passes its normalised [options, callback] array as one argument.
    const first = Array.isArray(args[0]) ? args[0][0] : args[0];
    // Node's own default for a TCP connect without a host is localhost.
    const host = typeof first === "object" && first?.host ? String(first.host) : "localhost";
    hosts.push(host);
    if (!LOOPBACK.has(host)) {
      const refused = Object.assign(new Error(`test refused a connection to ${host}`), {
        code: "ENETUNREACH",
      });
      process.nextTick(() => this.destroy(refused));
      return this;
    }
    return original.apply(this, args as Parameters<typeof original>);
  } as typeof original;
  return {
    hosts,
    restore() {
      net.Socket.prototype.connect = original;
    },
  };
}

describe("profile chains in account 111122223333", () => {
  let env: SandboxTarget;

  beforeAll(async () => {
    env = await startQuietSandboxTarget({
      accountId: "111122223333",
      seedUsers: [
        {
          userName: "dev",
          accessKeyId: "AKIAEXAMPLEDEV000001",
          secretAccessKey: "made-up-secret-1",
          policies: [ASSUME_ANY],
        },
        {
          userName: "base",
          accessKeyId: "AKIAEXAMPLEBASE00002",
          secretAccessKey: "made-up-secret-4",
          policies: [ASSUME_ANY],
        },
      ],
    });
    await createRole(env, "dev-admin");
    await createRole(env, "target");
  });
  afterAll(async () => {
    await env?.close();
  });

  it("C02: variant A (itself as source, with its own keys) makes exactly one hop", async () => {
    const before = assumeRoleCount(env);
    const result = await runProfile(
      env,
      {
        credentials: C02_CREDENTIALS,
        config: C02_CONFIG,
      },
      "dev",
    );

    expect(result.outcome).toEqual({ status: "completed" });
    expect(assumeRoleCount(env) - before).toBe(1);
    expect(result.hops).toHaveLength(1);
    expect(result.hops?.[0]).toMatchObject({
      hop: 0,
      status: "ok",
      profile: "dev",
      fromArn: "arn:aws:iam::111122223333:user/dev",
      roleArn: "arn:aws:iam::111122223333:role/dev-admin",
    });
    expect(result.hops?.[0]?.toArn).toMatch(/:assumed-role\/dev-admin\/rolechain-/);
  });

  it("C02: variant B (no keys anywhere) is refused, with zero AssumeRole calls", async () => {
    const before = assumeRoleCount(env);
    const result = await runProfile(env, { config: C02_CONFIG }, "dev");

    expect(result.refused?.field).toBe("Profile");
    expect(result.refused?.message).toContain("dev -> dev");
    expect(result.outcome).toBeUndefined();
    expect(assumeRoleCount(env)).toBe(before);
  });

  it("C01: a three-profile loop is refused with the loop in order, zero requests at the sandbox", async () => {
    const before = env.sandbox.stats().requests;
    const result = await runProfile(
      env,
      {
        config: [
          "[profile andy]",
          "role_arn = arn:aws:iam::111122223333:role/r-andy",
          "source_profile = prod",
          "",
          "[profile prod]",
          "role_arn = arn:aws:iam::111122223333:role/r-prod",
          "source_profile = dev",
          "",
          "[profile dev]",
          "role_arn = arn:aws:iam::111122223333:role/r-dev",
          "source_profile = andy",
        ].join("\n"),
      },
      "andy",
    );

    expect(result.refused?.field).toBe("Profile");
    expect(result.refused?.message).toContain("andy -> prod -> dev -> andy");
    expect(result.outcome).toBeUndefined();
    expect(env.sandbox.stats().requests).toBe(before);
  });

  it("C03: both sources is refused naming the profile and both keys; no fallback", async () => {
    // Valid sandbox keys in the environment: a tool that skipped the role and fell back to
    // them would succeed here, and be counted at the sandbox.
    const saved = [process.env.AWS_ACCESS_KEY_ID, process.env.AWS_SECRET_ACCESS_KEY] as const;
    process.env.AWS_ACCESS_KEY_ID = "AKIAEXAMPLEDEV000001";
    process.env.AWS_SECRET_ACCESS_KEY = "made-up-secret-1";
    const before = env.sandbox.stats().requests;
    try {
      const result = await runProfile(
        env,
        {
          config: [
            "[profile both]",
            "role_arn = arn:aws:iam::111122223333:role/target",
            "source_profile = base",
            "credential_source = Environment",
            "",
            "[profile base]",
            "aws_access_key_id = AKIAEXAMPLEBASE00001",
            "aws_secret_access_key = made-up-secret-2",
          ].join("\n"),
        },
        "both",
      );

      expect(result.refused?.field).toBe("Profile");
      expect(result.refused?.message).toContain('"both"');
      expect(result.refused?.message).toContain("source_profile");
      expect(result.refused?.message).toContain("credential_source");
      expect(result.outcome).toBeUndefined();
      expect(env.sandbox.stats().requests).toBe(before);
    } finally {
      if (saved[0] === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      else process.env.AWS_ACCESS_KEY_ID = saved[0];
      if (saved[1] === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
      else process.env.AWS_SECRET_ACCESS_KEY = saved[1];
    }
  });

  it("C06: every request reaches the sandbox endpoint; each hop records its region", async () => {
    const before = env.sandbox.stats();
    const guard = guardOutboundConnections();
    const result = await runProfile(
      env,
      {
        config: [
          "[default]",
          "region = eu-west-1",
          "",
          "[profile target]",
          "role_arn = arn:aws:iam::111122223333:role/target",
          "source_profile = base",
          "region = ap-southeast-1",
          "",
          "[profile base]",
          "region = eu-central-1",
          "aws_access_key_id = AKIAEXAMPLEBASE00002",
          "aws_secret_access_key = made-up-secret-4",
        ].join("\n"),
      },
      "target",
    ).finally(() => guard.restore());
    const after = env.sandbox.stats();

    // No host but loopback was even dialled (a kept-alive socket may mean none was).
    expect(guard.hosts.filter((host) => !LOOPBACK.has(host))).toEqual([]);
    expect(result.outcome).toEqual({ status: "completed" });
    expect(result.hops?.map((hop: HopRecord) => [hop.profile, hop.region])).toEqual([
      ["target", "ap-southeast-1"],
    ]);
    // Base GetCallerIdentity, AssumeRole, verifying GetCallerIdentity: all three counted here,
    // the sandbox being the only place the clients can send to.
    expect(after.requests - before.requests).toBe(3);
    expect((after.byAction.AssumeRole ?? 0) - (before.byAction.AssumeRole ?? 0)).toBe(1);
    expect((after.regions["ap-southeast-1"] ?? 0) - (before.regions["ap-southeast-1"] ?? 0)).toBe(
      2,
    );
    expect((after.regions["eu-central-1"] ?? 0) - (before.regions["eu-central-1"] ?? 0)).toBe(1);
  });

  it("keeps the pasted files and their secrets out of the run's params and events", async () => {
    const result = await runProfile(
      env,
      {
        credentials: C02_CREDENTIALS,
        config: C02_CONFIG,
      },
      "dev",
    );
    const text = JSON.stringify([result.params, result.events]);
    expect(text).not.toContain("made-up-secret-1");
    expect(text).not.toContain("AKIAEXAMPLEDEV000001");
    expect(result.params).toMatchObject({ mode: "profiles", profile: "dev", hops: 1 });
  });
});

describe("profile chains in account 444455556666", () => {
  let env: SandboxTarget;

  beforeAll(async () => {
    env = await startQuietSandboxTarget({
      accountId: "444455556666",
      seedUsers: [
        {
          userName: "role0",
          accessKeyId: "AKIAEXAMPLEROLE00001",
          secretAccessKey: "made-up-secret-3",
          policies: [ASSUME_ANY],
        },
      ],
    });
    await createRole(env, "hop1", ASSUME_ANY);
    await createRole(env, "hop2");
  });
  afterAll(async () => {
    await env?.close();
  });

  it("C04: a chain only in the credentials file makes two hops, ending as hop2", async () => {
    const before = assumeRoleCount(env);
    const result = await runProfile(
      env,
      {
        credentials: [
          "[role0]",
          "aws_access_key_id = AKIAEXAMPLEROLE00001",
          "aws_secret_access_key = made-up-secret-3",
          "",
          "[role1]",
          "source_profile = role0",
          "role_arn = arn:aws:iam::444455556666:role/hop1",
          "",
          "[role2]",
          "source_profile = role1",
          "role_arn = arn:aws:iam::444455556666:role/hop2",
        ].join("\n"),
      },
      "role2",
    );

    expect(result.outcome).toEqual({ status: "completed" });
    expect(assumeRoleCount(env) - before).toBe(2);
    expect(result.hops?.map((hop: HopRecord) => [hop.hop, hop.profile, hop.status])).toEqual([
      [0, "role1", "ok"],
      [1, "role2", "ok"],
    ]);
    expect(result.hops?.[0]?.fromArn).toBe("arn:aws:iam::444455556666:user/role0");
    expect(result.hops?.[1]?.fromArn).toBe(result.hops?.[0]?.toArn);
    expect(result.hops?.[1]?.toArn).toMatch(/^arn:aws:sts::444455556666:assumed-role\/hop2\//);
  });
});

describe("credential_source = Environment", () => {
  let env: SandboxTarget;
  const saved = { ...process.env };

  beforeAll(async () => {
    env = await startQuietSandboxTarget({
      accountId: "111122223333",
      seedUsers: [
        {
          userName: "envuser",
          accessKeyId: "AKIAEXAMPLEENV000001",
          secretAccessKey: "made-up-secret-env",
          policies: [ASSUME_ANY],
        },
      ],
    });
    await createRole(env, "from-env");
  });
  beforeEach(() => {
    process.env.AWS_ACCESS_KEY_ID = "AKIAEXAMPLEENV000001";
    process.env.AWS_SECRET_ACCESS_KEY = "made-up-secret-env";
  });
  afterEach(() => {
    process.env.AWS_ACCESS_KEY_ID = saved.AWS_ACCESS_KEY_ID;
    process.env.AWS_SECRET_ACCESS_KEY = saved.AWS_SECRET_ACCESS_KEY;
    if (saved.AWS_ACCESS_KEY_ID === undefined) delete process.env.AWS_ACCESS_KEY_ID;
    if (saved.AWS_SECRET_ACCESS_KEY === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
  });
  afterAll(async () => {
    await env?.close();
  });

  it("uses the server's environment credentials for the base", async () => {
    const result = await runProfile(
      env,
      {
        config: [
          "[profile e]",
          "role_arn = arn:aws:iam::111122223333:role/from-env",
          "credential_source = Environment",
        ].join("\n"),
      },
      "e",
    );
    expect(result.outcome).toEqual({ status: "completed" });
    expect(result.hops?.[0]).toMatchObject({
      fromArn: "arn:aws:iam::111122223333:user/envuser",
      status: "ok",
    });
  });
});
