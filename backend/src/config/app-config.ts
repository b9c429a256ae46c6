import { z } from 'zod';
import { isIP } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import { parseAllowedNetworks, type AllowedNetwork } from '../engines/egress';
import { loadModerationConfig, ModerationConfigError, type ModerationConfig, PolicyValidationError } from '../engines/moderation';
import { DEFAULT_MARKING_THREADS, DEFAULT_RELEASE_ENCODING, MAX_MARKING_THREADS, RELEASE_PRESETS } from '../engines/watermark';
import { EXIT_CODE } from './exit-codes';

/**
 * Every setting the api and the worker read, with its local default. The
 * process validates this at start and stops with one line naming the first
 * bad setting, so a typo never surfaces later as a confusing failure.
 */
const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);
const flag = (def: boolean) =>
  z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default(def ? 'true' : 'false')
    .transform((v) => v === 'true');
const list = (def: string) =>
  z
    .string()
    .default(def)
    .transform((s) => s.split(',').map((v) => v.trim().toLowerCase()).filter(Boolean));
const url = (protocols: string[], def: string) =>
  z
    .string()
    .default(def)
    .refine((v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    }, `must be a URL starting with ${protocols.join(' or ')}//`);
const networks = () =>
  z
    .string()
    .default('')
    .transform((s, ctx): AllowedNetwork[] => {
      try {
        return parseAllowedNetworks(s);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: `entry ${(err as Error).message}` });
        return z.NEVER;
      }
    });

// Express's `trust proxy`: a number of proxy hops, or the proxies' addresses/CIDRs and the names Express knows.
const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];
const trustedProxies = () =>
  z
    .string()
    .optional()
    .transform((s, ctx): number | string[] | undefined => {
      if (s === undefined) return undefined;
      if (/^\d+$/.test(s.trim())) return Number(s);
      const entries = s.split(',').map((e) => e.trim()).filter(Boolean);
      const bad = entries.find((e) => !PROXY_NAMES.includes(e) && !isAddressOrCidr(e));
      if (bad !== undefined || entries.length === 0) {
        ctx.addIssue({ code: 'custom', message: `must be a hop count or addresses/CIDRs or ${PROXY_NAMES.join('/')}, comma-separated${bad ? ` ("${bad}" is none)` : ''}` });
        return z.NEVER;
      }
      return entries;
    });
