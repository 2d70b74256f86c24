// DynamoDB Local 2.x is built for Java 17; an older or absent `java` fails with a stack trace
// nobody should have to read, so we ask `java -version` first and say what to install.
import { execFile } from 'node:child_process';
import { LocalCloudError } from '../local-cloud-error';

export const MINIMUM_JAVA_MAJOR = 17;

const JAVA_MISSING_MESSAGE =
  'DynamoDB Local needs Java 17 or newer: install it (Debian/Ubuntu: apt-get install openjdk-17-jre-headless; macOS: brew install openjdk@17; Windows: winget install Microsoft.OpenJDK.17) and make sure `java` is on PATH.';

/** The major version in `java -version` output: `"17.0.15"` is 17, the old `"1.8.0_392"` is 8. */
export function javaMajorVersion(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (match === null) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

export function assertJavaAvailable(javaPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(javaPath, ['-version'], { timeout: 30_000, windowsHide: true }, (error, stdout, stderr) => {
      // A string code (ENOENT, EACCES) means the program could not be run at all.
      const notRunnable = typeof (error as NodeJS.ErrnoException | null)?.code === 'string';
      const major = notRunnable ? undefined : javaMajorVersion(`${stdout}${stderr}`);
      if (major === undefined || major < MINIMUM_JAVA_MAJOR) reject(new LocalCloudError('JAVA_MISSING', JAVA_MISSING_MESSAGE));
      else resolve();
    });
  });
}
