// Avatars as avatar.mixin computes them (odoo/addons/base/models/avatar_mixin.py): a record without
// an image gets an SVG with the first letter of its name on a colour derived from the name and the
// record's creation time. res.partner draws that SVG only for some partners and gives the others a
// static placeholder picture (see partnerAvatar in partner.ts).
import { createHash } from 'node:crypto';

/** Python's format(x, '.0f'): the nearest integer, ties to even. */
function roundHalfEven(x: number): string {
  const floor = Math.floor(x);
  const rest = x - floor;
  return String(rest > 0.5 || (rest === 0.5 && floor % 2 !== 0) ? floor + 1 : floor);
}

/** avatar_mixin.get_hsl_from_seed: hue and saturation from the first two bytes of SHA-512(seed). */
export function hslFromSeed(seed: string): string {
  const hex = createHash('sha512').update(seed, 'utf8').digest('hex');
  const hue = (Number.parseInt(hex.slice(0, 2), 16) * 360) / 255;
  const saturation = Number.parseInt(hex.slice(2, 4), 16) * ((70 - 40) / 255) + 40;
  return `hsl(${roundHalfEven(hue)}, ${roundHalfEven(saturation)}%, 45%)`;
}

/** markupsafe.escape, which Odoo's html_escape is. */
function htmlEscape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/'/g, '&#39;')
    .replace(/"/g, '&#34;');
}

/**
 * str(create_date.timestamp()) for a stored 'YYYY-MM-DD HH:MM:SS' (UTC; the Odoo server runs with
 * TZ=UTC, so the naive datetime's timestamp is the UTC one). Python prints a whole float with '.0'.
 */
function pythonTimestamp(createDate: string): string {
  const seconds = Date.parse(`${createDate.replace(' ', 'T')}Z`) / 1000;
  if (Number.isNaN(seconds)) return '';
  return Number.isInteger(seconds) ? `${seconds}.0` : String(seconds);
}

/**
 * _avatar_generate_svg, base64-encoded. The colour seed is the name followed by the creation
 * timestamp; the database keeps create_date to the microsecond, the seed (like read()) only to the
 * second, so for seeded records the colour can differ from the one the real server draws.
 */
export function initialAvatar(name: string, createDate: unknown): string {
  const initial = htmlEscape(([...name][0] ?? '').toUpperCase());
  const stamp = typeof createDate === 'string' && createDate ? pythonTimestamp(createDate) : '';
  const colour = hslFromSeed(name + stamp);
  const svg =
    "<?xml version='1.0' encoding='UTF-8' ?>" +
    "<svg height='180' width='180' xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink'>" +
    `<rect fill='${colour}' height='180' width='180'/>` +
    `<text fill='#ffffff' font-size='96' text-anchor='middle' x='90' y='125' font-family='sans-serif'>${initial}</text>` +
    '</svg>';
  return Buffer.from(svg, 'utf8').toString('base64');
}

/**
 * Stand-in for Odoo's static placeholder pictures (base/static/img/avatar_grey.png, company_image.png,
 * truck.png...): the emulator does not ship Odoo's image files, so every placeholder is this plain
 * grey square. Like Odoo's, it is a non-empty base64 image.
 */
export const PLACEHOLDER_AVATAR = Buffer.from(
  "<?xml version='1.0' encoding='UTF-8' ?>" +
    "<svg height='180' width='180' xmlns='http://www.w3.org/2000/svg'>" +
    "<rect fill='#d9d9d9' height='180' width='180'/></svg>",
  'utf8',
).toString('base64');
