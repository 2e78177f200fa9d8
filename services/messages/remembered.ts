/**
 * Commands about messages older than a conversation keeps in memory (PARLEY_C2C_REMEMBERED):
 * the actor answers NOT_FOUND for a recall or modification, or names the `missing` keys of a
 * deletion, and the command is asked again with those messages as the log has them
 * (history.ts storedMessages), so decide stays pure and memory stays bounded.
 */
import { C2C_CODES, conversationStream, type C2CCommand, type C2CReply, type DeleteReply } from '../../actors/c2c';
import type { EventLog } from '../../runtime/eventlog';
import { refusedWith } from '../../runtime/moleculer/errors';
import { storedMessages } from './history';

export async function askRemembering(ask: (command: C2CCommand) => Promise<C2CReply>, log: EventLog, app: number, a: string, b: string, command: C2CCommand): Promise<C2CReply> {
  const stored = (msgKeys: string[]) => storedMessages(log, conversationStream(app, a, b), msgKeys);
  let reply: C2CReply;
  try {
    reply = await ask(command);
  } catch (err) {
    if ((command.op !== 'recall' && command.op !== 'modify') || command.stored || !refusedWith(err, C2C_CODES.NOT_FOUND)) throw err;
    const found = await stored([command.msgKey]);
    if (found.length === 0) throw err;
    return ask({ ...command, stored: found });
  }
  if (command.op !== 'deleteMessages' || command.stored) return reply;
  const missing = (reply as DeleteReply).missing ?? [];
  const found = missing.length > 0 ? await stored(missing) : [];
  if (found.length === 0) return reply;
  const older = (await ask({ ...command, msgKeys: found.map((m) => m.msgKey), stored: found })) as DeleteReply;
  return { changed: (reply as DeleteReply).changed || older.changed, missing: older.missing };
}
