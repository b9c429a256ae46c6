import { BadRequestException, Controller, Get, Header, Param, ParseUUIDPipe, Query, StreamableFile } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { PAGE_LIMITS, type AuditCheckpointDto, type AuditEventDto, type AuditVerificationDto, type ConsistencyProofDto, type InclusionProofDto, type Page } from '@provenant/shared';
import { Public, Roles } from '../auth/access-policy';
import { actorOf, CurrentPrincipal, type Principal } from '../auth/principal';
import { cursorParam, limitParam, queryLimit, queryText, queryTime } from '../http/query-params';
import { AuditTrail, type AuditSearch } from './audit-trail';
import { ApiContract } from '../http/api-contract';

const AUDITORS = ['compliance', 'admin'] as const;
// Publishers check that a clip's provenance events are in the signed log.
const PROOF_READERS = ['compliance', 'admin', 'publisher'] as const;

const sequence = (what: string) => z.string().regex(/^\d+$/).describe(what);
const InclusionQuery = z.object({ seq: sequence('the event’s sequence number'), treeSize: sequence('the tree size to prove against (default: the latest checkpoint)').optional() });
const ConsistencyQuery = z.object({ from: sequence('the earlier tree size'), to: sequence('the later tree size') });
const time = (what: string) => z.string().optional().describe(`${what}, ISO 8601 such as 2026-01-31T12:00:00Z`);
const EventSearchQuery = z.object({
  clipId: z.string().optional().describe('events about this clip'),
  actor: z.string().optional().describe('e.g. user:<id>, apikey:<id>, system'),
  action: z.string().optional().describe('an action of the audit catalogue, e.g. review.decided'),
  from: time('not before'),
  to: time('not after'),
  limit: limitParam(PAGE_LIMITS.audit),
  cursor: cursorParam(),
});
const RangeQuery = z.object({ from: sequence('first sequence number (default 1)').optional(), to: sequence('last sequence number (default: the latest)').optional() });

function positiveInt(name: string, value: string | undefined, optional: true): number | undefined;
function positiveInt(name: string, value: string | undefined): number;
function positiveInt(name: string, value: string | undefined, optional = false): number | undefined {
  if (value === undefined && optional) return undefined;
  if (value === undefined || !/^\d{1,15}$/.test(value)) throw new BadRequestException(`${name}: must be a non-negative integer`);
  return Number(value);
}

@ApiTags('audit')
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly trail: AuditTrail) {}

  @Get('public-key')
  @ApiContract({ summary: 'The checkpoint verification key (PEM)', answer: { status: 200, contentType: 'application/x-pem-file', description: 'Ed25519 public key, PEM' } })
  @Public('the checkpoint verification key is public by design, so anyone can check an export')
  @Header('Content-Type', 'application/x-pem-file')
  publicKey(): string {
    return this.trail.publicKeyPem;
  }

  @Get('checkpoints/latest')
  @ApiContract({ summary: 'The latest signed checkpoint', answer: { status: 200, type: 'AuditCheckpointDto' }, errors: [404] })
  @Roles(...PROOF_READERS)
  latest(): Promise<AuditCheckpointDto> {
    return this.trail.latestCheckpoint();
  }

  @Get('proofs/inclusion')
  @ApiContract({ summary: 'Proof that an event is in the log', query: InclusionQuery, answer: { status: 200, type: 'InclusionProofDto' }, errors: [400, 404] })
  @Roles(...PROOF_READERS)
  inclusion(@Query('seq') seq?: string, @Query('treeSize') treeSize?: string): Promise<InclusionProofDto> {
    return this.trail.inclusionProof(positiveInt('seq', seq), positiveInt('treeSize', treeSize, true));
  }

  @Get('proofs/consistency')
  @ApiContract({ summary: 'Proof that one tree size extends another', query: ConsistencyQuery, answer: { status: 200, type: 'ConsistencyProofDto' }, errors: [400, 404] })
  @Roles(...PROOF_READERS)
  consistency(@Query('from') from?: string, @Query('to') to?: string): Promise<ConsistencyProofDto> {
    return this.trail.consistencyProof(positiveInt('from', from), positiveInt('to', to));
  }

  @Get('verify')
  @ApiContract({ summary: 'Verify the whole log now', answer: { status: 200, type: 'AuditVerificationDto' } })
  @Roles(...AUDITORS)
  verify(@CurrentPrincipal() p: Principal): Promise<AuditVerificationDto> {
    return this.trail.verify(actorOf(p));
  }

  @Get('events')
  @ApiContract({ summary: 'Search audit events', query: EventSearchQuery, answer: { status: 200, type: 'AuditEventPageDto' }, errors: [400] })
  @Roles(...AUDITORS)
  search(@Query() q: Record<string, unknown>, @CurrentPrincipal() p: Principal): Promise<Page<AuditEventDto>> {
    const text = (name: keyof AuditSearch) => queryText(q, name);
    return this.trail.search(actorOf(p), { clipId: text('clipId'), actor: text('actor'), action: text('action'), from: queryTime(q, 'from'), to: queryTime(q, 'to'), limit: queryLimit(q, PAGE_LIMITS.audit), cursor: text('cursor') });
  }

  @Get('clips/:id/timeline')
  @ApiContract({ summary: 'A clip’s audit events in order', answer: { status: 200, type: 'AuditEventPageDto' }, errors: [400] })
  @Roles(...AUDITORS)
  timeline(
    @Param('id', new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException('id: must be a clip id (UUID)') })) id: string,
    @CurrentPrincipal() p: Principal,
  ): Promise<Page<AuditEventDto>> {
    return this.trail.search(actorOf(p), { clipId: id, limit: PAGE_LIMITS.audit.max });
  }

  /** JSONL: header, checkpoints, then each event with its inclusion proof. Verify offline with `provenant audit verify --export`. */
  @Get('export')
  @ApiContract({ summary: 'Export the log with proofs (JSONL)', query: RangeQuery, answer: { status: 200, contentType: 'application/x-ndjson', description: 'header, checkpoints, then each event with its inclusion proof' }, errors: [400] })
  @Roles(...AUDITORS)
  @Header('Content-Type', 'application/x-ndjson')
  async export(@CurrentPrincipal() p: Principal, @Query('from') from?: string, @Query('to') to?: string): Promise<StreamableFile> {
    const lines = this.trail.exportLines(actorOf(p), positiveInt('from', from ?? '1'), positiveInt('to', to, true));
    // Pull the first line now so a bad range is a 400, not a broken stream.
    const first = await lines.next();
    async function* rest() {
      if (!first.done) yield `${first.value}\n`;
      for await (const line of lines) yield `${line}\n`;
    }
    return new StreamableFile(Readable.from(rest()));
  }
}
