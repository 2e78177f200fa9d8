/** A job as the notification one device gets. */
import type { PushJob } from './job';
import type { Notification } from './providers/port';

export function notificationOf(job: PushJob, badge: number | undefined): Notification {
  const sound = typeof job.android?.Sound === 'string' ? job.android.Sound : undefined;
  return {
    title: job.title,
    body: job.desc,
    ext: job.ext,
    ...(badge !== undefined ? { badge } : {}),
    ...(sound ? { sound } : {}),
    collapseId: job.msgKey,
    expiresAt: job.ttlSec > 0 ? Math.floor(job.sentAt / 1000) + job.ttlSec : 0,
    priority: 'high',
    ...(job.apns ? { apns: job.apns } : {}),
    ...(job.android ? { android: job.android } : {}),
    data: {
      conversationID: job.kind === 'c2c' ? `C2C${job.from}` : job.kind === 'group' ? `GROUP${job.conv}` : '',
      from: job.from,
      seq: String(job.seq),
      // 'call' lets the app show its incoming-call screen for inviteID; 'friend': a friend request from `from`.
      kind: job.call ? 'call' : job.kind,
      ...(job.call ? { inviteID: job.call.inviteId } : {}),
    },
  };
}
