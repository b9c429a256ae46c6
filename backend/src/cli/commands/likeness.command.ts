import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import {
  isIsoTime,
  LIKENESS_SUBJECT_KINDS,
  type CreateLikenessGrantRequest,
  type LikenessAppearanceDto,
  type LikenessEnrolmentDto,
  type LikenessGrantDto,
  type LikenessSubjectDto,
  type LikenessSubjectKind,
  type ProvenantClient,
} from '@provenant/shared';
import { asCliError, CliError, clientFor, EXIT, output, serverOptions, unreadable } from '../cli-context';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuid(what: string, value: string): string {
  if (!UUID.test(value)) throw new CliError(`${what}: not an id (UUID): ${value}`, EXIT.usage);
  return value;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** An image read before anything is sent: missing, unreadable or plainly not a JPEG or PNG is a usage error naming the file. */
interface FaceImage {
  file: string;
  bytes: Buffer;
}

const JPEG = Buffer.from([0xff, 0xd8, 0xff]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

async function readFaceImages(files: readonly string[]): Promise<FaceImage[]> {
  const images: FaceImage[] = [];
  for (const file of files) {
    const bytes = await readFile(file).catch((e: NodeJS.ErrnoException) => Promise.reject(unreadable(file, e)));
    if (!bytes.subarray(0, JPEG.length).equals(JPEG) && !bytes.subarray(0, PNG.length).equals(PNG)) {
      throw new CliError(`--image ${file}: not a JPEG or PNG image`, EXIT.usage);
    }
    images.push({ file, bytes });
  }
  return images;
}

/** The API names its own fields; the user typed the flags. */
function renaming(fields: Record<string, string>): (err: unknown) => never {
  return (err: unknown) => {
    const cli = asCliError(err);
    if (!cli) throw err;
    let message = cli.message;
    for (const [field, flag] of Object.entries(fields)) message = message.replace(new RegExp(`(?<=: )${field}(\\.\\d+)?:`), `${flag}:`);
    throw new CliError(message, cli.exitCode);
  };
}

/**
 * Enrols each image in turn. A refused image stops there, its error naming `--image FILE`
 * and saying what was already done (`done(templates, imagesEnrolled)`, null: nothing to say), so nothing is left unexplained.
 */
async function enrolImages(
  client: ProvenantClient,
  subjectId: string,
  images: readonly FaceImage[],
  done: (templates: number, enrolled: number) => string | null,
): Promise<LikenessEnrolmentDto[]> {
  const results: LikenessEnrolmentDto[] = [];
  for (const image of images) {
    try {
      results.push(await client.enrolLikenessImage(subjectId, new Blob([new Uint8Array(image.bytes)]), basename(image.file)));
    } catch (err) {
      const cli = asCliError(err);
      if (!cli) throw err;
      const message = cli.message.replace(/(?<=: )file:/, `--image ${image.file}:`);
      const state = done(results.at(-1)?.templates ?? 0, results.length);
      throw new CliError(state ? `${message}; ${state}` : message, cli.exitCode);
    }
  }
  return results;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function subjectLine(s: LikenessSubjectDto): string {
  const active = s.grants.filter((g) => g.active).length;
  const names = [s.displayName, ...s.aliases].map((n) => JSON.stringify(n)).join(', ');
  return `${s.id}  ${s.kind}  ${names}  ${plural(s.faceTemplates, 'face template')}${s.kind === 'consenting' ? `  ${active}/${s.grants.length} grants active` : ''}`;
}

function grantLine(g: LikenessGrantDto): string {
  const who = g.everyone ? 'everyone' : `creator ${g.creatorId}`;
  const until = g.until ? ` until ${g.until}` : '';
  const state = g.revokedAt ? `revoked ${g.revokedAt}` : g.active ? 'active' : 'expired';
  return `grant ${g.id}  ${who}${until}  ${state}`;
}

const subjectWithGrants = (s: LikenessSubjectDto) => [subjectLine(s), ...s.grants.map((g) => `  ${grantLine(g)}`)].join('\n');

function appearanceLine(a: LikenessAppearanceDto): string {
  return `${a.at}  ${a.clipId}  ${a.found} (${a.stage})  ${a.outcome}, ${a.consent}  clip ${a.state}`;
}

interface EnrollFlags {
  name: string;
  kind: string;
  alias?: string[];
  distinctive?: boolean;
  image?: string[];
}

/**
 * `provenant likeness enroll | add-image | subjects | show | erase | grant | revoke | me | appearances`:
 * the likeness registry. Enrol yourself (consenting) or, as admin or compliance, a protected subject,
 * with face images; decide who may use your likeness; see where it appeared.
 */
export function registerLikenessCommands(program: Command): void {
  const likeness = program.command('likeness').description('the likeness registry: enrolments, face images, grants');

  likeness
    .command('enroll')
    .description('enrol your own likeness (consenting) or, as admin or compliance, a protected subject, with face images')
    .requiredOption('--name <name>', 'the name the person is known by')
    .option('--kind <kind>', `${LIKENESS_SUBJECT_KINDS.join(' or ')}: yourself, or a person never to be generated`, 'consenting')
    .option('--alias <name>', 'another name the person is known by (repeatable)', collect)
    .option('--distinctive', 'a one-word name or alias matches on its own')
    .option('--image <file>', 'a JPEG or PNG of exactly one face (repeatable)', collect)
    .action(async (opts: EnrollFlags, cmd: Command) => {
      const o = serverOptions(cmd);
      if (!(LIKENESS_SUBJECT_KINDS as readonly string[]).includes(opts.kind)) throw new CliError(`--kind: must be one of ${LIKENESS_SUBJECT_KINDS.join(', ')}, not ${opts.kind}`, EXIT.usage);
      // Every image is read and checked before the subject exists, so a typo leaves nothing half-written.
      const images = await readFaceImages(opts.image ?? []);
      const client = clientFor(o);
      const subject = await client
        .createLikenessSubject({ kind: opts.kind as LikenessSubjectKind, displayName: opts.name, aliases: opts.alias, distinctive: opts.distinctive })
        .catch(renaming({ displayName: '--name', aliases: '--alias', kind: '--kind', distinctive: '--distinctive' }));
      const enrolled = await enrolImages(
        client,
        subject.id,
        images,
        (templates) => `subject ${subject.id} was created and kept with ${plural(templates, 'face template')} (add images with \`likeness add-image ${subject.id}\`, or erase it)`,
      );
      const result: LikenessSubjectDto = { ...subject, faceTemplates: enrolled.at(-1)?.templates ?? subject.faceTemplates };
      output(o.json, result, () => `${result.id} ${result.kind} ${JSON.stringify(result.displayName)}: ${plural(result.faceTemplates, 'face template')}`);
    });

  likeness
    .command('add-image')
    .description('enrol more face images for a subject (yours, or a protected one as admin or compliance)')
    .argument('<subject-id>', 'likeness subject id')
    .requiredOption('--image <file>', 'a JPEG or PNG of exactly one face (repeatable)', collect)
    .action(async (id: string, opts: { image: string[] }, cmd: Command) => {
      const o = serverOptions(cmd);
      const subjectId = uuid('subject-id', id);
      const images = await readFaceImages(opts.image);
      const enrolled = await enrolImages(clientFor(o), subjectId, images, (templates, n) =>
        n ? `${plural(n, 'image')} enrolled before it, subject ${subjectId} has ${plural(templates, 'face template')}` : null,);
      const last = enrolled.at(-1)!;
      const result = { subjectId, templates: last.templates, modelVersion: last.modelVersion, images: enrolled.map((e, i) => ({ file: images[i].file, faces: e.faces, templates: e.templates })) };
      output(o.json, result, () => `${subjectId}: ${plural(enrolled.length, 'image')} enrolled, ${plural(result.templates, 'face template')}`);
    });

  likeness
    .command('subjects')
    .description('every subject of the registry with its grants (admin, compliance, reviewers)')
    .action(async (_opts: unknown, cmd: Command) => {
      const o = serverOptions(cmd);
      const items = await clientFor(o).likenessSubjects();
      output(o.json, { items }, () => (items.length ? items.map(subjectLine).join('\n') : 'the registry is empty'));
    });

  likeness
    .command('show')
    .description('one subject, one line per grant')
    .argument('<subject-id>', 'likeness subject id')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const o = serverOptions(cmd);
      const subject = await clientFor(o).likenessSubject(uuid('subject-id', id));
      output(o.json, subject, () => subjectWithGrants(subject));
    });

  likeness
    .command('erase')
    .description('erase a subject with its names, grants and face templates (the person, admin, compliance)')
    .argument('<subject-id>', 'likeness subject id')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const o = serverOptions(cmd);
      await clientFor(o).eraseLikenessSubject(uuid('subject-id', id));
      output(o.json, { id, erased: true }, () => `erased ${id}`);
    });

  likeness
    .command('grant')
    .description('allow a creator, or everyone, to use your likeness')
    .argument('<subject-id>', 'your likeness subject id')
    .option('--creator <user-id>', 'the creator allowed')
    .option('--everyone', 'allow every creator')
    .option('--until <time>', 'ISO 8601 time after which the grant no longer applies, e.g. 2027-01-31T12:00:00Z')
    .action(async (id: string, opts: { creator?: string; everyone?: boolean; until?: string }, cmd: Command) => {
      const o = serverOptions(cmd);
      const subjectId = uuid('subject-id', id);
      if ((opts.creator === undefined) === !opts.everyone) throw new CliError('give exactly one of --creator or --everyone', EXIT.usage);
      if (opts.until !== undefined && !isIsoTime(opts.until)) throw new CliError(`--until: must be an ISO 8601 time such as 2027-01-31T12:00:00Z, not ${opts.until}`, EXIT.usage);
      const request: CreateLikenessGrantRequest = opts.everyone ? { everyone: true } : { creatorId: uuid('--creator', opts.creator!) };
      if (opts.until !== undefined) request.until = opts.until;
      const grant = await clientFor(o).grantLikeness(subjectId, request).catch(renaming({ creatorId: '--creator', everyone: '--everyone', until: '--until' }));
      output(o.json, grant, () => grantLine(grant));
    });

  likeness
    .command('revoke')
    .description('revoke a grant of your likeness')
    .argument('<subject-id>', 'your likeness subject id')
    .argument('<grant-id>', 'the grant')
    .action(async (id: string, grantId: string, _opts: unknown, cmd: Command) => {
      const o = serverOptions(cmd);
      const grant = await clientFor(o).revokeLikenessGrant(uuid('subject-id', id), uuid('grant-id', grantId));
      output(o.json, grant, () => grantLine(grant));
    });

  likeness
    .command('me')
    .description('your own enrolment and its grants')
    .action(async (_opts: unknown, cmd: Command) => {
      const o = serverOptions(cmd);
      const subject = await clientFor(o).myLikeness();
      output(o.json, subject, () => subjectWithGrants(subject));
    });

  likeness
    .command('appearances')
    .description('every clip your enrolled likeness was found in, newest first')
    .action(async (_opts: unknown, cmd: Command) => {
      const o = serverOptions(cmd);
      const items = await clientFor(o).myAppearances();
      output(o.json, { items }, () => (items.length ? items.map(appearanceLine).join('\n') : 'no appearances'));
    });
}
