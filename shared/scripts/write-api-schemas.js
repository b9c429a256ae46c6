// Writes dist/api-schemas.json: JSON Schemas of the API's answers, generated
// from the TypeScript types in src/ (their one definition), for the OpenAPI document.
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { createGenerator } = require('ts-json-schema-generator');

/** Every answer (and unzodded body) type a route declares (backend/src/modules/http/api-contract.ts names them). */
const ANSWERS = [
  'ApiErrorDto', 'TokenPair', 'CookieSession', 'MeDto', 'UserDto', 'CreatedApiKeyDto', 'ErasureResultDto',
  'SubmitClipRequest', 'SubmitClipResponse', 'ClipSummaryPageDto', 'ClipDto', 'ClipEventDto', 'SessionEndedDto',
  'ModerationPolicyDto', 'ModerationPolicy',
  'ReviewClaimDto', 'ReviewDecisionResultDto', 'ReviewQueueItemDto', 'ReviewReopenResultDto', 'PromptAppealDto', 'AppealResultDto',
  'LikenessSubjectDto', 'LikenessGrantDto', 'LikenessAppearanceDto', 'LikenessEnrolmentDto',
  'ReviewReasonCatalogueDto', 'ClipStateCatalogueDto', 'CheckKindCatalogueDto',
  'WebhookDto', 'CreatedWebhookDto', 'WebhookDeliveryDto',
  'AuditCheckpointDto', 'InclusionProofDto', 'ConsistencyProofDto', 'AuditVerificationDto', 'AuditEventPageDto',
  'VerifyResponseDto', 'LivenessDto', 'ReadinessDto',
];

const root = join(__dirname, '..');
const generator = createGenerator({ path: join(root, 'src/index.ts'), tsconfig: join(root, 'tsconfig.json'), type: '*', expose: 'export', topRef: true, skipTypeCheck: true, jsDoc: 'extended', additionalProperties: false });
const schemas = {};
for (const name of ANSWERS) Object.assign(schemas, generator.createSchema(name).definitions);
// OpenAPI component names allow only [A-Za-z0-9._-]; generic instances are named like `Page<X>`.
const componentName = (name) => decodeURIComponent(name).replace(/[^A-Za-z0-9._-]+/g, '_').replace(/_+$/, '');
const text = JSON.stringify(Object.fromEntries(Object.entries(schemas).map(([k, v]) => [componentName(k), v])), null, 1)
  .replace(/"#\/definitions\/([^"]+)"/g, (_, ref) => JSON.stringify(`#/components/schemas/${componentName(ref)}`));
writeFileSync(join(root, 'dist/api-schemas.json'), text);
