/**
 * Signing out: the server revokes the session's refresh tokens, then this tab
 * forgets them. The tab forgets them even when the server cannot be reached
 * or the session had already ended, so "Sign out" always signs out here.
 */
export async function signOut(steps: { refreshToken: string | null; revoke: (refreshToken: string) => Promise<void>; forget: () => void }): Promise<void> {
  try {
    if (steps.refreshToken) await steps.revoke(steps.refreshToken);
  } catch {
    // Nothing more to do: the tokens are forgotten below and expire on their own.
  } finally {
    steps.forget();
  }
}
