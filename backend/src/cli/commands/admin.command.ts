import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { isRole, type Role } from '@provenant/shared';
import { CliError, clientFor, EXIT, output, serverOptions, unreadable } from '../cli-context';

const UUID = /^[0-9a-f-]{36}$/i;

function uuid(flag: string, value: string): string {
  if (!UUID.test(value)) throw new CliError(`${flag}: not an id: ${value}`, EXIT.usage);
  return value;
}

function roles(value: string): Role[] {
  const list = value.split(',').map((r) => r.trim()).filter(Boolean);
  const bad = list.find((r) => !isRole(r));
  if (bad !== undefined || list.length === 0) throw new CliError(`--roles: ${bad ?? '(none)'} is not a role; roles are admin, reviewer, senior_reviewer, compliance, publisher, creator`, EXIT.usage);
  return list as Role[];
}

/** `provenant users create|disable|enable`, `keys create|revoke`, `policy get|set` (admin). */
export function registerAdminCommands(program: Command): void {
  const users = program.command('users').description('accounts (admin)');
  users
    .command('create')
    .description('create an account')
    .requiredOption('--new-email <email>', 'the new user’s e-mail')
    .requiredOption('--roles <list>', 'comma-separated roles, e.g. reviewer or creator,publisher')
    .option('--new-password <password>', 'their password (env PROVENANT_NEW_PASSWORD)')
    .action(async (opts: { newEmail: string; roles: string; newPassword?: string }, cmd: Command) => {
      const o = serverOptions(cmd);
      const password = opts.newPassword ?? process.env.PROVENANT_NEW_PASSWORD;
      if (!password) throw new CliError('--new-password (or PROVENANT_NEW_PASSWORD) is required', EXIT.usage);
      const user = await clientFor(o).createUser({ email: opts.newEmail, password, roles: roles(opts.roles) });
      output(o.json, user, () => `${user.id} ${user.email} ${user.roles.join(',')}`);
    });
  for (const [name, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    users
      .command(name)
      .description(disabled ? 'disable an account: its tokens, keys and review claims are revoked at once' : 'enable a disabled account again')
      .argument('<id>', 'user id')
      .action(async (id: string, _opts: unknown, cmd: Command) => {
        const o = serverOptions(cmd);
        const user = await clientFor(o).updateUser(uuid('id', id), { disabled });
        output(o.json, user, () => `${user.id} ${user.disabledAt ? `disabled since ${user.disabledAt}` : 'enabled'}`);
      });
  }

  const keys = program.command('keys').description('API keys for integrations (admin)');
  keys
    .command('create')
    .description('create an API key for a creator or publisher; the key is shown once')
    .requiredOption('--user <id>', 'the owner’s user id')
    .requiredOption('--name <name>', 'what it is for')
    .action(async (opts: { user: string; name: string }, cmd: Command) => {
      const o = serverOptions(cmd);
      const key = await clientFor(o).createApiKey({ userId: uuid('--user', opts.user), name: opts.name });
      output(o.json, key, () => `${key.id} ${key.key}  (shown once: store it now)`);
    });
  keys
    .command('revoke')
    .description('revoke an API key')
    .argument('<id>', 'key id')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const o = serverOptions(cmd);
      await clientFor(o).revokeApiKey(uuid('id', id));
      output(o.json, { id, revoked: true }, () => `revoked ${id}`);
    });

  const policy = program.command('policy').description('the moderation policy');
  policy
    .command('get')
    .description('the policy in force')
    .action(async (_opts: unknown, cmd: Command) => {
      const o = serverOptions(cmd);
      const current = await clientFor(o).getPolicy();
      output(o.json, current, () => `version ${current.version} (sha256 ${current.sha256}), set by ${current.setBy ?? 'the configuration'}\n${JSON.stringify(current.document, null, 2)}`);
    });
  policy
    .command('set')
    .description('put a new policy document (JSON, with a new version) in force')
    .argument('<file>', 'the policy document')
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      const o = serverOptions(cmd);
      const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => Promise.reject(unreadable(file, e)));
      let document: unknown;
      try {
        document = JSON.parse(text);
      } catch (err) {
        throw new CliError(`${file} is not JSON: ${(err as Error).message}`, EXIT.usage);
      }
      const set = await clientFor(o).setPolicy(document);
      output(o.json, set, () => `policy ${set.version} is in force (sha256 ${set.sha256})`);
    });
}
