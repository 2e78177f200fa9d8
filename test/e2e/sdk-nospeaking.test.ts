/**
 * The global mute (openconfigsvr/setnospeaking) as Tencent's real SDK meets it: a muted user's
 * sendMessage fails with Tencent's codes, 20012 one-to-one and 10017 in a group, and works again
 * at once when the mute is lifted.
 */
import { expect } from 'chai';
import { messageReceived, sendTextMessage } from '../support/sdk';
import { sdkGroupFixture } from '../support/sdk-group';

describe('global mute with the SDK (e2e)', function () {
  this.timeout(30_000);
  const group = sdkGroupFixture({ sdkAppId: 1400000000 + Math.floor(Math.random() * 1e8), users: ['nalice', 'nbob'], members: ['nbob'], type: 'Public', name: 'mute', login: ['nalice', 'nbob'] });
  const mute = (body: object) => group.parley.rest('openconfigsvr/setnospeaking', { Set_Account: 'nalice', ...body });
  const refused = (p: Promise<unknown>) => p.then(() => 0, (err: { code: number }) => err.code);

  it('refuses a muted user’s one-to-one and group messages with 20012 and 10017', async () => {
    const [alice] = group.clients;
    await mute({ C2CmsgNospeakingTime: 600, GroupmsgNospeakingTime: 600 });
    expect(await refused(sendTextMessage(alice, 'nbob', 'hello', 'C2C'))).to.equal(20012);
    expect(await refused(sendTextMessage(alice, group.groupID, 'hello all', 'GROUP'))).to.equal(10017);
  });

  it('lets the user send again as soon as the mute is lifted', async () => {
    const [alice, bob] = group.clients;
    await mute({ C2CmsgNospeakingTime: 0, GroupmsgNospeakingTime: 0 });
    const sent = await sendTextMessage<{ ID: string }>(alice, 'nbob', 'free again', 'C2C');
    await messageReceived(bob, sent.ID);
    const inGroup = await sendTextMessage<{ ID: string }>(alice, group.groupID, 'free in the group', 'GROUP');
    await messageReceived(bob, inGroup.ID);
  });
});
