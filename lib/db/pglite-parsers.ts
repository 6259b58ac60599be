import type { PGlite, Transaction } from "@electric-sql/pglite";

type QueryOptions = NonNullable<Parameters<PGlite["query"]>[2]>;
type TypeParsers = NonNullable<QueryOptions["parsers"]>;

/**
 * Drizzle passes the same few type parsers with every query (timestamps and dates kept as text),
 * and PGlite copies them over its own ~300 parsers for each query it answers: about 0.1 ms a
 * statement, on the embedded database's only thread. The first time they come, they are installed
 * on the database itself; after that a query that brings the very same parsers (same types, same
 * source) is sent without them, which parses its rows exactly as before. Any other parsers go
 * through unchanged.
 */
export function parsersInstalledOnce(client: PGlite): PGlite {
  const installed = new Map<string, string>();
  const strip = (options: QueryOptions | undefined): QueryOptions | undefined => {
    const parsers = options?.parsers;
    if (!parsers) return options;
    const entries = Object.entries(parsers as Record<string, TypeParsers[number]>);
    if (installed.size === 0) {
      for (const [type, parse] of entries) {
        client.parsers[type] = parse;
        installed.set(type, parse.toString());
      }
    }
    if (entries.length !== installed.size || entries.some(([type, parse]) => installed.get(type) !== parse.toString())) return options;
    const rest = { ...options };
    delete rest.parsers;
    return rest;
  };
  const query = client.query.bind(client);
  const transaction = client.transaction.bind(client);
  client.query = ((text: string, params?: unknown[], options?: QueryOptions) => query(text, params, strip(options))) as PGlite["query"];
  client.transaction = (<T>(callback: (tx: Transaction) => Promise<T>) =>
    transaction((tx) => {
      const txQuery = tx.query.bind(tx);
      const stripped = Object.create(tx) as Transaction;
      stripped.query = ((text: string, params?: unknown[], options?: QueryOptions) => txQuery(text, params, strip(options))) as Transaction["query"];
      return callback(stripped);
    })) as PGlite["transaction"];
  return client;
}
