/**
 * The pictures the UIKit would load from Tencent's CDN, made here instead: every file under
 * /uikit-assets/ that local-assets.ts points the UIKit at. Avatars, group-type and file-type icons
 * are drawn below; the 62 basic emoji are Twemoji graphics (@twemoji/svg, MIT code, CC-BY 4.0
 * graphics) chosen to match the meaning of each of Tencent's keys, because Tencent's own yellow
 * faces are licensed by Tencent Cloud and are not ours to copy. The keys themselves
 * ([TUIEmoji_Smile] …) stay Tencent's, so messages keep rendering on Tencent's mobile UIKits.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Twemoji code point for emoji_<index>, in the order of the UIKit's default-emoji.ts. */
const EMOJI: readonly string[] = [
  '1f97a', '1f609', '1f606', '1f60a', '1f604', '1f601', '1f642', '1f622', '1f611', '1f632', // Expect … Amazed
  '1f60f', '1f60d', '1f929', '1f92d', '1f608', '1f47f', '1f971', '1f602', '1f92a', '1f62d', // Complacent … Wail
  '1f618', '1f62a', '1f628', '1f62c', '1f624', '1f913', '1f4a9', '1f910', '1f614', '1f605', // Kiss … Hehe
  '1f92b', '1f480', '1f637', '1f37a', '1f382', '1f9e7', '1f4a3', '1f916', '1f389', '1f340', // Silent … Bless
  '1f339', '1f349', '1f42e', '1f61e', '1f62f', '1f644', '1f47e', '1f437', '2615', '1f44c', // Flower … Ok
  '2764', '2600', '1f319', '2b50', '1f4b0', '1f4b8', '1f525', '1f4af', '1f6ab', '1f64f', // Heart … Convinced
  '1f52a', '1f44d', // Knife, Like
];

const svg = (body: string, size = 64) => `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" width="${size}" height="${size}">${body}</svg>\n`;
const person = (cx: number, cy: number, r: number, fill: string) =>
  `<circle cx="${cx}" cy="${cy - r * 0.45}" r="${r * 0.42}" fill="${fill}"/><path d="M${cx - r * 0.8} ${cy + r * 0.95}a${r * 0.8} ${r * 0.75} 0 0 1 ${r * 1.6} 0z" fill="${fill}"/>`;
const badge = (color: string, inner: string) => svg(`<rect width="64" height="64" rx="12" fill="${color}"/>${inner}`);
const label = (text: string, size = 14) => `<text x="32" y="${32 + size * 0.36}" font-family="system-ui,sans-serif" font-size="${size}" font-weight="700" fill="#fff" text-anchor="middle">${text}</text>`;

const GROUP_COLORS: Record<string, string> = { Public: '#2f80ed', Private: '#27ae60', Work: '#27ae60', Meeting: '#f2994a', ChatRoom: '#f2994a', AVChatRoom: '#eb5757', AVChatroom: '#eb5757', Community: '#9b51e0' };
const FILE_COLORS: Record<string, string> = { image: '#27ae60', pdf: '#eb5757', text: '#4f4f4f', ppt: '#f2994a', presentation: '#f2994a', sheet: '#219653', zip: '#828282', word: '#2f80ed', video: '#9b51e0', unknown: '#bdbdbd' };
const FILE_LABELS: Record<string, string> = { image: 'IMG', pdf: 'PDF', text: 'TXT', ppt: 'PPT', presentation: 'PPT', sheet: 'XLS', zip: 'ZIP', word: 'DOC', video: 'VID', unknown: 'FILE' };

function drawn(): Record<string, string> {
  const files: Record<string, string> = {
    'avatar.svg': svg(`<rect width="64" height="64" fill="#dfe4ed"/>${person(32, 34, 26, '#a3aec2')}`),
    'group.svg': svg(`<rect width="64" height="64" fill="#dfe4ed"/>${person(22, 36, 17, '#b8c1d1')}${person(40, 34, 20, '#8e9ab0')}`),
    'risk.svg': svg(`<rect width="64" height="64" fill="#f2f2f2"/><path d="M32 10l18 7v13c0 12-8 20-18 24-10-4-18-12-18-24V17z" fill="#bdbdbd"/>${label('!', 22)}`),
    'search.svg': svg(`<circle cx="27" cy="27" r="14" stroke="#4f4f4f" stroke-width="5" fill="none"/><path d="M37 37l15 15" stroke="#4f4f4f" stroke-width="6" stroke-linecap="round"/>`),
    'at.svg': badge('#2f80ed', label('@', 30)),
    'transparent.svg': svg(''),
  };
  for (const [type, color] of Object.entries(GROUP_COLORS)) files[`group-${type}.svg`] = badge(color, person(24, 36, 14, '#ffffffcc') + person(40, 34, 17, '#fff'));
  for (const [type, color] of Object.entries(FILE_COLORS)) {
    files[`file-${type}.svg`] = svg(`<path d="M12 4h28l14 14v42H12z" fill="${color}"/><path d="M40 4v14h14z" fill="#ffffff66"/><text x="33" y="46" font-family="system-ui,sans-serif" font-size="13" font-weight="700" fill="#fff" text-anchor="middle">${FILE_LABELS[type]}</text>`);
  }
  return files;
}

/** Every file of /uikit-assets/, by its path under that folder. */
export function localAssets(): Record<string, string | Buffer> {
  const twemoji = path.dirname(require.resolve('@twemoji/svg/package.json'));
  const files: Record<string, string | Buffer> = drawn();
  EMOJI.forEach((code, i) => { files[`emoji/emoji_${i}.svg`] = fs.readFileSync(path.join(twemoji, `${code}.svg`)); });
  return files;
}

export const EMOJI_COUNT = EMOJI.length;
