/** Small deterministic PRNG (mulberry32) and the id/text helpers the generator needs. */

const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const HEX = '0123456789abcdef';

export class Rng {
  constructor(seed) {
    this.s = (seed >>> 0) || 0x9e3779b9;
  }

  /** Unsigned 32-bit integer. */
  u32() {
    let t = (this.s = (this.s + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Float in [0, 1). */
  next() {
    return this.u32() / 4294967296;
  }

  /** Integer in [a, b] inclusive. */
  int(a, b) {
    return a + Math.floor(this.next() * (b - a + 1));
  }

  float(a, b) {
    return a + this.next() * (b - a);
  }

  chance(p) {
    return this.next() < p;
  }

  pick(arr) {
    return arr[Math.floor(this.next() * arr.length)];
  }

  /** Pick with weights (array of numbers, same length as arr). */
  weighted(arr, weights) {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < arr.length; i++) {
      r -= weights[i];
      if (r < 0) return arr[i];
    }
    return arr[arr.length - 1];
  }

  /** Standard normal (Box-Muller). */
  normal() {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  lognormal(median, sigma) {
    return median * Math.exp(sigma * this.normal());
  }

  /** A child generator whose stream depends only on this one's next value (keeps streams independent). */
  fork() {
    return new Rng(this.u32() ^ 0x5bd1e995);
  }

  hex(n) {
    let out = '';
    while (out.length < n) {
      let x = this.u32();
      for (let i = 0; i < 8 && out.length < n; i++) {
        out += HEX[x & 15];
        x >>>= 4;
      }
    }
    return out;
  }

  base62(n) {
    let out = '';
    while (out.length < n) {
      let x = this.u32();
      for (let i = 0; i < 5 && out.length < n; i++) {
        out += B62[x % 62];
        x = Math.floor(x / 62);
      }
    }
    return out;
  }

  /** RFC 4122 v4-shaped uuid. */
  uuid() {
    const h = this.hex(32);
    const variant = HEX[8 + (this.u32() & 3)];
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}
