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
/** Rules acting on a ticket (triggers, follow-ups, recurring tickets): they may reply and note, recorded with no user. */
export type AutomationActor = { userId: null; workspaceId: string; role: 'automation' };
export type AnyActor = Actor | SystemActor | AutomationActor;
export const automationActor = (workspaceId: string): AutomationActor => ({
  userId: null,
  workspaceId,
  role: 'automation',
});
export const systemActor = (workspaceId: string): SystemActor => ({
  userId: null,
  workspaceId,
  role: 'system',
});
