/** The media section of an app's settings: validated as apps.update stores it, resolved over the node's limits. */
import { expect } from 'chai';
import { DEFAULT_SETTINGS, mergeSettings, SettingsError } from '../../../../actors/apps/settings/app-settings';
import { mediaLimits, mediaSection } from '../../../../actors/apps/settings/media';

const MB = 1024 * 1024;
const node = { maxBytes: { image: 28 * MB, audio: 28 * MB, video: 100 * MB, file: 100 * MB }, quotaBytes: 10_240 * MB };

describe('media settings of an app', () => {
  it("takes the node's limits for every field the app left out or set to null", () => {
    expect(mediaLimits({}, node)).to.deep.equal(node);
    expect(mediaLimits({ media: { maxFileMb: null, quotaMb: null } }, node)).to.deep.equal(node);
  });

  it("applies the app's own fields, in MB, and the node's for the rest", () => {
    const limits = mediaLimits(mergeSettings(DEFAULT_SETTINGS, { media: { maxVideoMb: 500, quotaMb: 20 } }), node);
    expect(limits).to.deep.equal({ maxBytes: { ...node.maxBytes, video: 500 * MB }, quotaBytes: 20 * MB });
  });

  it('shows every field in whole MB, rounding a node value up', () => {
    const odd = { ...node, quotaBytes: 10 * MB + 1 };
    expect(mediaSection({ media: { maxImageMb: 5 } }, odd)).to.deep.equal({ maxImageMb: 5, maxAudioMb: 28, maxVideoMb: 100, maxFileMb: 100, quotaMb: 11 });
  });

  for (const media of [{ maxFileMb: 0 }, { maxImageMb: 2.5 }, { maxAudioMb: '3' }, { maxVideoMb: 10_241 }, { quotaMb: -1 }, { maxFileMB: 3 }, [1]]) {
    it(`refuses ${JSON.stringify(media)}`, () => {
      expect(() => mergeSettings(DEFAULT_SETTINGS, { media })).to.throw(SettingsError);
    });
  }
});
