/**
 * The AWS Query protocol's request side: the flat `key=value` form (a POST body or a GET query
 * string) and the `Name.member.N` list convention on top of it.
 */
import { MalformedQueryString, ValidationError } from "./errors";

/** Flat form fields. Created without a prototype so a field named `__proto__` is just a field. */
export type QueryParams = Record<string, string>;

/** How much of a parameter name an error may quote. */
const SHOWN_NAME_CHARS = 64;

/**
 * Decodes one form component. `where` names it for the error, which never quotes the text
 * itself: a value may be a session token or a secret.
 */
function decodeFormComponent(text: string, where: () => string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch (cause) {
    throw Object.assign(new MalformedQueryString(`Invalid percent-encoding in ${where()}.`), {
      cause,
    });
  }
}

/** A parameter name fit to quote: decoded, printable ASCII only, and short. */
function shownName(name: string): string {
  const printable = name.replace(/[^\x20-\x7e]/g, "?");
  return printable.length > SHOWN_NAME_CHARS
    ? `${printable.slice(0, SHOWN_NAME_CHARS)}…`
    : printable;
}

/**
 * Parses `application/x-www-form-urlencoded` text strictly: a bad percent escape is AWS's
 * `MalformedQueryString`, not a silently mangled value. A repeated key keeps its last value.
 */
export function parseQueryParams(text: string): QueryParams {
  const params: QueryParams = Object.create(null);
  if (text.length === 0) return params;
  let position = 0;
  for (const pair of text.split("&")) {
    position += 1;
    if (pair.length === 0) continue;
    const eq = pair.indexOf("=");
    const key = decodeFormComponent(
      eq === -1 ? pair : pair.slice(0, eq),
      () => `the name of parameter ${position}`,
    );
    params[key] =
      eq === -1
        ? ""
        : decodeFormComponent(pair.slice(eq + 1), () => `the value of ${shownName(key)}`);
  }
  return params;
}

/**
 * Reads the list `<prefix>.1`, `<prefix>.2`, ... (for example `TagKeys.member`) in index
 * order. Indexes must run 1..N without gaps, as the SDKs send them.
 */
export function readMemberList(params: QueryParams, prefix: string): string[] {
  const out: string[] = [];
  for (let i = 1; ; i++) {
    const value = params[`${prefix}.${i}`];
    if (value === undefined) break;
    out.push(value);
  }
  return out;
}

export interface Tag {
  Key: string;
  Value: string;
}

/** Reads `<prefix>.N.Key` / `<prefix>.N.Value` pairs, e.g. `Tags.member.1.Key`. */
export function readTagList(params: QueryParams, prefix: string, field: string): Tag[] {
  const tags: Tag[] = [];
  for (let i = 1; ; i++) {
    const key = params[`${prefix}.${i}.Key`];
    const value = params[`${prefix}.${i}.Value`];
    if (key === undefined && value === undefined) break;
    if (key === undefined) {
      throw new ValidationError(
        `1 validation error detected: Value null at '${field}.${i}.member.key' failed to ` +
          "satisfy constraint: Member must not be null",
      );
    }
    tags.push({ Key: key, Value: value ?? "" });
  }
  return tags;
}
