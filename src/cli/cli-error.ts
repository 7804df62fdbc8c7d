/** A mistake the user can fix: printed as one line, exit code 1, no stack. */
export class CliError extends Error {}
