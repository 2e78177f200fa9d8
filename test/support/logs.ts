/**
 * Captures what the server logs (Moleculer's Console logger writes through console.log, warn
 * and error) while a test runs, so a test can check that a line was written, for example that
 * a failed callback names its request.
 */
export interface CapturedLogs {
  readonly lines: string[];
  /** Lines that match every pattern. */
  matching(...patterns: RegExp[]): string[];
  restore(): void;
}

export function captureLogs(): CapturedLogs {
  const lines: string[] = [];
  const methods = ['log', 'warn', 'error'] as const;
  const originals = methods.map((m) => console[m]);
  for (const m of methods) {
    console[m] = (...args: unknown[]) => {
      lines.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
    };
  }
  return {
    lines,
    matching: (...patterns) => lines.filter((l) => patterns.every((p) => p.test(l))),
    restore: () => methods.forEach((m, i) => (console[m] = originals[i])),
  };
}
