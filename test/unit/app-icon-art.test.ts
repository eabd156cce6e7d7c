import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, drawAppIcon, drawTrayIcon, encodePng, fitScale, iconSet, LEVEL_COLOURS, textColourOn, textWidth } from '../../main/app/icon-art.js';
import { QUOTA_LEVELS } from '../../shared/levels.js';

/** A strict little PNG reader: signature, chunk CRCs, IHDR, one zlib stream of filter-0 rows. */
function decode(png: Buffer): { width: number; height: number; pixel: (x: number, y: number) => number[] } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  const types: string[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    expect(png.readUInt32BE(offset + 8 + length)).toBe(crc32(png.subarray(offset + 4, offset + 8 + length)));
    types.push(type);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([...data.subarray(8)]).toEqual([8, 6, 0, 0, 0]);
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  expect(types).toEqual(['IHDR', 'IDAT', 'IEND']);
  const raw = zlib.inflateSync(Buffer.concat(idat));
  expect(raw.length).toBe((width * 4 + 1) * height);
  return {
    width,
    height,
    pixel: (x, y) => {
      const start = y * (width * 4 + 1) + 1 + x * 4;
      expect(raw[y * (width * 4 + 1)]).toBe(0);
      return [...raw.subarray(start, start + 4)];
    },
  };
}

function pixels(image: ReturnType<typeof decode>): number[][] {
  const all: number[][] = [];
  for (let y = 0; y < image.height; y++) for (let x = 0; x < image.width; x++) all.push(image.pixel(x, y));
  return all;
}

describe('icon art', () => {
  it('CRC-32 matches the standard check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('encodes an RGBA image a PNG reader takes back exactly', () => {
    const rgba = new Uint8Array(3 * 2 * 4).map((_, i) => (i * 37) % 256);
    const image = decode(encodePng(3, 2, rgba));
    expect([image.width, image.height]).toEqual([3, 2]);
    expect(image.pixel(2, 1)).toEqual([...rgba.subarray(20, 24)]);
    expect(() => encodePng(3, 2, new Uint8Array(5))).toThrow(/expected 24 bytes/);
  });

  it('macOS template images are black and alpha only, and fill up with the level', () => {
    let previousInk = -1;
    for (const level of ['idle', ...QUOTA_LEVELS] as const) {
      const image = decode(drawTrayIcon({ level, template: true, text: null }, 36));
      const all = pixels(image);
      expect(all.every(([r, g, b, a]) => (a === 0 ? true : r === 0 && g === 0 && b === 0))).toBe(true);
      const ink = all.reduce((sum, p) => sum + (p[3] ?? 0), 0);
      expect(ink).toBeGreaterThan(previousInk);
      previousInk = ink;
    }
  });

  it('Linux/Windows icons: the level colour with the percentage drawn in a readable colour', () => {
    const image = decode(drawTrayIcon({ level: 'danger', template: false, text: '92' }, 32));
    expect(image.pixel(0, 0)[3]).toBeLessThan(255); // rounded corner
    expect(image.pixel(16, 1)).toEqual([...LEVEL_COLOURS.danger, 255]);
    const text = pixels(image).filter(([r, g, b]) => r === 255 && g === 255 && b === 255);
    expect(text.length).toBeGreaterThan(30);
    const yellow = decode(drawTrayIcon({ level: 'moderate', template: false, text: '60' }, 16));
    expect(pixels(yellow).some(([r, g, b, a]) => r === 0 && g === 0 && b === 0 && a === 255)).toBe(true);
  });

  it('the digits fit: the largest whole scale within the room', () => {
    expect([fitScale('42', 14), fitScale('100', 14), fitScale('42', 30), fitScale('100', 30), fitScale('7', 14)]).toEqual([2, 1, 4, 2, 2]);
    expect(textWidth('100', 2)).toBe(22);
    expect(textWidth('', 3)).toBe(0);
  });

  it('picks black text on light colours and white on dark ones', () => {
    expect(textColourOn([202, 138, 4])).toEqual([0, 0, 0]);
    expect(textColourOn([127, 29, 29])).toEqual([255, 255, 255]);
  });

  it('the app icon is a square PNG at the size asked', () => {
    const image = decode(drawAppIcon(64));
    expect([image.width, image.height]).toEqual([64, 64]);
    expect(image.pixel(0, 0)[3]).toBe(0);
    expect(image.pixel(32, 32)[3]).toBe(255);
  });

  it('build/icons holds exactly what the code draws (node build/make-icons.mjs)', () => {
    const dir = path.resolve(import.meta.dirname, '../../build/icons');
    const set = iconSet();
    expect(set.map((icon) => icon.file)).toContain('tray/tray-highTemplate@2x.png');
    for (const { file, png } of set) expect(fs.readFileSync(path.join(dir, file)).equals(png), file).toBe(true);
  });
});
