/**
 * Signing out: the server revokes the session's refresh tokens (and clears
 * its cookie), then this tab forgets the access token. The tab forgets it even
 * when the server cannot be reached or the session had already ended, so
 * "Sign out" always signs out here.
 */
export async function signOut(steps: { revoke: () => Promise<void>; forget: () => void }): Promise<void> {
  try {
    await steps.revoke();
  } catch {
    // Nothing more to do: the token is forgotten below and expires on its own.
  } finally {
    steps.forget();
  }
}
