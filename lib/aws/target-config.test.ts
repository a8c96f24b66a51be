import path from "node:path";
import { describe, expect, it } from "vitest";
import { resolveTargetConfig, TargetConfigError } from "./target-config";

describe("resolveTargetConfig", () => {
  it("defaults to the sandbox under .rolechain/sandbox on a free port in us-east-1", () => {
    expect(resolveTargetConfig({})).toEqual({
      kind: "sandbox",
      region: "us-east-1",
      dataDir: path.resolve(".rolechain", "sandbox"),
      port: 0,
    });
  });

  it("puts the sandbox data under ROLECHAIN_DATA_DIR and on ROLECHAIN_SANDBOX_PORT", () => {
    const config = resolveTargetConfig({
      ROLECHAIN_DATA_DIR: "/tmp/rc",
      ROLECHAIN_SANDBOX_PORT: "4599",
      AWS_REGION: "eu-west-1",
    });
    expect(config).toEqual({
      kind: "sandbox",
      region: "eu-west-1",
      dataDir: "/tmp/rc/sandbox",
      port: 4599,
    });
  });

  it("lets the per-service endpoint win over AWS_ENDPOINT_URL", () => {
    const config = resolveTargetConfig({
      ROLECHAIN_TARGET: "endpoint",
      AWS_ENDPOINT_URL: "http://127.0.0.1:4566/",
      AWS_ENDPOINT_URL_STS: "http://127.0.0.1:4567",
    });
    expect(config).toMatchObject({
      kind: "endpoint",
      endpoints: { sts: "http://127.0.0.1:4567", iam: "http://127.0.0.1:4566" },
      endpointSources: { sts: "AWS_ENDPOINT_URL_STS", iam: "AWS_ENDPOINT_URL" },
    });
  });

  it("keeps AWS_PROFILE for the aws target", () => {
    expect(resolveTargetConfig({ ROLECHAIN_TARGET: "aws", AWS_PROFILE: "prod" })).toEqual({
      kind: "aws",
      region: "us-east-1",
      profile: "prod",
    });
  });

  it.each([
    [{ ROLECHAIN_TARGET: "cloud" }, "ROLECHAIN_TARGET", /one of sandbox, endpoint, aws/],
    [{ ROLECHAIN_TARGET: "endpoint" }, "AWS_ENDPOINT_URL_STS", /needs AWS_ENDPOINT_URL_STS/],
    [
      { ROLECHAIN_TARGET: "endpoint", AWS_ENDPOINT_URL: "localhost:4566" },
      "AWS_ENDPOINT_URL",
      /http or https/,
    ],
    [
      { ROLECHAIN_TARGET: "endpoint", AWS_ENDPOINT_URL: "not a url" },
      "AWS_ENDPOINT_URL",
      /http\(s\) URL/,
    ],
    [
      { ROLECHAIN_TARGET: "endpoint", AWS_ENDPOINT_URL: "http://u:p@127.0.0.1:1" },
      "AWS_ENDPOINT_URL",
      /user name or password/,
    ],
    [{ ROLECHAIN_SANDBOX_PORT: "70000" }, "ROLECHAIN_SANDBOX_PORT", /0 to 65535/],
    [{ ROLECHAIN_SANDBOX_PORT: "-1" }, "ROLECHAIN_SANDBOX_PORT", /0 to 65535/],
    [{ AWS_REGION: "Mars" }, "AWS_REGION", /region name/],
    [{ AWS_DEFAULT_REGION: "us_east_1" }, "AWS_DEFAULT_REGION", /region name/],
  ])("refuses %j naming %s", (env, variable, message) => {
    let thrown: unknown;
    try {
      resolveTargetConfig(env);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TargetConfigError);
    expect(thrown).toMatchObject({ code: "InvalidTargetConfig", variable });
    expect((thrown as Error).message).toMatch(message);
  });
});
