/** BigInt reference of splitmix64 (Steele, Lea & Flood 2014; Vigna's splitmix64.c), all arithmetic mod 2^64. */
export const MASK = (1n << 64n) - 1n;
export const GAMMA = 0x9e3779b97f4a7c15n;

export function mixRef(z: bigint): bigint {
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
  return z ^ (z >> 31n);
}
