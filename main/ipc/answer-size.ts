// Every answer a transport sends is bounded in bytes. The handlers bound what they read (pages end
// early on bytes), so this is the last guard: an answer that cannot be encoded or weighs more than
// ANSWER_MAX_BYTES as JSON goes out as a typed ANSWER_TOO_LARGE instead — never as a thrown
// RangeError in a transport, never as hundreds of MB in one message.
import { ANSWER_MAX_BYTES, type AppErrorView, type CommandName, type CommandResult } from '../../shared/ipc-contract';

export const TOO_LARGE: AppErrorView = {
  code: 'ANSWER_TOO_LARGE',
  message: 'The answer to this request was too large to send. Ask for less at a time (a smaller page), or restart the app if it keeps happening.',
};

/** The JSON text of `message`, or undefined when it cannot be encoded or is over `maxBytes`. */
export function encodeBounded(message: unknown, maxBytes = ANSWER_MAX_BYTES): string | undefined {
  let text: string;
  try {
    text = JSON.stringify(message);
  } catch {
    // RangeError (longer than a string can be), a cycle, a BigInt: nothing a page could read.
    return undefined;
  }
  // JSON is at most 3 bytes per UTF-16 unit: a short text is under the bound without counting.
  if (text.length * 3 > maxBytes && Buffer.byteLength(text, 'utf8') > maxBytes) return undefined;
  return text;
}

/** The WebSocket frame answering request `id`: the result, or ANSWER_TOO_LARGE in its place. */
export function encodeAnswer(id: number, result: CommandResult<CommandName>, maxBytes = ANSWER_MAX_BYTES): string {
  return encodeBounded({ id, result }, maxBytes) ?? JSON.stringify({ id, result: { ok: false, error: TOO_LARGE } });
}

/** For a transport without a JSON step (Electron's structured clone): the same bound, the same refusal. */
export function boundedResult(result: CommandResult<CommandName>, maxBytes = ANSWER_MAX_BYTES): CommandResult<CommandName> {
  return encodeBounded(result, maxBytes) === undefined ? { ok: false, error: TOO_LARGE } : result;
}
