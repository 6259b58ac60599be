/** A request's query string as an object, empty values left out (so an empty filter means no filter). */
export function queryObject(url: string | URL): Record<string, string> {
  const params = new URL(url).searchParams;
  return Object.fromEntries([...params.entries()].filter(([, value]) => value !== ""));
}
