/** How a person learns whom to sign in as on the local cloud (its users exist only on this machine). */
export function demoUsersLine(users: { username: string; password: string }[]): string {
  return `Local cloud: sign in as ${users.map((user) => `${user.username} (password ${user.password})`).join(' or ')}.`;
}

/** Said by a second development command (another device) that joins the local cloud a first one runs. */
export function sharedCloudLine(ownerPid: number): string {
  return `Local cloud: already running (started by pid ${ownerPid}); this app uses it too, as another device.`;
}
