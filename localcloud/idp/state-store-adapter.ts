// oidc-provider's storage (sessions, grants, codes, tokens) kept in the StateStore, so a signed-in
// desktop app's refresh token still works after localcloud restarts with the same data dir.
// Everything is held in memory and the whole set is written back on each change: the stand-in
// serves one person on one machine, so the set stays small.
import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';
import type { StateStore } from '../state-store';

interface Row {
  payload: AdapterPayload;
  /** Epoch milliseconds; absent for rows that do not expire. */
  expiresAt?: number;
}

const STATE_NAME = 'idp-storage';

export function stateStoreAdapter(store: StateStore, now: () => number = Date.now): AdapterFactory {
  const expired = (row: Row) => row.expiresAt !== undefined && row.expiresAt <= now();
  const rows = new Map(Object.entries(store.read<Record<string, Row>>(STATE_NAME) ?? {}));

  const save = () => {
    for (const [key, row] of rows) if (expired(row)) rows.delete(key);
    store.write(STATE_NAME, Object.fromEntries(rows));
  };
  const live = (key: string) => {
    const row = rows.get(key);
    return row === undefined || expired(row) ? undefined : row;
  };

  return (model: string): Adapter => {
    const keyOf = (id: string) => `${model}:${id}`;
    const findBy = (field: 'uid' | 'userCode', value: string) => {
      for (const [key, row] of rows) {
        if (key.startsWith(`${model}:`) && row.payload[field] === value && live(key)) return row.payload;
      }
      return undefined;
    };
    return {
      async upsert(id, payload, expiresIn) {
        rows.set(keyOf(id), { payload, expiresAt: expiresIn === undefined ? undefined : now() + expiresIn * 1000 });
        save();
      },
      async find(id) {
        return live(keyOf(id))?.payload;
      },
      async findByUid(uid) {
        return findBy('uid', uid);
      },
      async findByUserCode(userCode) {
        return findBy('userCode', userCode);
      },
      async consume(id) {
        const row = live(keyOf(id));
        if (row === undefined) return;
        row.payload.consumed = Math.floor(now() / 1000);
        save();
      },
      async destroy(id) {
        if (rows.delete(keyOf(id))) save();
      },
      async revokeByGrantId(grantId) {
        for (const [key, row] of rows) {
          if (key.startsWith(`${model}:`) && row.payload.grantId === grantId) rows.delete(key);
        }
        save();
      },
    };
  };
}
