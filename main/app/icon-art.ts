/**
 * The tray and app icons, drawn with plain Node: a tiny PNG encoder (zlib + CRC-32), shapes drawn
 * with 4×4 supersampling, and a 3×5 bitmap font for the percentage. The same code draws the files
 * build/make-icons.mjs writes (build/icons/) and, at run time, the Linux/Windows tray icon with the
 * current percentage in it (101 percentages × 7 levels is too many files to ship). Pure: bytes out.
 */
import { deflateSync } from 'node:zlib';
import { QUOTA_LEVELS, quotaLevelTone, type QuotaLevel, type Tone } from '../../shared/levels.js';
import type { IconLevel } from './tray-policy.js';

type Rgb = readonly [number, number, number];

/** Each tone's colour in the icon (good, moderate, high and danger kept the colours they had). */
export const TONE_COLOURS: Readonly<Record<Tone, Rgb>> = {
  green: [22, 163, 74],
  yellow: [202, 138, 4],
  orange: [234, 88, 12],
  red: [220, 38, 38],
};

/** A level's colour on Linux and Windows (where the icon carries the colour): its tone's, grey when idle. */
export const LEVEL_COLOURS: Readonly<Record<IconLevel, Rgb>> = {
  idle: [107, 114, 128],
  ...(Object.fromEntries(QUOTA_LEVELS.map((level) => [level, TONE_COLOURS[quotaLevelTone(level)]])) as Record<QuotaLevel, Rgb>),
};

/** How full the macOS template gauge is drawn for each level (the title carries the exact figure). */
export const LEVEL_FILL: Readonly<Record<IconLevel, number>> = {
  idle: 0,
  fresh: 0.05,
  excellent: 0.17,
  good: 0.37,
  moderate: 0.62,
  high: 0.82,
  danger: 0.92,
  critical: 1,
};

// ---------------------------------------------------------------------------------------------
// PNG encoding

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** An RGBA image (8 bits a channel, rows top to bottom) as PNG bytes. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (rgba.length !== width * height * 4) throw new Error(`encodePng: expected ${width * height * 4} bytes, got ${rgba.length}`);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: RGBA
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    // Filter byte 0 (none) per row, then the row's pixels.
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(rows, y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', new Uint8Array(0))]);
}

// ---------------------------------------------------------------------------------------------
// Drawing

export class Canvas {
  readonly data: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.data = new Uint8Array(width * height * 4);
  }

  /** Paint `colour` over pixel (x, y) with `alpha` (0..1), source-over. */
  blend(x: number, y: number, colour: Rgb, alpha: number): void {
    if (alpha <= 0 || x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const i = (y * this.width + x) * 4;
    const a = Math.min(1, alpha);
    const under = (this.data[i + 3] as number) / 255;
    const out = a + under * (1 - a);
    for (let c = 0; c < 3; c++) {
      const mixed = out === 0 ? 0 : ((colour[c] as number) * a + (this.data[i + c] as number) * under * (1 - a)) / out;
      this.data[i + c] = Math.round(mixed);
    }
    this.data[i + 3] = Math.round(out * 255);
  }

  /** Fill every pixel by the share of its 4×4 sub-samples for which `inside(x, y)` holds. */
  fill(colour: Rgb, inside: (x: number, y: number) => boolean, opacity = 1): void {
    for (let py = 0; py < this.height; py++) {
      for (let px = 0; px < this.width; px++) {
        let hits = 0;
        for (let sy = 0; sy < 4; sy++) for (let sx = 0; sx < 4; sx++) if (inside(px + (sx + 0.5) / 4, py + (sy + 0.5) / 4)) hits++;
        if (hits > 0) this.blend(px, py, colour, (hits / 16) * opacity);
      }
    }
  }

  png(): Buffer {
    return encodePng(this.width, this.height, this.data);
  }
}

export function roundedRect(x0: number, y0: number, x1: number, y1: number, radius: number): (x: number, y: number) => boolean {
  return (x, y) => {
    if (x < x0 || x > x1 || y < y0 || y > y1) return false;
    const cx = Math.min(Math.max(x, x0 + radius), x1 - radius);
    const cy = Math.min(Math.max(y, y0 + radius), y1 - radius);
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
  };
}

/**
 * A gauge: a ring, and a pie from 12 o'clock clockwise covering `fraction` of the disc inside it.
 */
export function gauge(cx: number, cy: number, radius: number, stroke: number, fraction: number): (x: number, y: number) => boolean {
  const pieRadius = radius - stroke * 1.8;
  return (x, y) => {
    const dx = x - cx;
    const dy = y - cy;
    const distance = Math.hypot(dx, dy);
    if (distance <= radius && distance >= radius - stroke) return true;
    if (fraction <= 0 || distance > pieRadius) return false;
    if (fraction >= 1) return true;
    const angle = (Math.atan2(dx, -dy) + 2 * Math.PI) % (2 * Math.PI);
    return angle <= fraction * 2 * Math.PI;
  };
}

