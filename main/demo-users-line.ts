/** How a person learns whom to sign in as on the local cloud (its users exist only on this machine). */
export function demoUsersLine(users: { username: string; password: string }[]): string {
  return `Local cloud: sign in as ${users.map((user) => `${user.username} (password ${user.password})`).join(' or ')}.`;
}
