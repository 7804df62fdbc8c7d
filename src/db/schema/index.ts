export * from './customers.ts';
export * from './fields.ts';
export * from './platform.ts';
export * from './teams.ts';
export * from './tickets.ts';
export * from './users.ts';
export * from './webhooks.ts';
export * from './workspaces.ts';
