// The contract between the sync engine and the push hints' transport (docs/sync-protocol.md "Push
// hints"): one identity's channel on the AppSync Events API, subscribed while signed in and online.
// A hint is only a hint: DynamoDB stays the truth, so a lost, late or repeated message costs at most
// the catch-up Query that follows every (re)subscribe, or a poll.
import type { AwsCredentialProvider } from '../cognito-credentials';
import type { Logger } from '../../platform/log';

/**
 * - `connecting`: opening the socket or subscribing (the first time, or after it dropped);
 * - `subscribed`: hints arrive; the engine syncs once at this moment to catch up on what it missed;
 * - `down`: the socket closed, was refused, or keep-alives stopped; a reconnect is scheduled
 *   (jittered backoff) and the engine polls on its fallback timer meanwhile;
 * - `stopped`: after stop(); nothing more is sent.
 */
export type PushState = 'connecting' | 'subscribed' | 'down' | 'stopped';

export interface PushChannelOptions {
  /** The Events API's realtime endpoint, e.g. wss://abc.appsync-realtime-api.us-east-1.amazonaws.com/event/realtime. */
  realtimeEndpoint: string;
  /** The Events API's HTTP endpoint, e.g. https://abc.appsync-api.us-east-1.amazonaws.com/event (its host is what gets signed). */
  httpEndpoint: string;
  region: string;
  /** The channel path, e.g. /sync/<uuid> (syncChannelOf). */
  channel: string;
  /** The identity's current credentials; asked again for every connect, subscribe and publish (they rotate hourly). */
  credentials: AwsCredentialProvider;
  /** Each event received on the channel, as the JSON text it was published as (validated by the receiver). */
  onEvent(event: string): void;
  onState(state: PushState, detail?: { code?: string; message?: string }): void;
  log?: Logger;
  /** Reconnect delays: first, cap (full jitter between). Defaults 1 s and 60 s. */
  backoff?: { firstMs?: number; maxMs?: number };
  now?: () => number;
}

export interface PushChannel {
  /** Connects and subscribes; keeps doing so after every drop until stop(). */
  start(): void;
  /** Publishes one event (JSON text) on the channel: over the socket when subscribed, else by HTTP POST. Rejects on failure. */
  publish(event: string): Promise<void>;
  /** The state now. */
  state(): PushState;
  /** Closes the socket (unsubscribing first when it can) and cancels any reconnect. */
  stop(): Promise<void>;
}
