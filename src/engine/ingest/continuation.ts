/**
 * Lines that continue the record before them rather than start one: stack trace frames and headers.
 * `\tat com.x.Y.z(Y.java:10)`, `Caused by: …`, `Suppressed: …`, `... 12 more`, any indented line, and an
 * exception header such as `java.lang.IllegalStateException: boom` or `Traceback (most recent call last):`.
 */
export function isContinuation(b: Uint8Array, start: number, end: number): boolean {
  const c = b[start];
  if (c === 32 || c === 9) return true;
  if (startsWith(b, start, end, CAUSED_BY) || startsWith(b, start, end, SUPPRESSED)) return true;
  if (startsWith(b, start, end, DOTS) || startsWith(b, start, end, TRACEBACK)) return true;
  return isExceptionHeader(b, start, end);
}

const enc = new TextEncoder();
const CAUSED_BY = enc.encode('Caused by: ');
const SUPPRESSED = enc.encode('Suppressed: ');
const DOTS = enc.encode('...');
const TRACEBACK = enc.encode('Traceback (most recent call last)');
const EXCEPTION = enc.encode('Exception');
const SUFFIXES = ['Exception', 'Error', 'Throwable', 'Exception:', 'Error:', 'Throwable:'].map((s) =>
  enc.encode(s),
);

function startsWith(b: Uint8Array, start: number, end: number, prefix: Uint8Array): boolean {
  if (end - start < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (b[start + i] !== prefix[i]) return false;
  return true;
}

/** A dotted class name ending in Exception/Error/Throwable, then ':' or the end of the line. */
function isExceptionHeader(b: Uint8Array, start: number, end: number): boolean {
  let i = start;
  let dots = 0;
  while (i < end) {
    const c = b[i]!;
    const word =
      (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36;
    if (c === 46) dots++;
    else if (!word) break;
    i++;
  }
  if (i < end && b[i] !== 58) return false;
  // without a package, only a CamelCase name ending in Exception and followed by ':' (EndOfStreamException: …)
  if (
    dots === 0 &&
    !(i < end && i - start > 9 && endsWith(b, start, i, EXCEPTION) && b[start]! >= 65 && b[start]! <= 90)
  ) {
    return false;
  }
  const tokenEnd = i;
  for (const s of SUFFIXES) {
    if (s[s.length - 1] === 58) continue;
    if (tokenEnd - start >= s.length && startsWith(b, tokenEnd - s.length, tokenEnd, s)) return true;
  }
  return false;
}

function endsWith(b: Uint8Array, start: number, end: number, suffix: Uint8Array): boolean {
  return end - start >= suffix.length && startsWith(b, end - suffix.length, end, suffix);
}
