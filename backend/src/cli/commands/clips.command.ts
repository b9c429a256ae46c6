import { createWriteStream } from 'node:fs';
import { openAsBlob } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { ClipStateMachine, PAGE_LIMITS, type ClipDto, type ClipState, type ClipSummaryDto } from '@provenant/shared';
import { asCliError, CliError, clientFor, EXIT, output, serverOptions, unreadable } from '../cli-context';
import { TerminalProgress } from '../progress-bar';

const CLIP_ID = /^[0-9a-f-]{36}$/i;
// Where a clip waits for a person or has ended: `clips watch` returns there.
const STOPPED: readonly ClipState[] = ['AWAITING_REVIEW', 'RELEASED', 'REJECTED', 'BLOCKED', 'FAILED'];

function clipId(id: string): string {
  if (!CLIP_ID.test(id)) throw new CliError(`not a clip id: ${id}`, EXIT.usage);
  return id;
}

const summary = (c: ClipSummaryDto) => `${c.id}  ${c.state}${c.flagged ? '  (flagged)' : ''}  ${c.createdAt}`;

export function registerClipsCommands(program: Command): void {
  const clips = program.command('clips').description('submit, upload, follow and download clips');

  clips
    .command('submit')
    .description('submit a prompt for generation')
    .argument('<prompt>', 'what to generate')
    .option('--reference-image <file>', 'PNG, JPEG or WebP to start from')
    .action(async (prompt: string, opts: { referenceImage?: string }, cmd: Command) => {
      const o = serverOptions(cmd);
      const referenceImageBase64 = opts.referenceImage
        ? (await readFile(opts.referenceImage).catch((e: NodeJS.ErrnoException) => Promise.reject(unreadable(opts.referenceImage!, e)))).toString('base64')
        : undefined;
      const res = await clientFor(o)
        .submitClip({ prompt, referenceImageBase64 })
        .catch((err: unknown) => {
          // The API names its own field; the user typed the flag.
          const cli = asCliError(err);
          if (cli) throw new CliError(cli.message.replace(/\breferenceImageBase64:/, '--reference-image:'), cli.exitCode);
          throw err;
        });
      output(o.json, res, () => `${res.id} ${res.state}`);
    });

  clips
    .command('upload')
    .description('upload a clip made elsewhere (MP4 or MOV)')
    .argument('<file>', 'the video')
    .option('--prompt <text>', 'the prompt it was made from')
    .option('--generator <name>', 'the model or tool that made it')
    .action(async (file: string, opts: { prompt?: string; generator?: string }, cmd: Command) => {
      const o = serverOptions(cmd);
      const { size } = await stat(file).catch((e: NodeJS.ErrnoException) => Promise.reject(unreadable(file, e)));
      // A terminal sees the upload progress on stderr; a pipe gets only the answer.
      const progress = process.stderr.isTTY && !o.json ? new TerminalProgress(process.stderr, basename(file), size) : null;
      const res = await clientFor(o)
        .uploadClip(await openAsBlob(file), basename(file), opts, progress ? (sent) => progress.update(sent) : undefined)
        .finally(() => progress?.end());
      output(o.json, res, () => `${res.id} ${res.state}`);
    });

  clips
    .command('list')
    .description('list clips, newest first (creators see their own)')
    .option('--state <state>', 'only clips in this state')
    .option('--limit <n>', `at most this many (1-${PAGE_LIMITS.clips.max})`)
    .action(async (opts: { state?: string; limit?: string }, cmd: Command) => {
      const o = serverOptions(cmd);
      if (opts.state !== undefined && !ClipStateMachine.isState(opts.state)) throw new CliError(`--state: not a clip state: ${opts.state}`, EXIT.usage);
      if (opts.limit !== undefined && !/^\d+$/.test(opts.limit)) throw new CliError(`--limit: must be a whole number, not ${opts.limit}`, EXIT.usage);
      const page = await clientFor(o).listClips({ state: opts.state as ClipState | undefined, limit: opts.limit === undefined ? undefined : Number(opts.limit) });
      output(o.json, page, () => (page.items.length ? page.items.map(summary).join('\n') : 'no clips'));
    });

  clips
    .command('get')
    .description('show a clip, its stages and checks')
    .argument('<id>', 'clip id')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const o = serverOptions(cmd);
      const clip = await clientFor(o).getClip(clipId(id));
      output(o.json, clip, () =>
        [
          `${clip.id}  ${clip.state}${clip.flagged ? '  (flagged)' : ''}`,
          clip.failureReason ? `reason: ${clip.failureReason}` : null,
          ...clip.stages.map((s) => `stage ${s.stage}: ${s.status}${s.verdict ? ` (${s.verdict})` : ''}`),
          ...Object.entries(clip.checks).map(([k, c]) => `check ${k}: ${c.status}`),
          clip.appeal ? `appeal: ${clip.appeal.status}${clip.appeal.decision ? ` (${clip.appeal.decision.reasonCode})` : ''}` : null,
        ]
          .filter(Boolean)
          .join('\n'),
      );
    });

  clips
    .command('appeal')
    .description('appeal the block of your prompt, once, with a written reason')
    .argument('<id>', 'clip id')
    .requiredOption('--reason <text>', 'why the block is wrong (kept out of the audit log; erasable)')
    .action(async (id: string, opts: { reason: string }, cmd: Command) => {
      const o = serverOptions(cmd);
      const res = await clientFor(o)
        .appealClip(clipId(id), opts.reason)
        .catch((err: unknown) => {
          const cli = asCliError(err);
          if (cli) throw new CliError(cli.message.replace(/^reason:/, '--reason:'), cli.exitCode);
          throw err;
        });
      output(o.json, res, () => `${res.clipId}: appeal ${res.status}, clip ${res.state}`);
    });

  clips
    .command('watch')
    .description('follow a clip until it waits for review or ends; --json prints its final record')
    .argument('<id>', 'clip id')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const o = serverOptions(cmd);
      const client = clientFor(o);
      const watched = clipId(id);
      const abort = new AbortController();
      let clip: ClipDto = await client.getClip(watched);
      // The stream is followed (and reopened when the server ends it) until the clip stops; the record is re-read after each event.
      while (!STOPPED.includes(clip.state)) {
        for await (const event of client.clipEvents(abort.signal)) {
          if (event.clipId !== watched) continue;
          if (!o.json) process.stdout.write(`${event.at}  ${event.state}${event.stage ? `  (${event.stage})` : ''}\n`);
          if (STOPPED.includes(event.state)) break;
        }
        clip = await client.getClip(watched);
      }
      abort.abort();
      output(o.json, clip, () => `${clip.id} stopped in ${clip.state}${clip.failureReason ? `: ${clip.failureReason}` : ''}`);
    });

  clips
    .command('download')
    .description('download a released clip (signed, watermarked)')
    .argument('<id>', 'clip id')
    .option('--out <file>', 'where to write it (default: <id>.mp4)')
    .action(async (id: string, opts: { out?: string }, cmd: Command) => {
      const o = serverOptions(cmd);
      const out = opts.out ?? `${clipId(id)}.mp4`;
      const response = await clientFor(o).downloadClip(clipId(id));
      await pipeline(Readable.fromWeb(response.body! as never), createWriteStream(out)).catch((e: NodeJS.ErrnoException) =>
        Promise.reject(new CliError(`cannot write ${out}: ${e.code ?? e.message}`, EXIT.usage)),
      );
      const result = { id, file: out, sha256: response.headers.get('x-content-sha256'), signed: response.headers.get('x-provenant-signed') === 'true' };
      output(o.json, result, () => `wrote ${out} (sha256 ${result.sha256}, ${result.signed ? 'signed' : 'NOT signed'})`);
    });
}
