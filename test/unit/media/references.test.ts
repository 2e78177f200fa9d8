/** Which files a message body names: Parley's download URLs of the same app, and stored combined messages. */
import { expect } from 'chai';
import { mediaKeysIn } from '../../../services/media/references';

const A = '0123456789abcdef0123456789abcdef';
const B = 'fedcba9876543210fedcba9876543210';

describe('media keys in a message body', () => {
  it("finds the app's download URLs, once each, in any element and through a proxy host", () => {
    const body = [
      { MsgType: 'TIMImageElem', MsgContent: { ImageInfoArray: [{ URL: `https://parley.example/media/d/1400000001/${A}/o?e=1&s=x` }, { URL: `https://proxy.example/media/d/1400000001/${A}/t?e=1&s=x&authKey=r1.x` }] } },
      { MsgType: 'TIMFileElem', MsgContent: { Url: `http://127.0.0.1:8080/media/d/1400000001/${B}/o?e=1&s=y` } },
    ];
    expect(mediaKeysIn(1400000001, body)).to.deep.equal([A, B]);
    expect(mediaKeysIn(1400000001, JSON.stringify(body))).to.deep.equal([A, B]);
  });

  it("ignores another app's URLs, look-alikes and text", () => {
    expect(mediaKeysIn(1400000001, [{ MsgType: 'TIMFileElem', MsgContent: { Url: `https://x/media/d/1400000002/${A}/o` } }])).to.deep.equal([]);
    expect(mediaKeysIn(1400000001, [{ MsgType: 'TIMTextElem', MsgContent: { Text: `/media/d/1400000001/${A.slice(1)}/o and /media/u/1400000001/${A}` } }])).to.deep.equal([]);
    expect(mediaKeysIn(1400000001, [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hello' } }])).to.deep.equal([]);
  });

  it("finds the JsonMsgKey of a combined message's stored list", () => {
    expect(mediaKeysIn(1400000001, [{ MsgType: 'TIMRelayElem', MsgContent: { Title: 't', PbMsgKey: '', JsonMsgKey: B } }])).to.deep.equal([B]);
  });
});
