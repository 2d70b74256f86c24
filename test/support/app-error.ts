import { expect } from 'vitest';
import { AppError } from '../../shared/errors';

/** The AppError a promise rejects with (failing the test if it resolves or throws anything else). */
export async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** The AppError a synchronous call throws (failing the test if it returns or throws anything else). */
export function thrown(act: () => unknown): AppError {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('it did not throw');
}
