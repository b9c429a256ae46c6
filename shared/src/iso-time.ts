// A date, or a date and time with an optional fraction and offset: what Postgres' timestamptz reads the same way everywhere.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** An ISO 8601 time such as 2026-01-31T12:00:00Z (or a date): the form the API accepts for times, checked the same in the CLI. */
export function isIsoTime(text: string): boolean {
  return ISO_TIME.test(text) && !Number.isNaN(Date.parse(text));
}
