/** Strings of the ticket page. */
export const ticketStrings = {
  'ticket.title': 'Ticket #{number}',
} as const;
