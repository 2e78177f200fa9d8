/**
 * A Vite plugin that keeps the UIKit off Tencent's CDN. The UIKit (chat-uikit-vue sources) and
 * its engine (chat-uikit-engine's bundle) build URLs under https://web.sdk.qcloud.com/ for
 * default avatars, group-type and file-type icons and emoji; an installation behind its own
 * network cannot reach them. At build time each such URL in their code is rewritten to a file
 * under <base>uikit-assets/, and those files (assets.ts) are emitted into the bundle. The build
 * fails if a CDN asset URL is left in any module, so a UIKit upgrade that adds one is noticed.
 */
import type { Plugin, ResolvedConfig } from 'vite';
import { localAssets, EMOJI_COUNT } from './assets';

const CDN = 'https://web.sdk.qcloud.com/';
/** Whole URLs (path under CDN) and the local file each becomes. */
const EXACT: Record<string, string> = {
  'component/TUIKit/assets/avatar_21.png': 'avatar.svg',
  'component/TUIKit/assets/avatar_16.png': 'avatar.svg',
  'component/TUIKit/assets/group_avatar.png': 'group.svg',
  'component/TUIKit/assets/has_risk_default.png': 'risk.svg',
  'component/TUIKit/assets/message-search.svg': 'search.svg',
  'im/assets/images/transparent.png': 'transparent.svg',
  'im/assets/images/at.svg': 'at.svg',
  'im/assets/images/Community.png': 'group-Community.svg',
  'im/demo/latest/faviconnew.png': 'parley.svg',
  // Tencent's default group avatar, whatever the file name says.
  'im/demo/TUIkit/web/img/constomer.svg': 'group.svg',
  'im/demo/TUIkit/web/img/constomer.png': 'group.svg',
};
/** URL prefixes the UIKit completes at run time (`file-${type}.svg`, `${groupType}.svg`, emoji names). */
const PREFIX: Record<string, string> = {
  'component/TUIKit/assets/file-': 'file-',
  'im/assets/images/': 'group-',
  'im/assets/emoji-plugin/': 'emoji/',
  'im/assets/face-elem/': 'face/',
};
const LEFTOVER = /https?:\/\/web\.sdk\.qcloud\.com\/(component|im\/assets|im\/demo)\/[^'"`\s)]*/;
const OURS = /[\\/]node_modules[\\/](@tencentcloud|tim-)/;
// Tencent's emoji files are emoji_<n>@2x.png; ours are SVG, named so that their type is honest.
const EMOJI_FILE = /emoji_(\d+)@2x\.png/g;
// The three "big emoji" packs are Tencent's artwork with no free equivalent: left out of the picker.
const BIG_EMOJI = /export const BIG_EMOJI_GROUP_LIST: IEmojiGroupList = \[[\s\S]*?\n\];/;

export function rewriteCdnUrls(code: string, local: string): string {
  let out = code;
  for (const [from, to] of Object.entries(EXACT)) out = out.split(CDN + from).join(local + to);
  for (const [from, to] of Object.entries(PREFIX)) out = out.split(CDN + from).join(local + to);
  return out.replace(EMOJI_FILE, 'emoji_$1.svg');
}

export default function uikitLocalAssets(): Plugin {
  let local = '/uikit-assets/';
  let emojiTableSeen = false;
  const files = localAssets();
  return {
    name: 'parley-uikit-local-assets',
    enforce: 'pre',
    configResolved(config: ResolvedConfig) {
      local = `${config.base}uikit-assets/`;
    },
    transform(code, id) {
      if (!OURS.test(id) || !/\.(vue|ts|js|mjs)$/.test(id.split('?')[0])) return null;
      let out = code;
      if (/emoji-config[\\/]default-emoji\.ts$/.test(id)) {
        if (!BIG_EMOJI.test(out)) this.error('default-emoji.ts changed shape: BIG_EMOJI_GROUP_LIST not found');
        out = out.replace(BIG_EMOJI, 'export const BIG_EMOJI_GROUP_LIST: IEmojiGroupList = [];');
        emojiTableSeen = (out.match(EMOJI_FILE) ?? []).length === EMOJI_COUNT;
        if (!emojiTableSeen) this.error(`default-emoji.ts no longer lists ${EMOJI_COUNT} emoji_<n>@2x.png files`);
      }
      out = rewriteCdnUrls(out, local);
      const left = LEFTOVER.exec(out);
      if (left) this.error(`a Tencent CDN asset URL with no local file: ${left[0]} (add it to local-assets.ts and assets.ts)`);
      return out === code ? null : { code: out, map: null };
    },
    buildEnd() {
      if (!emojiTableSeen) this.error('the UIKit emoji table (emoji-config/default-emoji.ts) was never built');
    },
    generateBundle() {
      for (const [name, source] of Object.entries(files)) this.emitFile({ type: 'asset', fileName: `uikit-assets/${name}`, source });
    },
  };
}
