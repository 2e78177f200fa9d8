/**
 * Where the app gets what TUILogin.login needs. A real app asks its own backend, which signs a
 * UserSig with the app's secret key (never shipped to the browser); this example asks the demo
 * server (examples/uikit/demo/server.ts), which does exactly that for any user ID it is given.
 */
export interface Session {
  SDKAppID: number;
  userID: string;
  userSig: string;
  /** Parley's WebSocket, e.g. ws://127.0.0.1:8080: the SDK's `proxyServer` option. */
  proxyServer: string;
}

export async function fetchSession(userID: string): Promise<Session> {
  const res = await fetch(`/demo/session?userID=${encodeURIComponent(userID)}`);
  const body = (await res.json()) as Session & { error?: string };
  if (!res.ok) throw new Error(body.error ?? `session refused (${res.status})`);
  return body;
}
