/** Answers built from a chain view: friend pages, friend lists, requests, the blocklist. */
import type { ChainView, FriendData } from '../../actors/relations';
import { RELATION_LIMITS as L } from '../../actors/apps/settings/relations';
import { snsItems } from './tags';

export function friendPage(chain: ChainView, start: number) {
  const page = chain.friends.slice(start, start + L.friendPage);
  const next = start + page.length;
  const complete = next >= chain.friends.length;
  return {
    UserDataItem: page.map(([To_Account, f]) => ({ To_Account, ValueItem: snsItems(f) })),
    StandardSequence: chain.seq.friends,
    CustomSequence: chain.seq.friends,
    FriendNum: chain.friends.length,
    CompleteFlag: complete ? 1 : 0,
    NextStartIndex: complete ? 0 : next,
  };
}

export function listsAnswer(chain: ChainView, names: string[] | undefined, withFriends: boolean) {
  const wanted = names && names.length > 0 ? chain.lists.filter((n) => names.includes(n)) : chain.lists;
  const members = (name: string) => chain.friends.filter(([, f]) => f.groups.includes(name)).map(([id]) => id);
  return {
    ResultItem: wanted.map((GroupName) => {
      const ids = members(GroupName);
      return withFriends ? { GroupName, FriendNumber: ids.length, To_Account: ids } : { GroupName, FriendNumber: ids.length };
    }),
    CurrentSequence: chain.seq.lists,
    LastSequence: chain.seq.lists,
  };
}

export function blockPage(chain: ChainView, start: number, max: number) {
  const page = chain.blocked.slice(start, start + max);
  const next = start + page.length;
  return {
    BlackListItem: page.map(([To_Account, AddBlackTimeStamp]) => ({ To_Account, AddBlackTimeStamp })),
    // 0 is "no further page" for the SDK, which keeps asking otherwise.
    StartIndex: next >= chain.blocked.length ? 0 : next,
    CurrentSequence: chain.seq.blocked,
    CurruentSequence: chain.seq.blocked,
  };
}

export interface Face {
  nick: string;
  image: string;
}

export function pendencyAnswer(chain: ChainView, type: string | undefined, faces: Map<string, Face>) {
  const incoming = type !== 'Pendency_Type_SendOut';
  const outgoing = type !== 'Pendency_Type_ComeIn';
  const item = (PendencyType: string) => ([id, r]: [string, { source: string; wording: string; at: number }]) => ({
    To_Account: id,
    PendencyType,
    AddSource: r.source,
    AddWording: r.wording,
    AddTime: r.at,
    Nick: faces.get(id)?.nick ?? '',
    Image: faces.get(id)?.image ?? '',
  });
  const PendencyItem = [
    ...(incoming ? chain.pendingIn.map(item('Pendency_Type_ComeIn')) : []),
    ...(outgoing ? chain.pendingOut.map(item('Pendency_Type_SendOut')) : []),
  ];
  return {
    PendencyItem,
    UnreadPendencyCount: chain.pendingIn.filter(([, r]) => r.at > chain.pendencyReadAt).length,
    StartTime: 0,
    CurrentSequence: chain.seq.pending,
  };
}

export function friendOf(chain: ChainView, peer: string): FriendData | undefined {
  return chain.friends.find(([id]) => id === peer)?.[1];
}
