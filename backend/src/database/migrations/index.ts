import { InitialSchema1764158400000 } from './1764158400000-initial-schema';
import { Review1764158500000 } from './1764158500000-review';
import { TamperEvidentAudit1764158600000 } from './1764158600000-tamper-evident-audit';
import { ModerationPolicies1764158700000 } from './1764158700000-moderation-policies';
import { Provenance1764158800000 } from './1764158800000-provenance';
import { FactsOutOfTheAuditLog1764158900000 } from './1764158900000-facts-out-of-the-audit-log';
import { AuditSequencer1764159000000 } from './1764159000000-audit-sequencer';
import { RenderBesideTheChecks1764159100000 } from './1764159100000-render-beside-the-checks';
import { SealedWebhookSecrets1764159200000 } from './1764159200000-sealed-webhook-secrets';
import { RefreshTokenFamilies1764159300000 } from './1764159300000-refresh-token-families';
import { LoginThrottle1764200100000 } from './1764200100000-login-throttle';
import { PendingWebhookDeliveries1764200200000 } from './1764200200000-pending-webhook-deliveries';
import { AccountChangesAndReopeners1764200400000 } from './1764200400000-account-changes-and-reopeners';
import { PromptAppeals1764500000000 } from './1764500000000-prompt-appeals';
import { LikenessRegistry1764600000000 } from './1764600000000-likeness-registry';

/** Every migration, in order. Never edit an applied migration; add a new one. */
export const migrations = [
  InitialSchema1764158400000,
  Review1764158500000,
  TamperEvidentAudit1764158600000,
  ModerationPolicies1764158700000,
  Provenance1764158800000,
  FactsOutOfTheAuditLog1764158900000,
  AuditSequencer1764159000000,
  RenderBesideTheChecks1764159100000,
  SealedWebhookSecrets1764159200000,
  RefreshTokenFamilies1764159300000,
  LoginThrottle1764200100000,
  PendingWebhookDeliveries1764200200000,
  AccountChangesAndReopeners1764200400000,
  PromptAppeals1764500000000,
  LikenessRegistry1764600000000,
];
