import { randomBytes } from "node:crypto";

const ID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** A random id of `length` letters and digits, the shape providers give their object ids. */
export function randomId(length: number): string {
  return [...randomBytes(length)].map((byte) => ID_ALPHABET[byte % ID_ALPHABET.length]).join("");
}

/** An unguessable token of `bytes` random bytes, URL-safe: for access tokens and upload tokens. */
export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString("base64url");
}
