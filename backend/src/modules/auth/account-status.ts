import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { filter, map, merge, Subject, take, timer, type Observable } from 'rxjs';
import type { Role, SessionEndedDto } from '@provenant/shared';
import type { AppConfig } from '../../config/app-config';
import { DatabaseListener } from '../core/database-listener';
import { APP_CONFIG } from '../core/tokens';
import { UserRepository } from '../users/user.repository';
import type { Principal } from './principal';

/** What a request may rely on about an account: whether it may act, and with which roles. */
export interface AccountView {
  enabled: boolean;
  roles: Role[];
}

/** Every account: the notification was missed (a reconnection), so nothing cached can be trusted. */
const EVERY_ACCOUNT = '*';

/**
 * This process's view of accounts, so every request checks that its user is
 * still enabled and still holds the roles its token names without a query
 * each time. A change to a user or their API keys (in any process) is
 * NOTIFYed at commit by a trigger and drops the entry here at once; entries
 * also expire after ACCOUNT_CHECK_TTL_MS, bounding staleness when a
 * notification is lost.
 */
@Injectable()
export class AccountStatus implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly users = new UserRepository();
  private readonly cache = new Map<string, { view: AccountView | null; at: number }>();
  private readonly changed = new Subject<string>();
  private readonly listener: DatabaseListener;
  /** Bumped by every change notification: a read that raced one is used once but not cached. */
  private generation = 0;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.listener = new DatabaseListener({
      databaseUrl: config.DATABASE_URL,
      name: 'account changes',
      subscribe: (connection) => this.users.listen(connection),
      onNotification: (userId) => this.forget(userId),
      onReconnected: () => this.forget(EVERY_ACCOUNT),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listener.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.changed.complete();
    await this.listener.stop();
  }

  /** Null when there is no such user. */
  async current(userId: string): Promise<AccountView | null> {
    const cached = this.cache.get(userId);
    if (cached && Date.now() - cached.at < this.config.ACCOUNT_CHECK_TTL_MS) return cached.view;
    const generation = this.generation;
    const user = await this.users.findById(this.dataSource, userId);
    const view = user && { enabled: user.disabledAt === null, roles: user.roles };
    if (generation === this.generation) this.cache.set(userId, { view, at: Date.now() });
    return view;
  }

  /** Emits once when a stream opened by this principal must end: its token expires or its account changes. */
  sessionEnd(p: Principal): Observable<SessionEndedDto> {
    const expiry = p.expiresAt === null ? [] : [timer(new Date(p.expiresAt)).pipe(map((): SessionEndedDto => ({ reason: 'token_expired' })))];
    const change = this.changed.pipe(
      filter((id) => id === p.userId || id === EVERY_ACCOUNT),
      map((): SessionEndedDto => ({ reason: 'account_changed' })),
    );
    return merge(change, ...expiry).pipe(take(1));
  }

  private forget(userId: string): void {
    this.generation++;
    if (userId === EVERY_ACCOUNT) this.cache.clear();
    else this.cache.delete(userId);
    this.changed.next(userId);
  }
}
