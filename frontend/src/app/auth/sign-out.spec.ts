import { signOut } from './sign-out';

describe('signOut', () => {
  it('revokes the refresh token on the server before forgetting the tokens', async () => {
    const calls: string[] = [];
    await signOut({ refreshToken: 'pvr_abc', revoke: async (t) => void calls.push(`revoke ${t}`), forget: () => calls.push('forget') });
    expect(calls).toEqual(['revoke pvr_abc', 'forget']);
  });

  it('forgets the tokens even when the server refuses or cannot be reached', async () => {
    const forget = jest.fn();
    await signOut({ refreshToken: 'pvr_abc', revoke: () => Promise.reject(new Error('offline')), forget });
    expect(forget).toHaveBeenCalledTimes(1);
  });

  it('only forgets when there is no refresh token to revoke', async () => {
    const revoke = jest.fn();
    const forget = jest.fn();
    await signOut({ refreshToken: null, revoke, forget });
    expect(revoke).not.toHaveBeenCalled();
    expect(forget).toHaveBeenCalledTimes(1);
  });
});
