import { signOut } from './sign-out';

describe('signOut', () => {
  it('revokes the session on the server before forgetting the access token', async () => {
    const calls: string[] = [];
    await signOut({ revoke: async () => void calls.push('revoke'), forget: () => calls.push('forget') });
    expect(calls).toEqual(['revoke', 'forget']);
  });

  it('forgets the access token even when the server refuses or cannot be reached', async () => {
    const forget = jest.fn();
    await signOut({ revoke: () => Promise.reject(new Error('offline')), forget });
    expect(forget).toHaveBeenCalledTimes(1);
  });
});
