import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { ClipDto, SubmitClipResponse } from '@provenant/shared';
import { ApiClient, CliError, EXIT, output, serverOptions, unreadable } from '../cli-context';

export function registerClipsCommands(program: Command): void {
  const clips = program.command('clips').description('submit and inspect clips');

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
      const res = await new ApiClient(o).request<SubmitClipResponse>('POST', '/api/v1/clips', { prompt, referenceImageBase64 }).catch((err: unknown) => {
        // The API names its own field; the user typed the flag.
        if (err instanceof CliError) throw new CliError(err.message.replace(/\breferenceImageBase64:/, '--reference-image:'), err.exitCode);
        throw err;
      });
      output(o.json, res, () => `${res.id} ${res.state}`);
    });

  clips
    .command('get')
    .description('show a clip, its stages and checks')
    .argument('<id>', 'clip id')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const o = serverOptions(cmd);
      if (!/^[0-9a-f-]{36}$/i.test(id)) throw new CliError(`not a clip id: ${id}`, EXIT.usage);
      const clip = await new ApiClient(o).request<ClipDto>('GET', `/api/v1/clips/${id}`);
      output(o.json, clip, () =>
        [
          `${clip.id}  ${clip.state}${clip.flagged ? '  (flagged)' : ''}`,
          clip.failureReason ? `reason: ${clip.failureReason}` : null,
          ...clip.stages.map((s) => `stage ${s.stage}: ${s.status}${s.verdict ? ` (${s.verdict})` : ''}`),
          ...Object.entries(clip.checks).map(([k, c]) => `check ${k}: ${c.status}`),
        ]
          .filter(Boolean)
          .join('\n'),
      );
    });
}
