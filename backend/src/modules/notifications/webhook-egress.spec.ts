import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { FakeHttpServer } from '../../../test/fakes/fake-http-server';
import { loadConfig } from '../../config/app-config';
import { EgressPolicy, parseAllowedNetworks, type ResolvedAddress } from '../../engines/egress';
import { AuditLog } from '../audit/audit-log';
import type { Principal } from '../auth/principal';
import { WebhookDeliveryWorker } from './webhook-delivery-worker';
import { SecretBox } from '../core/secret-box';
import { WebhookSecretSealing } from './webhook-secret-sealing';
import { verifyWebhookSignature } from './webhook-signature';
import { WebhookRepository } from './webhook.repository';
import { Webhooks } from './webhooks';

/**
 * Where webhooks may go (issue 14): registration and every delivery, with real
 * Postgres and a real loopback receiver. The receiver's address, 127.0.0.1, is
 * allowed here as a deployment's WEBHOOK_ALLOWED_NETWORKS would; the test's
 * resolver stands in for DNS so a name can change its answer between checks.
 */
describe('webhook egress (real Postgres, loopback receiver)', () => {
  const config = loadConfig({ DATABASE_URL: process.env.DATABASE_URL, WEBHOOK_MAX_ATTEMPTS: '3', WEBHOOK_TIMEOUT_MS: '3000' });
  const dns = new Map<string, string>();
  let lookups = 0;
  const resolve = async (host: string): Promise<ResolvedAddress[]> => {
    lookups++;
    const address = dns.get(host);
    if (!address) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return [{ address, family: address.includes(':') ? 6 : 4 }];
  };
  const egress = new EgressPolicy({ allowed: parseAllowedNetworks('127.0.0.1'), resolve });
  const box = new SecretBox(randomBytes(32));
  const repository = new WebhookRepository();
  let db: DataSource;
  let receiver: FakeHttpServer;
  let webhooks: Webhooks;
  let worker: WebhookDeliveryWorker;
  let owner: Principal;
  let clipId: string;

  beforeAll(async () => {
    db = await new DataSource({ type: 'postgres', url: process.env.DATABASE_URL }).initialize();
    receiver = await FakeHttpServer.start();
    receiver.route('POST', /^\/hooks\/ok$/, () => ({ status: 200, text: 'RECEIVER-SAYS-ok internal build 4.2.1' }));
    receiver.route('POST', /^\/hooks\/broken$/, () => ({ status: 500, text: 'RECEIVER-SAYS-stack trace at /srv/app.js:12' }));
    receiver.route('POST', /^\/hooks\/moved$/, () => ({ status: 302, headers: { location: '/hooks/ok' }, text: 'RECEIVER-SAYS-moved' }));
    webhooks = new Webhooks(db, new AuditLog(), repository, egress, box);
    worker = new WebhookDeliveryWorker(db, repository, config, egress, box);
    const [{ id: userId }] = await db.query(`INSERT INTO users (email, password_hash, roles) VALUES ($1, 'x', '{creator}') RETURNING id`, [`${randomUUID()}@egress.test`]);
    owner = { userId, roles: ['creator'], apiKeyId: null, expiresAt: null };
    [{ id: clipId }] = await db.query(`INSERT INTO clips (state, source, created_by, flagged) VALUES ('APPROVED', 'upload', $1, false) RETURNING id`, [userId]);
  });
  afterAll(async () => {
    await receiver?.close();
    await db?.destroy();
  });

  const receiverPort = () => new URL(receiver.url).port;
  const register = (url: string) => webhooks.create(owner, url, ['clip.approved']);
  const refusal = (url: string, on = webhooks) =>
    on.create(owner, url, undefined).then(
      () => 'registered',
      (err: Error & { status?: number }) => `${err.status} ${err.message}`,
    );
  const newDelivery = async (webhookId: string) => {
    const id = randomUUID();
    await repository.insertDelivery(db, { id, webhookId, clipId, event: 'clip.approved', body: JSON.stringify({ id, event: 'clip.approved', clipId }) });
    return id;
  };
  const attemptsOf = (deliveryId: string) =>
    db.query(`SELECT attempt, status_code AS "statusCode", error FROM webhook_delivery_attempts WHERE delivery_id = $1 ORDER BY attempt`, [deliveryId]);

  it('refuses to register URLs that reach internal addresses, carry credentials or are not http(s), storing nothing', async () => {
    const publicOnly = new Webhooks(db, new AuditLog(), repository, new EgressPolicy(), box);
    const publicOnlyRefusal = (url: string) => refusal(url, publicOnly);
    const loopback = '400 url: resolves to 127.0.0.1, a loopback address; webhooks may only reach public addresses';
    expect(await publicOnlyRefusal('http://127.0.0.1:3200/api/v1/users')).toBe(loopback);
    expect(await publicOnlyRefusal('http://169.254.169.254/latest/meta-data/iam/')).toBe(
      '400 url: resolves to 169.254.169.254, a link-local address; webhooks may only reach public addresses',
    );
    expect(await publicOnlyRefusal('http://127.0.0.1:5432/')).toBe(loopback);
    expect(await publicOnlyRefusal('http://0x7f000001:3290/')).toBe(loopback);
    expect(await publicOnlyRefusal('http://[::ffff:127.0.0.1]/')).toBe(
      '400 url: resolves to ::ffff:7f00:1, an IPv4-mapped form of 127.0.0.1, a loopback address; webhooks may only reach public addresses',
    );
    expect(await publicOnlyRefusal('http://10.0.0.8/hook')).toBe('400 url: resolves to 10.0.0.8, a private address; webhooks may only reach public addresses');
    // A name is resolved (here by the system resolver, from /etc/hosts) and refused for what it resolves to.
    expect(await publicOnlyRefusal(`http://localhost:${receiverPort()}/hooks/ok`)).toBe(loopback);
    expect(await publicOnlyRefusal('http://user:pw@example.com/')).toBe('400 url: must not contain a user name or password');
    expect(await publicOnlyRefusal('ftp://example.com/hook')).toBe('400 url: must be an http:// or https:// URL');
    expect(await refusal('https://no-such-host.test/hook')).toBe('400 url: host no-such-host.test does not resolve (ENOTFOUND)');
    const [{ n }] = await db.query('SELECT count(*)::int AS n FROM webhooks WHERE user_id = $1', [owner.userId]);
    expect(n).toBe(0);
    expect(receiver.requests).toHaveLength(0);
  });

  it('stores the secret sealed (nonce, ciphertext, tag) and never in the clear; it is shown once and signs deliveries', async () => {
    dns.set('receiver.test', '127.0.0.1');
    const hook = await register(`http://receiver.test:${receiverPort()}/hooks/ok`);
    const [row] = await db.query(`SELECT secret, secret_sealed AS sealed, row_to_json(w)::text AS everything FROM webhooks w WHERE id = $1`, [hook.id]);
    expect(row.secret).toBeNull();
    expect(row.sealed.length).toBe(12 + Buffer.byteLength(hook.secret) + 16);
    expect(row.sealed.toString('latin1')).not.toContain(hook.secret.slice(6));
    expect(row.everything).not.toContain(hook.secret.slice(6));
    expect(box.open(row.sealed, hook.id).toString('utf8')).toBe(hook.secret);

    // Delivered over a connection to the address the policy checked, under the registered host name.
    const before = receiver.requests.length;
    const lookupsBefore = lookups;
    expect(await worker.attempt(await newDelivery(hook.id))).toEqual({ status: 'delivered', attempt: 1 });
    expect(lookups - lookupsBefore).toBe(1);
    const [sent] = receiver.requests.slice(before);
    expect(sent.headers.host).toBe(`receiver.test:${receiverPort()}`);
    expect(verifyWebhookSignature(hook.secret, sent.body.toString('utf8'), String(sent.headers['x-provenant-signature']))).toBe(true);
  });

  it('refuses a delivery when the host has come to resolve to a private address since registration (DNS rebinding)', async () => {
    dns.set('rebinding.test', '93.184.216.34');
    const hook = await register(`http://rebinding.test:${receiverPort()}/hooks/ok`);
    dns.set('rebinding.test', '169.254.169.254');
    const before = receiver.requests.length;
    const delivery = await newDelivery(hook.id);
    expect(await worker.attempt(delivery)).toEqual({ status: 'pending', attempt: 1 });
    expect(await attemptsOf(delivery)).toEqual([{ attempt: 1, statusCode: null, error: 'destination refused: not a public address' }]);
    expect(receiver.requests.length).toBe(before);
  });

  it('does not follow a redirect, and records no word of what the receiver answered', async () => {
    dns.set('receiver.test', '127.0.0.1');
    const moved = await register(`http://receiver.test:${receiverPort()}/hooks/moved`);
    const broken = await register(`http://receiver.test:${receiverPort()}/hooks/broken`);
    const before = receiver.requests.length;
    const redirected = await newDelivery(moved.id);
    const failed = await newDelivery(broken.id);
    expect(await worker.attempt(redirected)).toEqual({ status: 'pending', attempt: 1 });
    expect(await worker.attempt(failed)).toEqual({ status: 'pending', attempt: 1 });
    expect(receiver.requests.slice(before).map((r) => r.path)).toEqual(['/hooks/moved', '/hooks/broken']);
    expect(await attemptsOf(redirected)).toEqual([{ attempt: 1, statusCode: 302, error: 'redirect not followed' }]);
    expect(await attemptsOf(failed)).toEqual([{ attempt: 1, statusCode: 500, error: 'receiver answered 500' }]);
    const stored = await db.query(
      `SELECT row_to_json(d)::text AS delivery, (SELECT json_agg(a)::text FROM webhook_delivery_attempts a WHERE a.delivery_id = d.id) AS attempts
         FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE w.user_id = $1`,
      [owner.userId],
    );
    expect(JSON.stringify(stored)).not.toContain('RECEIVER-SAYS');
    expect(JSON.stringify(await webhooks.deliveries(owner, moved.id))).not.toContain('RECEIVER-SAYS');
  });

  it('seals the secrets stored in the clear before, at start, once', async () => {
    const id = randomUUID();
    await db.query(`INSERT INTO webhooks (id, user_id, url, secret, events) VALUES ($1, $2, 'https://legacy.example.com/', 'whsec_legacy-clear-secret', '{clip.approved}')`, [id, owner.userId]);
    await Promise.all([new WebhookSecretSealing(db, repository, box).onModuleInit(), new WebhookSecretSealing(db, repository, box).onModuleInit()]);
    const [row] = await db.query('SELECT secret, secret_sealed AS sealed FROM webhooks WHERE id = $1', [id]);
    expect(row.secret).toBeNull();
    expect(box.open(row.sealed, id).toString('utf8')).toBe('whsec_legacy-clear-secret');
  });
});
