// Check 12: push hints (docs/sync-protocol.md "Push hints"). With the signed-in user's own
// credentials: connect to the profile's AppSync Events API and subscribe to the user's own channel
// (must succeed), then to another identity's channel and to the wildcard /sync/* (both must be
// refused by the namespace's handlers). A handler that lets the second or third through would tell
// every user when anyone else's data changes — the team should hear that from the doctor, not
// from its users. A profile without the Events API is skipped: the app polls, as it always did.
import { randomUUID } from 'node:crypto';
import type { CloudProfile } from '../../shared/cloud-profile';
import { SYNC_NAMESPACE, syncChannelOf } from '../../shared/sync-channel';
import type { AwsCredentials } from '../aws/cognito-credentials';
import { createPushChannel } from '../aws/push/events-socket';
import type { PushState } from '../aws/push/push-channel';
import { CHECK, failed, passed, skipped, type CheckResult, type SkippedCheck } from './check-result';

export const NO_EVENTS_API = 'the profile names no Events API (eventsHttpEndpoint, eventsRealtimeEndpoint): the app polls every 15 s';

/** How one subscribe ended: subscribed, or down with the channel's code (UNAUTHORIZED when refused). */
type Outcome = { state: 'subscribed' } | { state: 'down'; code: string; message: string } | { state: 'timeout' };

/** Subscribes once to `channel` and stops at the first answer: no reconnect, nothing left open. */
async function subscribeOnce(profile: Required<Pick<CloudProfile, 'eventsHttpEndpoint' | 'eventsRealtimeEndpoint'>> & CloudProfile, credentials: AwsCredentials, channel: string, timeoutMs: number): Promise<Outcome> {
  let settle: (outcome: Outcome) => void = () => undefined;
  const settled = new Promise<Outcome>((resolve) => (settle = resolve));
  const push = createPushChannel({
    realtimeEndpoint: profile.eventsRealtimeEndpoint,
    httpEndpoint: profile.eventsHttpEndpoint,
    region: profile.region,
    channel,
    credentials: async () => credentials,
    onEvent: () => undefined,
    onState(state: PushState, detail) {
      if (state === 'subscribed') settle({ state });
      else if (state === 'down') settle({ state, code: detail?.code ?? 'CONNECTION_FAILED', message: detail?.message ?? '' });
    },
  });
  const timer = setTimeout(() => settle({ state: 'timeout' }), timeoutMs);
  push.start();
  try {
    return await settled;
  } finally {
    clearTimeout(timer);
    await push.stop();
  }
}

function describe(outcome: Outcome): string {
  if (outcome.state === 'subscribed') return 'subscribed';
  if (outcome.state === 'timeout') return 'no answer in time';
  return `${outcome.code}${outcome.message === '' ? '' : ` (${outcome.message})`}`;
}

export async function checkPush(profile: CloudProfile, credentials: AwsCredentials, options: { timeoutMs?: number } = {}): Promise<CheckResult | SkippedCheck> {
  const { eventsHttpEndpoint, eventsRealtimeEndpoint } = profile;
  if (eventsHttpEndpoint === undefined || eventsRealtimeEndpoint === undefined) return skipped(CHECK.push, NO_EVENTS_API);
  const withEvents = { ...profile, eventsHttpEndpoint, eventsRealtimeEndpoint };
  const timeoutMs = options.timeoutMs ?? 10_000;
  const own = syncChannelOf(credentials.identityId);

  const mine = await subscribeOnce(withEvents, credentials, own, timeoutMs);
  if (mine.state !== 'subscribed') {
    const why =
      mine.state === 'down' && mine.code === 'UNAUTHORIZED'
        ? `Give the authenticated role appsync:EventConnect on the API and appsync:EventSubscribe/EventPublish on its ${SYNC_NAMESPACE} namespace, with the namespace's handlers from infra/appsync/sync-channel-handlers.js, as infra/template.yaml does.`
        : `Check eventsRealtimeEndpoint and eventsHttpEndpoint against the stack's outputs (infra/README.md); until then the app polls every 15 s.`;
    return failed(CHECK.push, `subscribing to the user's own channel ${own} at ${eventsRealtimeEndpoint} ended in ${describe(mine)}. ${why}`);
  }

  // An identity ID of the pool's region that is certainly not the caller's, and the wildcard.
  const strangers = [syncChannelOf(`${profile.region}:${randomUUID()}`), `/${SYNC_NAMESPACE}/*`];
  for (const channel of strangers) {
    const outcome = await subscribeOnce(withEvents, credentials, channel, timeoutMs);
    if (outcome.state === 'down' && outcome.code === 'UNAUTHORIZED') continue;
    if (outcome.state === 'subscribed') {
      return failed(
        CHECK.push,
        `identity ${credentials.identityId} could subscribe to ${channel}: every signed-in user would hear when anyone's data changes. Give the ${SYNC_NAMESPACE} namespace the onSubscribe/onPublish handlers of infra/appsync/sync-channel-handlers.js, as infra/template.yaml does.`,
      );
    }
    return failed(CHECK.push, `subscribing to ${channel} ended in ${describe(outcome)} instead of a refusal, so the doctor cannot tell whether users are kept apart. Run the doctor again; if it repeats, check the namespace's handlers against infra/template.yaml.`);
  }
  return passed(CHECK.push, `subscribed to ${own}; another identity's channel and ${strangers[1]} are refused: changes reach this user's devices within a second`);
}
