/** Strings of live chat on the ticket page. */
export const chatStrings = {
  'chat.title': 'Live chat',
  'chat.online': 'Visitor online',
  'chat.offline': 'Visitor offline',
  'chat.lastSeen': 'Last seen {when}',
  'chat.page': 'On page',
  'chat.typing': 'Visitor is typing…',
  'chat.seen': 'Visitor has read up to message {seq} of {total}',
  'chat.offlineHint': 'Replies go out by email if the visitor left an address.',
} as const;
