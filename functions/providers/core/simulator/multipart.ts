/**
 * Reading a `multipart/form-data` body, as simulators of providers that take file uploads must: which parts
 * a provider wants, and what it says about the wrong ones, stays with its simulator.
 */

/** One part of a multipart body. */
export interface MultipartPart {
  name: string | undefined;
  /** Set on file parts: the `filename` of their Content-Disposition. */
  filename: string | undefined;
  content: Buffer;
}

/** The parts of a multipart/form-data body, or what keeps it from being one. */
export function readMultipart(contentType: string, body: Buffer): MultipartPart[] | { problem: string } {
  if (!/^multipart\/form-data/i.test(contentType))
    return { problem: "The upload must be multipart/form-data." };
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const marker = boundary?.[1] ?? boundary?.[2];
  if (marker === undefined) return { problem: "The multipart body has no boundary." };
  return parseMultipart(body, marker) ?? { problem: "The multipart body is malformed." };
}

/** Splits a multipart body on its boundary; undefined when it is malformed. */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] | undefined {
  const opening = Buffer.from(`--${boundary}`);
  const separator = Buffer.from(`\r\n--${boundary}`);
  let position = body.indexOf(opening);
  if (position < 0) return undefined;
  position += opening.length;
  const parts: MultipartPart[] = [];
  for (;;) {
    if (body.subarray(position, position + 2).toString("latin1") === "--") return parts;
    if (body.subarray(position, position + 2).toString("latin1") !== "\r\n") return undefined;
    position += 2;
    const next = body.indexOf(separator, position);
    if (next < 0) return undefined;
    const part = body.subarray(position, next);
    const headerEnd = part.indexOf("\r\n\r\n");
    if (headerEnd < 0) return undefined;
    const headers = part.subarray(0, headerEnd).toString("utf8");
    const disposition = /^content-disposition:(.*)$/im.exec(headers)?.[1] ?? "";
    parts.push({
      name: /(?:^|;)\s*name="([^"]*)"/i.exec(disposition)?.[1],
      filename: /(?:^|;)\s*filename="([^"]*)"/i.exec(disposition)?.[1],
      content: part.subarray(headerEnd + 4),
    });
    position = next + separator.length;
  }
}
