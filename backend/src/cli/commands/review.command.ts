import type { Command } from 'commander';
import { APPEAL_REASON_CODES, APPEAL_STATUSES, appealReason, PAGE_LIMITS, REVIEW_REASON_CODES, reviewReason, type AppealDecisionKind, type AppealStatus, type ReviewDecisionKind } from '@provenant/shared';
import { CliError, clientFor, EXIT, output, serverOptions } from '../cli-context';

const CLIP_ID = /^[0-9a-f-]{36}$/i;

/** `provenant review queue | claim [ID] | decide ID --approve|--reject|--escalate --reason CODE [--note] | appeals | appeal ID --grant|--deny --reason CODE --note` */
export function registerReviewCommands(program: Command): void {
  const review = program.command('review').description('the review queue: claim clips and decide on them');

  review
    .command('queue')
    .description('open review items, most urgent first')
    .option('--limit <n>', `at most this many (1-${PAGE_LIMITS.reviewQueue.max})`)
    .action(async (opts: { limit?: string }, cmd: Command) => {
      const o = serverOptions(cmd);
      if (opts.limit !== undefined && !/^\d+$/.test(opts.limit)) throw new CliError(`--limit: must be a whole number, not ${opts.limit}`, EXIT.usage);
      const items = await clientFor(o).reviewQueue(opts.limit === undefined ? undefined : Number(opts.limit));
      output(o.json, { items }, () =>
        items.length
          ? items
              .map((i) => `${i.clipId}  ${i.priority}${i.overdue ? ' OVERDUE' : ''}  due ${i.dueAt}  approvals ${i.approvals}/${i.approvalsNeeded}${i.claim ? `  claimed by ${i.claim.reviewerId}` : ''}`)
              .join('\n')
          : 'the review queue is empty',
      );
    });

  review
    .command('claim')
    .description('claim the next clip in the queue, or the one given')
    .argument('[id]', 'clip id')
    .action(async (id: string | undefined, _opts: unknown, cmd: Command) => {
      const o = serverOptions(cmd);
      if (id !== undefined && !CLIP_ID.test(id)) throw new CliError(`not a clip id: ${id}`, EXIT.usage);
      const claim = await clientFor(o).claim(id);
      output(o.json, claim, () => `claimed ${claim.clipId} until ${claim.leaseExpiresAt}`);
    });

  review
    .command('decide')
    .description('approve, reject or escalate a clip you hold a claim on')
    .argument('<id>', 'clip id')
    .option('--approve', 'approve it')
    .option('--reject', 'reject it')
    .option('--escalate', 'send it to a senior reviewer')
    .requiredOption('--reason <code>', 'a reason code of the catalogue (e.g. APPROVE_POLICY_COMPLIANT)')
    .option('--note <text>', 'a note for the record (kept out of the audit log; erasable)')
    .action(async (id: string, opts: { approve?: boolean; reject?: boolean; escalate?: boolean; reason: string; note?: string }, cmd: Command) => {
      const o = serverOptions(cmd);
      if (!CLIP_ID.test(id)) throw new CliError(`not a clip id: ${id}`, EXIT.usage);
      const chosen = (['approve', 'reject', 'escalate'] as const).filter((d) => opts[d]);
      if (chosen.length !== 1) throw new CliError('give exactly one of --approve, --reject or --escalate', EXIT.usage);
      const decision: ReviewDecisionKind = chosen[0];
      if (!reviewReason(decision, opts.reason)) {
        const valid = REVIEW_REASON_CODES[decision].filter((r) => !('retired' in r && r.retired)).map((r) => r.code);
        throw new CliError(`--reason: ${opts.reason} is not a reason to ${decision}; one of ${valid.join(', ')}`, EXIT.usage);
      }
      const result = await clientFor(o).decide(id, { decision, reasonCode: opts.reason, note: opts.note });
      output(o.json, result, () => `${result.clipId}: ${result.decision} recorded, ${result.approvals}/${result.approvalsNeeded} approvals, now ${result.state}`);
    });

  review
    .command('appeals')
    .description('appealed prompt blocks with their moderation evidence (senior reviewers)')
    .option('--status <status>', `${APPEAL_STATUSES.join(', ')} (default pending)`)
    .option('--limit <n>', `at most this many (1-${PAGE_LIMITS.appeals.max})`)
    .action(async (opts: { status?: string; limit?: string }, cmd: Command) => {
      const o = serverOptions(cmd);
      if (opts.status !== undefined && !(APPEAL_STATUSES as readonly string[]).includes(opts.status)) throw new CliError(`--status: must be one of ${APPEAL_STATUSES.join(', ')}`, EXIT.usage);
      if (opts.limit !== undefined && !/^\d+$/.test(opts.limit)) throw new CliError(`--limit: must be a whole number, not ${opts.limit}`, EXIT.usage);
      const items = await clientFor(o).appeals({ status: opts.status as AppealStatus | undefined, limit: opts.limit === undefined ? undefined : Number(opts.limit) });
      output(o.json, { items }, () =>
        items.length
          ? items.map((i) => `${i.clipId}  appeal ${i.appeal.status}  appealed ${i.appeal.appealedAt}\n  blocked: ${i.blockReason ?? '-'}\n  reason: ${i.appeal.reason ?? '(erased)'}`).join('\n')
          : `no ${opts.status ?? 'pending'} appeals`,
      );
    });

  review
    .command('appeal')
    .description('grant (the prompt goes on to generation, then four-eyes review) or deny an appeal of a prompt block')
    .argument('<id>', 'clip id')
    .option('--grant', 'let the prompt go on to generation')
    .option('--deny', 'keep the block')
    .requiredOption('--reason <code>', 'a reason code of the appeal catalogue (e.g. GRANT_FALSE_POSITIVE)')
    .requiredOption('--note <text>', 'the written reason (kept out of the audit log; erasable)')
    .action(async (id: string, opts: { grant?: boolean; deny?: boolean; reason: string; note: string }, cmd: Command) => {
      const o = serverOptions(cmd);
      if (!CLIP_ID.test(id)) throw new CliError(`not a clip id: ${id}`, EXIT.usage);
      if (Boolean(opts.grant) === Boolean(opts.deny)) throw new CliError('give exactly one of --grant or --deny', EXIT.usage);
      const decision: AppealDecisionKind = opts.grant ? 'grant' : 'deny';
      if (!appealReason(decision, opts.reason)) {
        throw new CliError(`--reason: ${opts.reason} is not a reason to ${decision} an appeal; one of ${APPEAL_REASON_CODES[decision].map((r) => r.code).join(', ')}`, EXIT.usage);
      }
      const result = await clientFor(o).decideAppeal(id, { decision, reasonCode: opts.reason, note: opts.note });
      output(o.json, result, () => `${result.clipId}: appeal ${result.status}, clip ${result.state}`);
    });
}
