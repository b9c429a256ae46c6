import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { logger } from '../core/logger';
import { WEBHOOK_SECRET_BOX } from './notifications-tokens';
import type { SecretBox } from '../core/secret-box';
import { WebhookRepository } from './webhook.repository';

/**
 * Seals the webhook secrets stored in the clear before secrets were sealed at
 * rest, and clears them, when the api or worker starts (a migration cannot
 * reach the key). It runs before the process serves or delivers anything;
 * several processes starting at once seal each secret once.
 */
@Injectable()
export class WebhookSecretSealing implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly webhooks: WebhookRepository,
    @Inject(WEBHOOK_SECRET_BOX) private readonly box: SecretBox,
  ) {}

  async onModuleInit(): Promise<void> {
    let sealed = 0;
    for (const { id, secret } of await this.webhooks.clearSecrets(this.dataSource)) {
      if (await this.webhooks.sealSecret(this.dataSource, id, this.box.seal(secret, id))) sealed++;
    }
    if (sealed > 0) logger.info({ sealed }, 'sealed webhook secrets that were stored in the clear');
  }
}
