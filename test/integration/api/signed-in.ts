// A signed-in account over HTTP for the tests of /api/auth/* records: registers, logs in, reads its id.
export type Account = { id: number; token: string; headers: Record<string, string> };

export async function account(url: string, email: string, password = "a-long-password"): Promise<Account> {
  const post = (path: string) =>
    fetch(`${url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password }),
    });
  await post("/api/auth/register");
  const login = await post("/api/auth/login");
  if (login.status !== 200) throw new Error(`login ${email}: ${login.status} ${await login.text()}`);
  const { token, user } = (await login.json()) as { token: string; user: { id: number } };
  return { id: user.id, token, headers: { authorization: `Bearer ${token}` } };
}
