/**
 * The AWS Query protocol's response side: a small generic XML serializer and the two envelopes
 * (a result and an error). Results are plain objects; their key order is the element order.
 */
import type { SandboxError } from "./errors";

export type Service = "iam" | "sts";

export const NAMESPACES: Record<Service, string> = {
  iam: "https://iam.amazonaws.com/doc/2010-05-08/",
  sts: "https://sts.amazonaws.com/doc/2011-06-15/",
};

/** XML 1.0 cannot carry most control characters even escaped; they are dropped. */
const INVALID_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Escapes text content (the sandbox writes no attribute values from input). */
export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML_CHARS, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\r/g, "&#13;");
}

/**
 * Serializes a value as the children of an element: objects become one element per key,
 * arrays become `<member>` elements, `Map`s `<entry><key/><value/></entry>` elements,
 * `Date`s ISO 8601 UTC, booleans `true`/`false`;
 * `undefined` and `null` are left out, as AWS leaves out absent optional members.
 *
 * @example toXmlChildren({ Roles: [{ RoleName: "a" }], IsTruncated: false })
 *   // "<Roles><member><RoleName>a</RoleName></member></Roles><IsTruncated>false</IsTruncated>"
 */
export function toXmlChildren(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (Array.isArray(value)) {
    return value.map((item) => `<member>${toXmlChildren(item)}</member>`).join("");
  }
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Map) {
    let out = "";
    for (const [key, child] of value) {
      const entry = `<key>${escapeXml(String(key))}</key><value>${toXmlChildren(child)}</value>`;
      out += `<entry>${entry}</entry>`;
    }
    return out;
  }
  if (typeof value === "object") {
    let out = "";
    for (const [key, child] of Object.entries(value)) {
      if (child === undefined || child === null) continue;
      out += `<${key}>${toXmlChildren(child)}</${key}>`;
    }
    return out;
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  return escapeXml(String(value));
}

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

export function resultXml(
  service: Service,
  action: string,
  result: unknown,
  requestId: string,
): string {
  const resultElement =
    result === undefined ? "" : `<${action}Result>${toXmlChildren(result)}</${action}Result>`;
  return (
    `${DECLARATION}<${action}Response xmlns="${NAMESPACES[service]}">${resultElement}` +
    `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata>` +
    `</${action}Response>\n`
  );
}

export function errorXml(service: Service, error: SandboxError, requestId: string): string {
  return (
    `${DECLARATION}<ErrorResponse xmlns="${NAMESPACES[service]}"><Error>` +
    `<Type>${error.type}</Type><Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>\n`
  );
}
