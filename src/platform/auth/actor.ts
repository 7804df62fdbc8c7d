export const roles = ['light', 'agent', 'admin'] as const;
export type Role = (typeof roles)[number];

/** Who is acting, in which workspace: every service takes one. */
export type Actor = {
  userId: string;
  workspaceId: string;
  role: Role;
};

export const roleAtLeast = (role: Role, needed: Role) => roles.indexOf(role) >= roles.indexOf(needed);

/** Work done by the product itself (a channel, an automation) rather than a signed-in person. */
export type SystemActor = { userId: null; workspaceId: string; role: 'system' };
export type AnyActor = Actor | SystemActor;
export const systemActor = (workspaceId: string): SystemActor => ({
  userId: null,
  workspaceId,
  role: 'system',
});
