import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { Subject, type Observable } from 'rxjs';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../core/tokens';
import { ClipRepository, type OwnedClipEvent } from '../lifecycle/clip.repository';
import { logger } from '../core/logger';

/**
 * Clip changes made by any process (api or worker, on any machine) arrive
 * here through Postgres LISTEN/NOTIFY and fan out to server-sent-event streams.
 */
@Injectable()
export class ClipEvents implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly subject = new Subject<OwnedClipEvent>();
  private client: Client | null = null;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clips: ClipRepository,
  ) {}

  get events(): Observable<OwnedClipEvent> {
    return this.subject.asObservable();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.subject.complete();
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.config.DATABASE_URL });
    client.on('notification', (msg) => {
      try {
        this.subject.next(JSON.parse(msg.payload ?? '') as OwnedClipEvent);
      } catch {
        logger.warn('ignored a malformed clip event');
      }
    });
    client.on('error', (err) => {
      logger.warn({ err: err.message }, 'clip event listener lost its connection; reconnecting');
      if (!this.stopped) setTimeout(() => void this.connect().catch(() => undefined), 1000);
    });
    await client.connect();
    await this.clips.listen(client);
    this.client = client;
  }
}
