// Reads a `--cloud FILE` cloud profile, refusing a malformed one with a sentence saying what to fix.
import { readFileSync } from 'node:fs';
import { cloudProfileSchema, type CloudProfile } from '../../shared/cloud-profile';
import { AppError } from '../../shared/errors';

export function readCloudProfileFile(file: string): CloudProfile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new AppError('CLOUD_PROFILE_INVALID', `Cannot read the cloud profile ${file} (${(error as NodeJS.ErrnoException).code}). Check the path.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('CLOUD_PROFILE_INVALID', `The cloud profile ${file} is not JSON. It should look like the line npm run localcloud prints.`);
  }
  const parsed = cloudProfileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`).join('; ');
    throw new AppError('CLOUD_PROFILE_INVALID', `The cloud profile ${file} is not usable: ${problems}.`);
  }
  return parsed.data;
}
