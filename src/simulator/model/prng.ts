/**
 * Deterministic pseudo-random numbers keyed by (seed, identity, index), so that any value can be
 * computed on its own, in any order, and always comes out the same.
 */

/** A 32-bit hash of a string mixed with the scenario seed (cyrb53-style, lower 32 bits). */
export function hashKey(seed: number, key: string): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h1 ^ h2) >>> 0;
}

/** Mixes a key hash with an index into a new 32-bit value (murmur3 finalizer). */
export function mix(h: number, n: number): number {
  let x = (h ^ Math.imul(n + 0x9e3779b9, 0x85ebca6b)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** A uniform number in [0, 1) for (key hash, index). */
export function unit(h: number, n = 0): number {
  return mix(h, n) / 4294967296;
}

/** A uniform number in [0, 1) for (seed, key, index). */
export function rand(seed: number, key: string, n = 0): number {
  return unit(hashKey(seed, key), n);
}

/** A deterministic UUID (version 4 layout) for an object identity. */
export function uuidFor(seed: number, key: string): string {
  const h = hashKey(seed, key);
  const c = mix(h, 3);
  const [a, b, cc, d] = [mix(h, 1), mix(h, 2), c, mix(h, 4)].map(hex8) as [string, string, string, string];
  const variant = (((c >>> 28) & 0x3) | 0x8).toString(16);
  return `${a}-${b.slice(0, 4)}-4${b.slice(5)}-${variant}${cc.slice(1, 4)}-${cc.slice(4)}${d}`;
}

const hex8 = (x: number): string => x.toString(16).padStart(8, '0');

/** The alphabet Kubernetes uses for generated name suffixes (no vowels, no confusable digits). */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** A Kubernetes-style random suffix (`x2x9q`) of `length` characters for an identity. */
export function nameSuffix(seed: number, key: string, length = 5): string {
  const h = hashKey(seed, key);
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHANUMS[mix(h, i + 17) % ALPHANUMS.length];
  return out;
}