/** 3×5 glyphs, rows top to bottom. */
const GLYPHS: Readonly<Record<string, readonly string[]>> = {
  '0': ['111', '101', '101', '101', '111'],
  '1': ['010', '110', '010', '010', '111'],
  '2': ['111', '001', '111', '100', '111'],
  '3': ['111', '001', '111', '001', '111'],
  '4': ['101', '101', '111', '001', '001'],
  '5': ['111', '100', '111', '001', '111'],
  '6': ['111', '100', '111', '101', '111'],
  '7': ['111', '001', '001', '001', '001'],
  '8': ['111', '101', '111', '101', '111'],
  '9': ['111', '101', '111', '001', '111'],
  '!': ['010', '010', '010', '000', '010'],
  '-': ['000', '000', '111', '000', '000'],
};

export function textWidth(text: string, scale: number): number {
  return text.length === 0 ? 0 : text.length * 3 * scale + (text.length - 1) * scale;
}

/** The largest whole scale at which `text` fits in `room` × `room` pixels (at least 1). */
export function fitScale(text: string, room: number): number {
  let scale = 1;
  while (textWidth(text, scale + 1) <= room && 5 * (scale + 1) <= room) scale++;
  return scale;
}

/** Draws `text` centred on (cx, cy), each font pixel a `scale`×`scale` block. Unknown characters are skipped. */
export function drawText(canvas: Canvas, text: string, cx: number, cy: number, scale: number, colour: Rgb): void {
  const left = Math.round(cx - textWidth(text, scale) / 2);
  const top = Math.round(cy - (5 * scale) / 2);
  [...text].forEach((char, index) => {
    const glyph = GLYPHS[char];
    if (!glyph) return;
    const x0 = left + index * 4 * scale;
    glyph.forEach((row, gy) => {
      [...row].forEach((bit, gx) => {
        if (bit !== '1') return;
        for (let y = 0; y < scale; y++) for (let x = 0; x < scale; x++) canvas.blend(x0 + gx * scale + x, top + gy * scale + y, colour, 1);
      });
    });
  });
}

/** Black or white, whichever reads better on `background` (WCAG relative luminance). */
export function textColourOn(background: Rgb): Rgb {
  const channel = (value: number): number => {
    const v = value / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(background[0]) + 0.7152 * channel(background[1]) + 0.0722 * channel(background[2]);
  // Above 0.179 black has the higher contrast ratio, below it white.
  return luminance > 0.179 ? [0, 0, 0] : [255, 255, 255];
}

export interface TrayIconArt {
  level: IconLevel;
  template: boolean;
  text: string | null;
}

/** One tray image at `size` pixels square, as PNG bytes. */
export function drawTrayIcon(art: TrayIconArt, size: number): Buffer {
  const canvas = new Canvas(size, size);
  const centre = size / 2;
  if (art.template) {
    // macOS template image: black and alpha only; the menu bar tints it for light and dark.
    canvas.fill([0, 0, 0], gauge(centre, centre, size * 0.44, Math.max(1, size / 12), LEVEL_FILL[art.level]));
    return canvas.png();
  }
  const colour = LEVEL_COLOURS[art.level];
  if (art.text === null) {
    canvas.fill(colour, gauge(centre, centre, size * 0.44, Math.max(1, size / 10), LEVEL_FILL[art.level]));
    return canvas.png();
  }
  canvas.fill(colour, roundedRect(0, 0, size, size, size * 0.22));
  const pad = Math.max(1, Math.round(size / 16));
  drawText(canvas, art.text, centre, centre, fitScale(art.text, size - 2 * pad), textColourOn(colour));
  return canvas.png();
}

/** The application icon (dock, installer, window lists) at `size` pixels square. */
export function drawAppIcon(size: number): Buffer {
  const canvas = new Canvas(size, size);
  const inset = size * 0.09;
  canvas.fill([31, 41, 55], roundedRect(inset, inset, size - inset, size - inset, size * 0.2));
  canvas.fill([217, 119, 87], gauge(size / 2, size / 2, size * 0.3, size * 0.045, 0.62));
  return canvas.png();
}

/** Each level's preview percentage for the static coloured icons: where its band starts (hyperaware). */
const PREVIEW_PERCENT: Readonly<Record<IconLevel, number | null>> = {
  idle: null,
  fresh: 0,
  excellent: 10,
  good: 25,
  moderate: 50,
  high: 75,
  danger: 90,
  critical: 95,
};

/**
 * The files build/make-icons.mjs writes under build/icons/ (paths relative to it): the app icon
 * for the packagers, the macOS template tray images per level (1× and @2x), and coloured
 * Linux/Windows tray images per level with a percentage drawn in (the app draws the live
 * percentage at run time with the same code).
 */
export function iconSet(): { file: string; png: Buffer }[] {
  const files: { file: string; png: Buffer }[] = [{ file: 'icon.png', png: drawAppIcon(1024) }];
  for (const level of Object.keys(LEVEL_FILL) as IconLevel[]) {
    files.push({ file: `tray/tray-${level}Template.png`, png: drawTrayIcon({ level, template: true, text: null }, 18) });
    files.push({ file: `tray/tray-${level}Template@2x.png`, png: drawTrayIcon({ level, template: true, text: null }, 36) });
    const percent = PREVIEW_PERCENT[level];
    const text = percent === null ? null : String(percent);
    files.push({ file: `tray/tray-${level}${text === null ? '' : `-${text}`}.png`, png: drawTrayIcon({ level, template: false, text }, 32) });
  }
  return files;
}
