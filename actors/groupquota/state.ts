/** The state of one app's day: its net count of new groups (it may go below 0 on a day of disbanding). */
import { GROUPS_COUNTED, type GroupQuotaEvent } from './events';

export interface GroupQuotaState {
  used: number;
}

export const initialState = (): GroupQuotaState => ({ used: 0 });

export function evolve(s: GroupQuotaState, e: GroupQuotaEvent): GroupQuotaState {
  return e.type === GROUPS_COUNTED ? { used: s.used + e.data.delta } : s;
}
