import { NotAuthorizedException } from '@aws-sdk/client-cognito-identity';
import { expect, test } from 'vitest';
import { cognitoContextOf, judgeGuestProbe } from '../../../main/doctor/cognito-pool-check';

const profile = {
  issuer: 'https://tenant.eu.auth0.com/',
  clientId: 'client',
  identityPoolId: 'eu-west-1:1234abcd-0000-0000-0000-000000000000',
  region: 'eu-west-1',
  tableName: 'datasets',
};
const context = cognitoContextOf(profile);

// localcloud never lets guests in, so the one answer it cannot give is checked here.
test('a pool that hands an identity to a caller without a sign-in fails: guest access must be off', () => {
  const result = judgeGuestProbe({ identityId: 'eu-west-1:0000ffff-0000-0000-0000-000000000000' }, context);
  expect(result.ok).toBe(false);
  expect(result.detail).toContain('guest access is on');
  expect(result.detail).toContain(`Identity pools > ${profile.identityPoolId} > User access > Guest access: Deactivate`);
});

test('refusing unauthenticated access proves the pool exists with guest access off', () => {
  const error = new NotAuthorizedException({ message: 'Unauthenticated access is not supported for this identity pool.', $metadata: {} });
  expect(judgeGuestProbe({ error }, context)).toEqual({
    name: 'Cognito pool',
    ok: true,
    detail: `${profile.identityPoolId} exists in eu-west-1 (https://cognito-identity.eu-west-1.amazonaws.com); guest access is off`,
  });
});
