/** `arn:aws:sts::1:assumed-role/rolechain-7/s` -> `rolechain-7`; a user ARN -> `user/admin`. */
export function shortArn(arn: string): string {
  const resource = arn.split(":").slice(5).join(":");
  if (resource.startsWith("assumed-role/")) return resource.split("/")[1] ?? resource;
  if (resource.startsWith("role/")) return resource.split("/").at(-1) ?? resource;
  return resource || arn;
}
