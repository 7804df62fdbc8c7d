/** Strings of the admin pages. */
export const adminStrings = {
  'admin.title': 'Admin',
} as const;
