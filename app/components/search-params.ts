export type SearchParams = Record<string, string | string[] | undefined>;

/** The first non-empty value of each query parameter. */
export function firstValues(searchParams: SearchParams): Record<string, string> {
  return Object.fromEntries(
    Object.entries(searchParams).flatMap(([key, value]) => {
      const first = Array.isArray(value) ? value[0] : value;
      return first ? [[key, first]] : [];
    }),
  );
}
