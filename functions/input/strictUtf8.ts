/** Where bytes stop being UTF-8: the offset of the first byte a strict decoder refuses, and that byte. */
export interface Utf8Refusal {
  offset: number;
  byte: number;
}

/**
 * Decodes bytes as strict UTF-8 with a leading byte order mark dropped (editors and spreadsheets write one),
 * or says where the first byte that is not UTF-8 is. A lossy decode would turn bad bytes into U+FFFD and
 * run a job with text its author never wrote.
 */
export function decodeUtf8(bytes: Uint8Array, { keepBom = false } = {}): { text: string } | Utf8Refusal {
  try {
    return { text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: keepBom }).decode(bytes) };
  } catch {
    return refusalOf(bytes);
  }
}

/** How a refusal reads in an error: the byte in hex and its offset. */
export function describeRefusal(refusal: Utf8Refusal): { problem: string; value: string } {
  const byte = `0x${refusal.byte.toString(16).toUpperCase().padStart(2, "0")}`;
  return {
    problem: `is not UTF-8 text: byte ${byte} at offset ${refusal.offset} is not valid UTF-8`,
    value: byte,
  };
}

/**
 * The decoder does not say where it failed, so find the shortest prefix a streaming decoder refuses (once a
 * prefix is refused, every longer one is too). When every prefix passes, the bytes end inside a character.
 */
function refusalOf(bytes: Uint8Array): Utf8Refusal {
  let low = 1;
  let high = bytes.length + 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (refuses(bytes.subarray(0, middle))) high = middle;
    else low = middle + 1;
  }
  // The decoder stops at the byte that breaks a character; name the character's first byte instead.
  let offset = Math.min(low, bytes.length) - 1;
  for (let lead = offset - 1; lead >= 0 && lead >= offset - 3; lead--) {
    const byte = bytes[lead] ?? 0;
    if ((byte & 0xc0) === 0x80) continue;
    if (byte >= 0xc0 && lead + sequenceLength(byte) > offset) offset = lead;
    break;
  }
  return { offset, byte: bytes[offset] ?? 0 };
}

function refuses(prefix: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(prefix, { stream: true });
    return false;
  } catch {
    return true;
  }
}

function sequenceLength(lead: number): number {
  if (lead >= 0xf0) return 4;
  return lead >= 0xe0 ? 3 : 2;
}
