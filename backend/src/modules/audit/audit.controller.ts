import { BadRequestException, Controller, Get, Header, Param, ParseUUIDPipe, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Readable } from 'node:stream';
import type { AuditCheckpointDto, AuditEventDto, AuditVerificationDto, ConsistencyProofDto, InclusionProofDto, Page } from '@provenant/shared';
import { Public, Roles } from '../auth/access-policy';
import { actorOf, CurrentPrincipal, type Principal } from '../auth/principal';
import { queryText, queryTime } from '../http/query-params';
import { AuditTrail, type AuditSearch } from './audit-trail';

const AUDITORS = ['compliance', 'admin'] as const;
// Publishers check that a clip's provenance events are in the signed log.
const PROOF_READERS = ['compliance', 'admin', 'publisher'] as const;

function positiveInt(name: string, value: string | undefined, optional: true): number | undefined;
function positiveInt(name: string, value: string | undefined): number;
function positiveInt(name: string, value: string | undefined, optional = false): number | undefined {
  if (value === undefined && optional) return undefined;
  if (value === undefined || !/^\d{1,15}$/.test(value)) throw new BadRequestException(`${name}: must be a non-negative integer`);
  return Number(value);
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly trail: AuditTrail) {}

  @Get('public-key')
  @Public('the checkpoint verification key is public by design, so anyone can check an export')
  @Header('Content-Type', 'application/x-pem-file')
  publicKey(): string {
    return this.trail.publicKeyPem;
  }

  @Get('checkpoints/latest')
  @Roles(...PROOF_READERS)
  latest(): Promise<AuditCheckpointDto> {
    return this.trail.latestCheckpoint();
  }

  @Get('proofs/inclusion')
  @Roles(...PROOF_READERS)
  inclusion(@Query('seq') seq?: string, @Query('treeSize') treeSize?: string): Promise<InclusionProofDto> {
    return this.trail.inclusionProof(positiveInt('seq', seq), positiveInt('treeSize', treeSize, true));
  }

  @Get('proofs/consistency')
  @Roles(...PROOF_READERS)
  consistency(@Query('from') from?: string, @Query('to') to?: string): Promise<ConsistencyProofDto> {
    return this.trail.consistencyProof(positiveInt('from', from), positiveInt('to', to));
  }

  @Get('verify')
  @Roles(...AUDITORS)
  verify(@CurrentPrincipal() p: Principal): Promise<AuditVerificationDto> {
    return this.trail.verify(actorOf(p));
  }

  @Get('events')
  @Roles(...AUDITORS)
  search(@Query() q: Record<string, unknown>, @CurrentPrincipal() p: Principal): Promise<Page<AuditEventDto>> {
    const text = (name: keyof AuditSearch) => queryText(q, name);
    return this.trail.search(actorOf(p), { clipId: text('clipId'), actor: text('actor'), action: text('action'), from: queryTime(q, 'from'), to: queryTime(q, 'to'), limit: text('limit'), cursor: text('cursor') });
  }

  @Get('clips/:id/timeline')
  @Roles(...AUDITORS)
  timeline(
    @Param('id', new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException('id: must be a clip id (UUID)') })) id: string,
    @CurrentPrincipal() p: Principal,
  ): Promise<Page<AuditEventDto>> {
    return this.trail.search(actorOf(p), { clipId: id, limit: '1000' });
  }

  /** JSONL: header, checkpoints, then each event with its inclusion proof. Verify offline with `provenant audit verify --export`. */
  @Get('export')
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
