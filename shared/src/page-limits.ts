/** The page sizes of the API's lists: one definition for the server's check, its OpenAPI contract and the CLI's help. */
export interface PageLimit {
  readonly max: number;
  readonly default: number;
}

export const PAGE_LIMITS = {
  clips: { max: 200, default: 50 },
  reviewQueue: { max: 500, default: 50 },
  appeals: { max: 200, default: 50 },
  audit: { max: 1000, default: 100 },
} as const satisfies Record<string, PageLimit>;
