// The RS256 key the ID tokens are signed with. It is made on the first start and kept in the data
// dir, so the JWKS `kid` — and every token already handed out — stays valid across restarts.
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { StateStore } from '../state-store';

const STATE_NAME = 'idp-signing-key';

export async function keptSigningKey(store: StateStore): Promise<JWK> {
  const kept = store.read<JWK>(STATE_NAME);
  if (kept) return kept;
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  const key: JWK = { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: 'RS256', use: 'sig' };
  store.write(STATE_NAME, key);
  return key;
}
