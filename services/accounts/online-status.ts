/** The answer of query_online_status from the presence directory. */
import type { DeviceRecord } from '../presence/directory';

/** 70107: the account was never imported. */
const NOT_IMPORTED = 70107;

export function onlineStatus(accounts: string[], imported: boolean[], devices: Record<string, DeviceRecord[]>, detail: boolean) {
  const QueryResult: object[] = [];
  const ErrorList: { To_Account: string; ErrorCode: number }[] = [];
  accounts.forEach((account, i) => {
    if (!imported[i]) return void ErrorList.push({ To_Account: account, ErrorCode: NOT_IMPORTED });
    const mine = devices[account] ?? [];
    const Status = mine.some((d) => d.status === 'Online') ? 'Online' : mine.length > 0 ? 'PushOnline' : 'Offline';
    const entry: Record<string, unknown> = { To_Account: account, Status };
    if (detail) entry.Detail = mine.map((d) => ({ Platform: d.platform, Status: d.status }));
    QueryResult.push(entry);
  });
  return { QueryResult, ErrorList };
}
