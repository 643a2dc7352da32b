// Renders the app icon and the tray icons (online / reconnecting / offline) to PNG, with no
// image library: shapes as signed distances, 4x4 supersampling, zlib for the PNG encoding.
// Run: node build/make-icons.mjs (the PNGs are committed; rerun after changing a shape).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));

// ---- PNG encoding ----
const CRC = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
function crc32(buf) {
  let c = -1;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // no filter
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- shapes (unit square, y down); each returns a signed distance (< 0 inside) ----
const circle = (cx, cy, r) => (x, y) => Math.hypot(x - cx, y - cy) - r;
const roundRect = (x0, y0, x1, y1, r) => (x, y) => {
  const qx = Math.abs(x - (x0 + x1) / 2) - ((x1 - x0) / 2 - r);
  const qy = Math.abs(y - (y0 + y1) / 2) - ((y1 - y0) / 2 - r);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};
const union = (...fs) => (x, y) => Math.min(...fs.map((f) => f(x, y)));
const minus = (a, b) => (x, y) => Math.max(a(x, y), -b(x, y));
/** The bell: dome, flared body, rim and clapper. */
function bell(s, ox, oy) {
  const X = (v) => ox + v * s;
  const Y = (v) => oy + v * s;
  const dome = circle(X(0.5), Y(0.46), 0.2 * s);
  const body = (x, y) => {
    // A trapezoid between the dome's equator and the rim, widening downwards.
    const t = (y - Y(0.46)) / (Y(0.7) - Y(0.46));
    if (t < 0 || t > 1) return 1;
    const half = (0.2 + 0.06 * t * t) * s;
    return Math.abs(x - X(0.5)) - half;
  };
  return union(dome, body, roundRect(X(0.2), Y(0.68), X(0.8), Y(0.75), 0.035 * s), circle(X(0.5), Y(0.8), 0.06 * s), circle(X(0.5), Y(0.25), 0.04 * s));
}

function render(size, layers) {
  const out = Buffer.alloc(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const x = (px + (sx + 0.5) / n) / size;
          const y = (py + (sy + 0.5) / n) / size;
          // Paint layers back to front ("over" compositing per sample).
          let cr = 0, cg = 0, cb = 0, ca = 0;
          for (const { shape, color } of layers) {
            if (shape(x, y) > 0) continue;
            const [lr, lg, lb, la] = typeof color === 'function' ? color(x, y) : color;
            cr = lr * la + cr * (1 - la);
            cg = lg * la + cg * (1 - la);
            cb = lb * la + cb * (1 - la);
            ca = la + ca * (1 - la);
          }
          r += cr; g += cg; b += cb; a += ca;
        }
      }
      const i = (py * size + px) * 4;
      const k = n * n;
      const alpha = a / k;
      out[i] = alpha ? Math.round((r / k / alpha) * 255) : 0;
      out[i + 1] = alpha ? Math.round((g / k / alpha) * 255) : 0;
      out[i + 2] = alpha ? Math.round((b / k / alpha) * 255) : 0;
      out[i + 3] = Math.round(alpha * 255);
    }
  }
  return out;
}

const hex = (h, a = 1) => [parseInt(h.slice(1, 3), 16) / 255, parseInt(h.slice(3, 5), 16) / 255, parseInt(h.slice(5, 7), 16) / 255, a];
const WHITE = hex('#ffffff');
const ACCENT = hex('#5b4bdb');
const gradient = (x, y) => {
  const t = (x + y) / 2;
  const a = hex('#6a5af0');
  const b = hex('#4b3bc9');
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t, 1];
};

function appIcon(size) {
  return png(
    size,
    render(size, [
      { shape: roundRect(0.0625, 0.0625, 0.9375, 0.9375, 0.2), color: gradient },
      { shape: bell(0.74, 0.13, 0.1), color: WHITE },
      { shape: circle(0.735, 0.255, 0.105), color: ACCENT },
      { shape: circle(0.735, 0.255, 0.08), color: hex('#ff7a59') },
    ]),
  );
}

const STATUS = { online: '#22a861', reconnecting: '#f0a020', offline: '#e0413a' };
function trayIcon(size, status) {
  return png(
    size,
    render(size, [
      { shape: bell(1.0, 0, 0), color: ACCENT },
      // The status dot, ringed in white so it reads on dark and light panels.
      { shape: circle(0.76, 0.26, 0.22), color: WHITE },
      { shape: circle(0.76, 0.26, 0.16), color: hex(STATUS[status]) },
    ]),
  );
}

// macOS menu bar icons are Template images: black and alpha only, recoloured by macOS for light
// and dark bars (Electron marks a file whose name ends in "Template" as one; docs/api/native-image.md).
// No colour, so the state is a shape: a filled dot online, a ring while reconnecting, a faded bell offline.
const BLACK = hex('#000000');
function trayTemplate(size, status) {
  const gap = circle(0.76, 0.26, 0.22);
  const dot = { online: circle(0.76, 0.26, 0.16), reconnecting: minus(circle(0.76, 0.26, 0.16), circle(0.76, 0.26, 0.09)), offline: null }[status];
  return png(
    size,
    render(size, [{ shape: minus(bell(1.0, 0, 0), gap), color: status === 'offline' ? hex('#000000', 0.45) : BLACK }, ...(dot ? [{ shape: dot, color: BLACK }] : [])]),
  );
}

fs.writeFileSync(path.join(here, 'icon.png'), appIcon(1024));
fs.mkdirSync(path.join(here, 'icons'), { recursive: true });
for (const s of [16, 32, 48, 64, 128, 256, 512]) fs.writeFileSync(path.join(here, 'icons', `${s}x${s}.png`), appIcon(s));
fs.mkdirSync(path.join(here, 'tray'), { recursive: true });
for (const status of Object.keys(STATUS)) {
  fs.writeFileSync(path.join(here, 'tray', `${status}.png`), trayIcon(22, status));
  fs.writeFileSync(path.join(here, 'tray', `${status}@2x.png`), trayIcon(44, status));
  fs.writeFileSync(path.join(here, 'tray', `${status}Template.png`), trayTemplate(22, status));
  fs.writeFileSync(path.join(here, 'tray', `${status}Template@2x.png`), trayTemplate(44, status));
}
process.stdout.write('icons written to build/\n');
