import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AppConfig } from '../../config/app-config';
import { admit, clientNetwork, expiresAt, giveBack, recordFailure, type ThrottleRule } from '../../engines/login-throttle';
import { AuditLog } from '../audit/audit-log';
import { APP_CONFIG } from '../core/tokens';
import { LoginThrottleRepository, type LockedCounter, type ThrottleScope } from './login-throttle.repository';
import { Pseudonyms } from './pseudonyms';

/** The counters one sign-in attempt was admitted under. */
export type LoginAttempt = Record<ThrottleScope, string>;

export type LoginAdmission = { admitted: true; attempt: LoginAttempt } | { admitted: false; waitMs: number };

// Always account first, then client address: two logins never wait for each other's rows in opposite orders.
const SCOPES: readonly ThrottleScope[] = ['account', 'client_address'];

/**
 * Throttles sign-ins per account and per client network, shared by every api
 * process through Postgres: an attempt is counted when admitted (so a burst
 * of parallel guesses meets the limit too), a failure may start a lockout
 * (audited once, in the transaction that records it), a success resets the
 * account's counter and gives the attempt back to the network's.
 */
@Injectable()
export class LoginThrottle {
  private readonly counters = new LoginThrottleRepository();
  private readonly rules: Record<ThrottleScope, ThrottleRule>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
    private readonly pseudonyms: Pseudonyms,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const common = { windowMs: config.LOGIN_FAILURE_WINDOW_SECONDS * 1000, lockoutMs: config.LOGIN_LOCKOUT_SECONDS * 1000 };
    this.rules = {
      account: { ...common, maxFailures: config.LOGIN_MAX_FAILURES_PER_ACCOUNT, delayBaseMs: config.LOGIN_DELAY_BASE_MS },
      // No delays per network: many people may sign in from behind one address.
      client_address: { ...common, maxFailures: config.LOGIN_MAX_FAILURES_PER_ADDRESS, delayBaseMs: 0 },
    };
  }

  async admit(email: string, clientAddress: string): Promise<LoginAdmission> {
    const attempt: LoginAttempt = { account: this.pseudonyms.ofEmail(email), client_address: this.pseudonyms.ofClientNetwork(clientNetwork(clientAddress)) };
    const admission = await this.dataSource.transaction(async (m): Promise<LoginAdmission> => {
      const locked: LockedCounter[] = [];
      for (const scope of SCOPES) locked.push(await this.counters.lockOrCreate(m, scope, attempt[scope]));
      const decisions = SCOPES.map((scope, i) => admit(locked[i].counter, this.rules[scope], locked[i].now));
      const waits = decisions.flatMap((d, i) => (d.admitted ? [] : [d.retryAt.getTime() - locked[i].now.getTime()]));
      if (waits.length > 0) return { admitted: false, waitMs: Math.max(...waits) };
      for (const [i, scope] of SCOPES.entries()) {
        const decision = decisions[i];
        if (decision.admitted) await this.counters.save(m, scope, attempt[scope], decision.counter, expiresAt(decision.counter, this.rules[scope]));
      }
      return { admitted: true, attempt };
    });
    await this.counters.purgeExpired(this.dataSource);
    return admission;
  }

  /** The attempt failed; `userId` when the e-mail is a user's (the account lockout's audit subject). */
  async failed(attempt: LoginAttempt, userId: string | null): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      for (const scope of SCOPES) {
        const locked = await this.counters.lock(m, scope, attempt[scope]);
        if (!locked) continue; // reset meanwhile by a success
        const rule = this.rules[scope];
        const { counter, lockoutStarted } = recordFailure(locked.counter, rule, locked.now);
        if (!lockoutStarted) continue;
        await this.counters.save(m, scope, attempt[scope], counter, expiresAt(counter, rule));
        const subject =
          scope === 'client_address'
            ? ({ subjectType: 'client_address_hmac', subjectId: attempt.client_address } as const)
            : userId
              ? ({ subjectType: 'user', subjectId: userId } as const)
              : ({ subjectType: 'email_hmac', subjectId: attempt.account } as const);
        await this.audit.append(m, {
          actor: 'anonymous',
          action: 'auth.lockout',
          ...subject,
          body: { scope, failures: counter.failures, lockedUntil: counter.retryAt!.toISOString() },
        });
      }
    });
  }

  /** The attempt signed in, inside the login's transaction. */
  async succeeded(m: EntityManager, attempt: LoginAttempt): Promise<void> {
    await this.counters.remove(m, 'account', attempt.account);
    const network = await this.counters.lock(m, 'client_address', attempt.client_address);
    if (!network) return;
    const counter = giveBack(network.counter);
    await this.counters.save(m, 'client_address', attempt.client_address, counter, expiresAt(counter, this.rules.client_address));
  }
}
