import type { EntityManager } from '@mikro-orm/postgresql';
import type { SqlExecutor } from '../outbox';

/**
 * Runs `$1`-style SQL (what `appendEvent` writes) inside the entity manager's current transaction.
 * MikroORM's `execute` takes `?` placeholders and binds the values itself, so each `$n` becomes a
 * `?` and the values are put in the order they appear (a `$n` may repeat).
 */
export function transactionExecutor(em: EntityManager): SqlExecutor {
  return {
    query: (text, params) => {
      const ordered: unknown[] = [];
      const sql = text.replace(/\$(\d+)/g, (_match, index: string) => {
        ordered.push(params[Number(index) - 1]);
        return '?';
      });
      return em.execute(sql, ordered);
    },
  };
}
