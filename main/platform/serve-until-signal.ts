// For the command-line servers (localcloud, the browser host): stop cleanly on SIGINT/SIGTERM, and
// also when re-parented — whatever started us went away without a signal (a closed terminal, a
// killed wrapper) — so nothing we started (DynamoDB Local, ports) outlives its owner.
export function serveUntilSignal(stop: () => Promise<void>, onStopFailed: (error: unknown) => void): void {
  let stopping = false;
  const stopOnce = () => {
    if (stopping) return;
    stopping = true;
    stop().then(() => process.exit(0), onStopFailed);
  };
  process.on('SIGINT', stopOnce);
  process.on('SIGTERM', stopOnce);
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && stopOnce(), 1000).unref();
}
