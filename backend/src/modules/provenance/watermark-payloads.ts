import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PAYLOAD_BYTES } from '../../engines/watermark';
import { WatermarkPayloadRepository } from './watermark-payload.repository';

export interface WatermarkAssignment {
  /** Lower-case hex of the 8-byte payload. */
  payloadHex: string;
  /** The creator's public handle for the visible label: a prefix of their user id, never a name or e-mail. */
  creatorHandle: string;
}

const HANDLE_CHARS = 8;
const MAX_COLLISION_RETRIES = 5;

/**
 * The payload registry: a fresh random 64-bit identifier per clip, unique
 * across clips, that the invisible watermark carries and that leads back to
 * the clip. Asking again for the same clip returns the same payload, so a
 * retried watermark stage embeds the same identifier.
 */
@Injectable()
export class WatermarkPayloads {
  constructor(
    private readonly dataSource: DataSource,
    private readonly payloads: WatermarkPayloadRepository,
  ) {}

  async assign(clipId: string): Promise<WatermarkAssignment> {
    for (let attempt = 0; attempt < MAX_COLLISION_RETRIES; attempt++) {
      await this.payloads.tryAssign(this.dataSource, randomBytes(PAYLOAD_BYTES).toString('hex'), clipId);
      const assigned = await this.payloads.ofClip(this.dataSource, clipId);
      if (assigned) return { payloadHex: assigned.payload, creatorHandle: assigned.createdBy.replace(/-/g, '').slice(0, HANDLE_CHARS) };
    }
    throw new Error(`could not find an unused watermark payload for clip ${clipId} in ${MAX_COLLISION_RETRIES} tries`);
  }

  /** The clip a payload was assigned to, or null. */
  clipFor(payloadHex: string): Promise<string | null> {
    return this.payloads.clipFor(this.dataSource, payloadHex);
  }
}
