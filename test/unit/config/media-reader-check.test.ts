/** PARLEY_MEDIA_READER_CHECK: known by default, required on request, anything else refused at start. */
import { expect } from 'chai';
import { loadConfig } from '../../../config';

describe('config: PARLEY_MEDIA_READER_CHECK', () => {
  it('defaults to known and takes required', () => {
    expect(loadConfig({}).media.readerCheck).to.equal('known');
    expect(loadConfig({ PARLEY_MEDIA_READER_CHECK: 'required' }).media.readerCheck).to.equal('required');
  });

  it('refuses any other value', () => {
    expect(() => loadConfig({ PARLEY_MEDIA_READER_CHECK: 'always' })).to.throw(/PARLEY_MEDIA_READER_CHECK must be known or required/);
  });
});
