import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';
import type { AppConfig } from '../../config/app-config';
import { DatabaseListener } from '../core/database-listener';
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
  private readonly listener: DatabaseListener;

  constructor(@Inject(APP_CONFIG) config: AppConfig, clips: ClipRepository) {
    // Nothing commits while the database is down; an event committed in the seconds before this reconnects reaches no stream.
    this.listener = new DatabaseListener({
      databaseUrl: config.DATABASE_URL,
      name: 'clip events',
      subscribe: (connection) => clips.listen(connection),
      onNotification: (payload) => this.publish(payload),
    });
  }

  get events(): Observable<OwnedClipEvent> {
    return this.subject.asObservable();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listener.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.subject.complete();
    await this.listener.stop();
  }

  private publish(payload: string): void {
    try {
      this.subject.next(JSON.parse(payload) as OwnedClipEvent);
    } catch {
      logger.warn('ignored a malformed clip event');
    }
  }
}
