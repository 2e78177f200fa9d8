/**
 * CPU profiles of a load-bench server process over the measured window (bench/load.ts
 * `--profile DIR`), taken with the inspector in the process itself: a cluster node is killed
 * without a graceful stop, so `--cpu-prof` (written at exit) would never be written. With `heap`
 * (`--heap-profile`), a .heapprofile of the same window beside it: the allocation sampler's record
 * of where the bytes the garbage collector later reclaims were allocated. It is not free: in a
 * cluster node's CPU profile the sampler took about 15% of the main thread, so it is asked for
 * apart from the CPU profile.
 * IPC: {type:'profile', id, action:'start'} → {type:'profiled', id};
 *      {type:'profile', id, action:'stop', file} → {type:'profiled', id, file} (a .cpuprofile for Chrome DevTools or speedscope).
 */
import fs from 'node:fs';
import { Session } from 'node:inspector';

export interface ProfileRequest {
  type: 'profile';
  id: number;
  action: 'start' | 'stop';
  file?: string;
  /** Sample allocations too (start), and write them beside the CPU profile (stop). */
  heap?: boolean;
}

let session: Session | undefined;
let sampling = false;

const post = (s: Session, method: string, params: object = {}) =>
  new Promise<unknown>((resolve, reject) => s.post(method, params, (err, result) => (err ? reject(err) : resolve(result))));

export async function profile(msg: ProfileRequest): Promise<object> {
  if (msg.action === 'start') {
    session?.disconnect();
    session = new Session();
    session.connect();
    await post(session, 'Profiler.enable');
    await post(session, 'Profiler.start');
    sampling = msg.heap === true;
    if (sampling) {
      await post(session, 'HeapProfiler.enable');
      await post(session, 'HeapProfiler.startSampling', { samplingInterval: 64 * 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    }
    return { type: 'profiled', id: msg.id };
  }
  if (!session || !msg.file) return { type: 'profiled', id: msg.id, error: 'no profile running' };
  const { profile: data } = (await post(session, 'Profiler.stop')) as { profile: object };
  if (sampling) {
    const { profile: heap } = (await post(session, 'HeapProfiler.stopSampling')) as { profile: object };
    fs.writeFileSync(msg.file.replace(/\.cpuprofile$/, '') + '.heapprofile', JSON.stringify(heap));
  }
  session.disconnect();
  session = undefined;
  fs.writeFileSync(msg.file, JSON.stringify(data));
  return { type: 'profiled', id: msg.id, file: msg.file };
}
