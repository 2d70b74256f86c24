import { expect, test } from 'vitest';
import { AppError, appErrorViewSchema, toAppErrorView } from '../../shared/errors';

test('an AppError crosses a boundary as {code, message} only, never with its cause', () => {
  const error = new AppError('SESSION_EXPIRED', 'Your session has ended. Sign in again.', { cause: new Error('refresh_token=secret-value') });
  const wire = JSON.parse(JSON.stringify(error)) as unknown;
  expect(wire).toEqual({ code: 'SESSION_EXPIRED', message: 'Your session has ended. Sign in again.' });
  expect(appErrorViewSchema.parse(wire)).toEqual(wire);
});

test('an unexpected error becomes INTERNAL with a sentence, hiding its text', () => {
  const view = toAppErrorView(new TypeError('Cannot read properties of undefined (token eyJabc)'));
  expect(view.code).toBe('INTERNAL');
  expect(view.message).not.toContain('eyJ');
  expect(toAppErrorView(new AppError('OFFLINE', 'You are offline.'))).toEqual({ code: 'OFFLINE', message: 'You are offline.' });
});

test('the view schema refuses a code that is not in the list', () => {
  expect(appErrorViewSchema.safeParse({ code: 'NOT_A_CODE', message: 'x' }).success).toBe(false);
});
