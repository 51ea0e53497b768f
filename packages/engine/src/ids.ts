const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
// Random bytes drawn 4 KiB at a time: one call into the CSPRNG per 256 ids instead of one per id.
const pool = new Uint8Array(4096);
let offset = pool.length;

function randomBytes16(): Uint8Array {
  if (offset + 16 > pool.length) {
    globalThis.crypto.getRandomValues(pool);
    offset = 0;
  }
  offset += 16;
  return pool.subarray(offset - 16, offset);
}

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Ids made close in time
 * sort close together, so the rows a busy server inserts (runs, steps, outgoing messages) land on the
 * same few b-tree pages instead of random ones: fewer pages written per commit.
 */
export function timeOrderedId(now: number = Date.now()): string {
  const b = randomBytes16(); // overwritten below where the time and version go
  let ms = now;
  for (let i = 5; i >= 0; i--) {
    b[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  b[6] = (b[6]! & 0x0f) | 0x70; // version 7
  b[8] = (b[8]! & 0x3f) | 0x80; // RFC 9562 variant
  let s = '';
  for (let i = 0; i < 16; i++) {
    s += HEX[b[i]!];
    if (i === 3 || i === 5 || i === 7 || i === 9) s += '-';
  }
  return s;
}
