/** A plain object (not null, not an array): the shape of every JSON/YAML mapping read from an input. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
