/** Runs one bench script of bench/ as a reader would (`npx tsx bench/<script> …`) and answers what it printed. */
import { execFile } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

export function runBench(script: string, args: string[], timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--require', 'tsx/cjs', path.join(ROOT, 'bench', script), ...args], { cwd: ROOT, timeout: timeoutMs, env: { ...process.env, PARLEY_LOG_LEVEL: 'error' } }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${script} failed: ${err.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}
