/** Call invitations read from Tencent's signaling messages, and the push jobs they make. */
import { expect } from 'chai';
import { signalOf } from '../../../services/push/calls';
import { jobOf, type JobSource } from '../../../services/push/job';

const signalData = (over: Record<string, unknown> = {}) =>
  JSON.stringify({ businessID: 1, inviteID: 'i-1', inviter: 'a', actionType: 1, inviteeList: ['b'], timeout: 30, groupID: '', data: JSON.stringify({ call_type: 1 }), ...over });
const custom = (Data: string, Desc = '') => [{ MsgType: 'TIMCustomElem', MsgContent: { Data, Desc, Ext: '' } }];
const source = (body: object[], over: Partial<JobSource> = {}): JobSource => ({ kind: 'c2c', from: 'a', fromNick: 'Ann', conv: 'a', seq: 1, msgKey: 'k', body: JSON.stringify(body), offlinePush: null, ttlSec: 0, sentAt: 1_700_000_000_000, ...over });

describe('push: call invitations', () => {
  it('reads a signal: invite id, action, invitees, timeout and audio or video', () => {
    expect(signalOf(custom(signalData()))).to.deep.equal({ inviteId: 'i-1', action: 1, invitees: ['b'], timeoutSec: 30, media: 'audio' });
    expect(signalOf(custom(signalData({ data: JSON.stringify({ data: { cmd: 'videoCall' } }) })))?.media).to.equal('video');
  });

  it('takes nothing else for a signal: other business ids, broken JSON, more than one element, other element types', () => {
    expect(signalOf(custom(signalData({ businessID: 2 })))).to.equal(undefined);
    expect(signalOf(custom('{"businessID":1,'))).to.equal(undefined);
    expect(signalOf([...custom(signalData()), { MsgType: 'TIMTextElem', MsgContent: { Text: 'x' } }])).to.equal(undefined);
    expect(signalOf([{ MsgType: 'TIMTextElem', MsgContent: { Text: signalData() } }])).to.equal(undefined);
  });

  it('makes an invitation a push with the call text, the invitees, and the timeout as its lifetime (or the shorter MsgLifeTime)', () => {
    const job = jobOf(source(custom(signalData())));
    expect(job).to.include({ desc: '[Voice call]', title: 'Ann', ttlSec: 30 });
    expect(job?.call).to.deep.equal({ inviteId: 'i-1', invitees: ['b'] });
    expect(jobOf(source(custom(signalData()), { ttlSec: 10 }))?.ttlSec).to.equal(10);
    expect(jobOf(source(custom(signalData(), 'Ann is calling')))?.desc).to.equal('Ann is calling');
  });

  it('makes no push of a cancel, an answer or a timeout, unless OfflinePushInfo gives it a text', () => {
    for (const actionType of [2, 3, 4, 5]) expect(jobOf(source(custom(signalData({ actionType }))))).to.equal(undefined);
    expect(jobOf(source(custom(signalData({ actionType: 2 })), { offlinePush: '{"Desc":"Missed call"}' }))?.desc).to.equal('Missed call');
  });
});
