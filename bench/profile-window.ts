/**
 * A CPU profile of one window of a bench (what `node --cpu-prof` records for a whole process,
 * setup included), through the inspector of this process: start, then stop into a
 * .cpuprofile file that Chrome DevTools or `npx speedscope` open.
 */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';

export async function startProfile(): Promise<{ stop(file: string): Promise<void> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(file: string) {
      const { profile } = await session.post('Profiler.stop');
      fs.writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}
