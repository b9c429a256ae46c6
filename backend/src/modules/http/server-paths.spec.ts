import { redactServerPaths, SERVER_PATH } from './server-paths';

describe('redactServerPaths', () => {
  const roots = ['/srv/provenant/data', '/opt/provenant', '/tmp'];

  it('replaces paths under any root, longest root first, and leaves the rest of the message', () => {
    expect(redactServerPaths('file: /srv/provenant/data/store/scratch/ab12.mp4 is not an MP4/MOV', roots)).toBe(`file: ${SERVER_PATH} is not an MP4/MOV`);
    expect(redactServerPaths('cannot read /opt/provenant/backend/dist/x.js, nor /tmp/y', roots)).toBe(`cannot read ${SERVER_PATH}, nor ${SERVER_PATH}`);
    expect(redactServerPaths('{"message":"open /tmp/a b"}', roots)).toBe(`{"message":"open ${SERVER_PATH} b"}`);
  });

  it('leaves routes, URLs and names that merely start like a root alone', () => {
    for (const text of ['GET /api/v1/users', 'see https://example.com/tmp/notes', 'a file named /tmpfile', 'a role, not a path: /opt/provenantx']) {
      expect(redactServerPaths(text, roots)).toBe(text);
    }
  });
});
