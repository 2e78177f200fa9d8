/**
 * A real SDK that records every conversation-list page it asks for (`recentcontact.page_get`):
 * the request and the items and completion of its answer, for tests of the incremental list.
 */
import { createSdkClient, type SdkClient } from './sdk';

/** A conversation item as page_get answers it. */
export type PageGetItem = Record<string, unknown> & { Type: number; To_Account?: string; ToAccount?: string };

export interface PageGetPass {
  request: Record<string, number>;
  items: PageGetItem[];
  complete: number;
}

/** The conversation ID the SDK gives an item: C2C<user> or GROUP<group>. */
export const conversationIdOf = (i: PageGetItem) => (i.Type === 1 ? `C2C${i.To_Account}` : `GROUP${i.ToAccount}`);

interface Frame {
  head: { servcmd?: string; seq?: number };
  body: Record<string, unknown>;
}

/** A frame's JSON (outgoing ones may carry bytes before it); undefined for anything else. */
function parseFrame(raw: string): Frame | undefined {
  try {
    return JSON.parse(raw.slice(raw.indexOf('{'), raw.lastIndexOf('}') + 1)) as Frame;
  } catch {
    return undefined;
  }
}

/** Creates (not yet logged in) an SDK for `userId` whose page_get passes land in `passes`. */
export async function recordingPageGets(target: { sdkAppId: number; proxyServer: string; sig(userId: string): string }, userId: string): Promise<{ client: SdkClient; passes: PageGetPass[] }> {
  const passes: PageGetPass[] = [];
  const asked = new Map<number, Record<string, number>>();
  const client = await createSdkClient({
    sdkAppId: target.sdkAppId,
    userId,
    userSig: target.sig(userId),
    proxyServer: target.proxyServer,
    onFrame(direction, raw) {
      const frame = parseFrame(raw);
      if (frame?.head.servcmd !== 'recentcontact.page_get' || frame.head.seq === undefined) return;
      if (direction === 'out') asked.set(frame.head.seq, frame.body as Record<string, number>);
      else passes.push({ request: asked.get(frame.head.seq) ?? {}, items: (frame.body.SessionItem ?? []) as PageGetItem[], complete: frame.body.CompleteFlag as number });
    },
  });
  return { client, passes };
}
