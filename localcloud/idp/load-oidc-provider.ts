// oidc-provider prints "Unsupported runtime" when it is first loaded on Node 20, the minimum this
// project supports (it works there). Load it once with that single line held back; every other
// warning still reaches the console.
import type Provider from 'oidc-provider';

const RUNTIME_WARNING = 'oidc-provider WARNING: Unsupported runtime.';

let loading: Promise<typeof Provider> | undefined;

export function loadOidcProvider(): Promise<typeof Provider> {
  loading ??= (async () => {
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].includes(RUNTIME_WARNING)) return;
      warn(...args);
    };
    try {
      return (await import('oidc-provider')).default;
    } finally {
      console.warn = warn;
    }
  })();
  return loading;
}