function isAddressOrCidr(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  return family !== 0 && rest.length === 0 && (prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128)));
}

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: int(3000, 1).pipe(z.number().max(65535)),
  WORKER_PORT: int(3001, 0).pipe(z.number().max(65535)),
  // The worker's probe and metrics port listens on loopback unless told otherwise (its /metrics needs an admin token either way).
  WORKER_HOST: z.string().trim().min(1).default('127.0.0.1'),
  // `npm start` restarts a crashed api or worker after LAUNCHER_RESTART_DELAY_MS (doubling with each recent crash) and gives up
  // when one crashes more than LAUNCHER_CRASH_LOOP_RESTARTS times within LAUNCHER_CRASH_LOOP_WINDOW_MS.
  LAUNCHER_RESTART_DELAY_MS: int(1000, 10),
  LAUNCHER_CRASH_LOOP_RESTARTS: int(5, 1),
  LAUNCHER_CRASH_LOOP_WINDOW_MS: int(60_000, 100),
  DATABASE_URL: url(['postgres:', 'postgresql:'], 'postgres://postgres@127.0.0.1:5432/provenant'),
  REDIS_URL: url(['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z.string().regex(/^[a-z0-9_-]+$/i, 'must be letters, digits, _ or -').default('provenant'),
  DATA_DIR: z.string().default('.provenant'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CONSOLE_DIR: z.string().optional(),

  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ACCESS_TOKEN_TTL_SECONDS: int(900, 30),
  REFRESH_TOKEN_TTL_SECONDS: int(14 * 24 * 3600, 60),
  PROVENANT_ADMIN_EMAIL: z.string().email().default('admin@provenant.local'),
  PROVENANT_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').default('provenant-admin-dev'),
  // How stale a process's view of an account (enabled, roles) may be when a change notification was missed.
  ACCOUNT_CHECK_TTL_MS: int(5000, 0),
  // Lets one person hold roles that defeat separation of duties (e.g. admin and reviewer); for tiny teams that accept it.
  ALLOW_CONFLICTING_ROLES: flag(false),
  // Requests refused by the role guard are audited per caller and route, with a count, this often.
  ACCESS_DENIED_FLUSH_MS: int(60_000, 100),
  // Failed sign-ins, counted per account and per client network (README, security model).
  LOGIN_MAX_FAILURES_PER_ACCOUNT: int(10, 1),
  LOGIN_MAX_FAILURES_PER_ADDRESS: int(100, 1),
  LOGIN_FAILURE_WINDOW_SECONDS: int(900, 1),
  LOGIN_LOCKOUT_SECONDS: int(900, 1),
  LOGIN_DELAY_BASE_MS: int(1000, 0),
  // HMAC key that pseudonymises e-mails and client addresses (throttle counters, audit subjects); unset in development means one generated into DATA_DIR/keys.
  PSEUDONYM_KEY: z.string().regex(/^\s*[0-9a-fA-F]{64}\s*$/, 'must be 64 hex digits (32 bytes)').optional(),
  TRUST_PROXY: trustedProxies(),

  GENERATOR: z.enum(['local', 'openai']).default('local'),
  LOCAL_GENERATOR_SECONDS: int(4, 1).pipe(z.number().max(60)),
  LOCAL_GENERATOR_SIZE: z.string().regex(/^\d{2,4}x\d{2,4}$/, 'must look like 1280x720').default('1280x720'),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: url(['http:', 'https:'], 'https://api.openai.com/v1'),
  OPENAI_VIDEO_MODEL: z.string().default('sora-2'),
  OPENAI_VIDEO_SECONDS: z.enum(['4', '8', '12']).default('4'),
  OPENAI_VIDEO_SIZE: z.string().regex(/^\d{2,4}x\d{2,4}$/, 'must look like 1280x720').default('1280x720'),
  OPENAI_POLL_INTERVAL_MS: int(5000, 10),
  GENERATION_TIMEOUT_MS: int(10 * 60_000, 1000),

  // MODERATION_PROVIDER, MODERATION_POLICY_FILE and the other moderation settings are read by loadModerationConfig.
  MODERATION_OPENAI_TIMEOUT_MS: int(30_000, 100),
  MODERATION_OPENAI_MAX_RETRIES: int(2, 0).pipe(z.number().max(10)),

  FFMPEG_PATH: z.string().optional(),
  FFPROBE_PATH: z.string().optional(),
  FFMPEG_TIMEOUT_MS: int(120_000, 1000),

  MAX_UPLOAD_BYTES: int(500 * 1024 * 1024, 1),
  MAX_DURATION_SECONDS: int(120, 1),
  MAX_WIDTH: int(3840, 16),
  MAX_HEIGHT: int(3840, 16),
  MAX_FRAME_RATE: int(60, 1),
  MAX_PIXELS_PER_SECOND: int(3840 * 2160 * 30, 1),
  ALLOWED_CONTAINERS: list('mp4,mov'),
  ALLOWED_VIDEO_CODECS: list('h264,hevc,av1'),
  ALLOWED_AUDIO_CODECS: list('aac,opus'),
  MAX_PROMPT_CHARS: int(2000, 1),
  MAX_REFERENCE_IMAGE_BYTES: int(10 * 1024 * 1024, 1),
  MAX_REFERENCE_IMAGE_PIXELS: int(40_000_000, 1),
  REFERENCE_IMAGE_TYPES: list('png,jpeg,webp'),

  AUDIT_SIGNING_KEY_FILE: z.string().optional(),
  AUDIT_LOG_ORIGIN: z.string().regex(/^[^\s+]+$/, 'must contain no spaces or +').default('provenant.local/audit'),
  AUDIT_CHECKPOINT_INTERVAL_MS: int(500, 20),

  // The watermark key: PROVENANT_WATERMARK_KEY (64 hex digits) or WATERMARK_KEY_FILE; neither in development means one generated into DATA_DIR/keys.
  PROVENANT_WATERMARK_KEY: z.string().regex(/^\s*[0-9a-fA-F]{64}\s*$/, 'must be 64 hex digits (32 bytes)').optional(),
  WATERMARK_KEY_FILE: z.string().optional(),
  WATERMARK_VISIBLE: z.enum(['on', 'off']).default('on'),
  WATERMARK_LABEL_PLATFORM: z.string().trim().min(1).max(40).regex(/^[^\u0000-\u001f\u007f]+$/, 'must have no control characters').default('Provenant'),
  WATERMARK_LABEL_OPACITY: z.coerce.number().gt(0).max(1).default(0.6),
  WATERMARK_LABEL_SIZE: z.coerce.number().min(0.01).max(0.2).default(0.035),
  WATERMARK_LABEL_CORNER_SECONDS: z.coerce.number().min(0.5).max(600).default(4),
  WATERMARK_TIMEOUT_MS: int(20 * 60_000, 1000),
  // The release render's x264 settings (the engine README has the measured trade-off) and its marking threads (0: the main thread).
  WATERMARK_PRESET: z.enum(RELEASE_PRESETS).default(DEFAULT_RELEASE_ENCODING.preset),
  WATERMARK_CRF: int(DEFAULT_RELEASE_ENCODING.crf, 0).pipe(z.number().max(51)),
  WATERMARK_THREADS: int(DEFAULT_MARKING_THREADS, 0).pipe(z.number().max(MAX_MARKING_THREADS)),

  // C2PA signing: both PEM paths, or neither for the development PKI generated into DATA_DIR/keys/c2pa.
  C2PA_KEY_PATH: z.string().optional(),
  C2PA_CERT_CHAIN_PATH: z.string().optional(),
  C2PA_TRUST_ANCHORS_PATH: z.string().optional(),
  C2PA_TSA_URL: z.string().url('must be an http(s) URL').refine((v) => /^https?:\/\//.test(v), 'must be an http(s) URL').optional(),
  C2PA_TSA_ANCHORS_PATH: z.string().optional(),
  C2PA_MAX_SIGN_BYTES: int(256 * 1024 * 1024, 1024),

  VERIFY_MAX_UPLOAD_BYTES: int(500 * 1024 * 1024, 1),
  VERIFY_RATE_PER_MINUTE: int(30, 1),
  VERIFY_RATE_BURST: int(10, 1),

  REVIEW_LEASE_SECONDS: int(600, 1),
  REVIEW_MAX_OPEN_CLAIMS: int(3, 1),
  REVIEW_SLA_HIGH_SECONDS: int(4 * 3600, 1),
  REVIEW_SLA_NORMAL_SECONDS: int(24 * 3600, 1),

  WEBHOOK_MAX_ATTEMPTS: int(8, 1).pipe(z.number().max(30)),
  WEBHOOK_BACKOFF_MS: int(10_000, 10),
  WEBHOOK_TIMEOUT_MS: int(10_000, 100),
  // Webhooks reach public addresses only, plus these CIDRs or addresses (each optionally with a port), e.g. for an in-house receiver.
  WEBHOOK_ALLOWED_NETWORKS: networks(),
  // Seals webhook signing secrets at rest (AES-256-GCM); unset in development means one generated into DATA_DIR/keys.
  WEBHOOK_SECRET_KEY: z.string().regex(/^\s*[0-9a-fA-F]{64}\s*$/, 'must be 64 hex digits (32 bytes)').optional(),
  // Seals face templates of the likeness registry at rest (AES-256-GCM); unset in development means one generated into DATA_DIR/keys.
  LIKENESS_TEMPLATE_KEY: z.string().regex(/^\s*[0-9a-fA-F]{64}\s*$/, 'must be 64 hex digits (32 bytes)').optional(),
  // Largest enrolment image accepted, in bytes.
  LIKENESS_MAX_IMAGE_BYTES: int(10 * 1024 * 1024, 1024),

  STAGE_ATTEMPTS: int(3, 1),
  STAGE_BACKOFF_MS: int(2000, 10),
  WORKER_CONCURRENCY: int(2, 1),
  JOB_LOCK_MS: int(30_000, 500),
  STALLED_INTERVAL_MS: int(30_000, 200),
  OUTBOX_POLL_MS: int(250, 10),
  // The sweeps (in workers) re-dispatch jobs Redis lost: every SWEEP_INTERVAL_MS they look for clips in a processing
  // phase, untouched for SWEEP_GRACE_MS, whose next stage has no live job, and for webhook deliveries pending that long
  // with no live job.
  SWEEP_INTERVAL_MS: int(15_000, 100),
  SWEEP_GRACE_MS: int(60_000, 500),
  // /health/ready answers within this even when a dependency does not answer at all.
  READINESS_TIMEOUT_MS: int(2000, 100),
  SHUTDOWN_GRACE_MS: int(30_000, 0),
});

type Env = z.infer<typeof schema>;

/**
 * What production must be given rather than generate or default: the JWT secret, the first admin's password and every
 * key (audit log, watermark, C2PA, webhook secrets, pseudonyms). Each entry is one requirement; any one of its settings meets it.
 */
export const PRODUCTION_REQUIRED: readonly (readonly (keyof Env)[])[] = [
  ['JWT_SECRET'],
  ['PROVENANT_ADMIN_PASSWORD'],
  ['AUDIT_SIGNING_KEY_FILE'],
  ['PROVENANT_WATERMARK_KEY', 'WATERMARK_KEY_FILE'],
  ['C2PA_KEY_PATH'],
  ['C2PA_CERT_CHAIN_PATH'],
  ['WEBHOOK_SECRET_KEY'],
  ['LIKENESS_TEMPLATE_KEY'],
  ['PSEUDONYM_KEY'],
];

export interface AppConfig extends Env {
  /** DATA_DIR made absolute: content store, development keys. */
  dataDir: string;
  /** Provider, start-up policy and image workers of the moderation check. */
  moderation: ModerationConfig;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  // Empty strings mean "unset", as in most shells' `VAR= cmd`.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0]);
    const given = cleaned[name] === undefined ? 'missing' : JSON.stringify(cleaned[name]);
    throw new ConfigError(`invalid configuration: ${name} ${issue.message} (got ${given})`);
  }
  const cfg = parsed.data;
  if (cfg.GENERATOR === 'openai' && !cfg.OPENAI_API_KEY) {
    throw new ConfigError('invalid configuration: OPENAI_API_KEY is required when GENERATOR=openai (got missing)');
  }
  if (cfg.NODE_ENV === 'production') {
    const missing = PRODUCTION_REQUIRED.filter((names) => names.every((name) => cleaned[name] === undefined)).map((names) => names.join(' or '));
    if (missing.length) {
      throw new ConfigError(`invalid configuration: ${missing.join(', ')} must be set explicitly when NODE_ENV=production, which generates no development keys (got missing)`);
    }
  }
  if (Boolean(cfg.C2PA_KEY_PATH) !== Boolean(cfg.C2PA_CERT_CHAIN_PATH)) {
    const missing = cfg.C2PA_KEY_PATH ? 'C2PA_CERT_CHAIN_PATH' : 'C2PA_KEY_PATH';
    throw new ConfigError(`invalid configuration: ${missing} is required when ${missing === 'C2PA_KEY_PATH' ? 'C2PA_CERT_CHAIN_PATH' : 'C2PA_KEY_PATH'} is set (got missing)`);
  }
  const dataDir = isAbsolute(cfg.DATA_DIR) ? cfg.DATA_DIR : resolve(process.cwd(), cfg.DATA_DIR);
  return { ...cfg, dataDir, moderation: moderationConfig(cleaned, cfg) };
}

function moderationConfig(env: NodeJS.ProcessEnv, cfg: Env): ModerationConfig {
  let moderation: ModerationConfig;
  try {
    moderation = loadModerationConfig(env);
  } catch (err) {
    if (err instanceof ModerationConfigError) throw new ConfigError(`invalid configuration: ${err.message}`);
    if (err instanceof PolicyValidationError) throw new ConfigError(`invalid configuration: MODERATION_POLICY_FILE ${err.message}`);
    throw err;
  }
  if (moderation.openai) {
    moderation.openai = { ...moderation.openai, timeoutMs: cfg.MODERATION_OPENAI_TIMEOUT_MS, maxRetries: cfg.MODERATION_OPENAI_MAX_RETRIES };
  }
  return moderation;
}

/** For entry points: load or print the one-line reason and exit. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`provenant: ${err.message}\n`);
      process.exit(EXIT_CODE.config);
    }
    throw err;
  }
}
