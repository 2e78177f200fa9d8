/**
 * The SDK's profile-change push (servcmd im_open_push.msg_push): an EventArray item carrying
 * `ProfileDataMod` reaches the SDK's profile cache and its friend list (facts from
 * @tencentcloud/chat 3.6.6; the SDK camel-cases every key, so the spelling is the contract).
 */

/** Event number of the item: any value the SDK does not treat specially. */
const EVENT_PROFILE = 8;

export interface ProfileValue {
  Tag: string;
  Value: string | number;
}

/** A user's changed profile fields, for their own devices and for everyone who has them as a friend. */
export function profilePush(userId: string, items: ProfileValue[]) {
  const ProfileList = items.map(({ Tag, Value }) => (typeof Value === 'number' ? { Tag, ValueNum: Value } : { Tag, ValueBytes: Value }));
  return { EventArray: [{ Event: EVENT_PROFILE, ProfileDataMod: [{ PushType: 1, Profile_Account: userId, ProfileList }] }] };
}
