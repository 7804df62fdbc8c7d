import { z } from 'zod';
import type { OpenAccount, SendingAccount } from './account-service.ts';
import { multipartBody, platformJson, platformRequest } from './channel-http.ts';
import type { InboundFile, MessagingAdapter, Parsed, Reach } from './messaging-types.ts';

const photoSize = z.looseObject({
  file_id: z.string(),
  width: z.number(),
  height: z.number(),
  file_size: z.number().optional(),
});

/** A Bot API Update; only `message` is taken in (edits, channel posts and callbacks are acknowledged). */
export const telegramUpdate = z.looseObject({
  update_id: z.number(),
  message: z
    .looseObject({
      message_id: z.number(),
      chat: z.looseObject({ id: z.number() }),
      from: z
        .looseObject({
          id: z.number(),
          first_name: z.string().optional(),
          last_name: z.string().optional(),
          username: z.string().optional(),
        })
        .optional(),
      text: z.string().optional(),
      caption: z.string().optional(),
      photo: z.array(photoSize).optional(),
      document: z
        .looseObject({
          file_id: z.string(),
          file_name: z.string().optional(),
          mime_type: z.string().optional(),
        })
        .optional(),
    })
    .optional(),
});

const botRoot = (account: SendingAccount) =>
  `${account.settings.apiBase!.replace(/\/$/, '')}/bot${account.token}`;

function telegramFile(
  account: OpenAccount,
  reach: Reach,
  fileId: string,
  name: string,
  contentType: string,
): InboundFile {
  return {
    name,
    contentType,
    // getFile names a path, downloadable from /file/bot<token>/<file_path>.
    async fetch() {
      const answer = await platformJson<{ ok: boolean; result?: { file_path?: string } }>(
        `${botRoot(account)}/getFile?file_id=${encodeURIComponent(fileId)}`,
        reach,
      );
      const path = answer.result?.file_path;
      if (!answer.ok || !path) throw new Error('getFile gave no file_path');
      const base = account.settings.apiBase!.replace(/\/$/, '');
      const file = await platformRequest(`${base}/file/bot${account.token}/${path}`, {
        ...reach,
        maxBytes: 20 * 1024 * 1024,
      });
      if (file.status !== 200) throw new Error(`HTTP ${file.status} fetching the file`);
      return file.body;
    },
  };
}

export function parseTelegram(
  account: OpenAccount,
  update: z.infer<typeof telegramUpdate>,
  reach: Reach,
): Parsed {
  const message = update.message;
  if (!message) return { messages: [], statuses: [] };
  const files: InboundFile[] = [];
  // Telegram sends each photo in several sizes: the largest is the photo.
  const photo = [...(message.photo ?? [])].sort((a, b) => b.width * b.height - a.width * a.height)[0];
  if (photo)
    files.push(telegramFile(account, reach, photo.file_id, `photo-${message.message_id}.jpg`, 'image/jpeg'));
  if (message.document)
    files.push(
      telegramFile(
        account,
        reach,
        message.document.file_id,
        message.document.file_name ?? `document-${message.message_id}`,
        message.document.mime_type ?? 'application/octet-stream',
      ),
    );
  const text = message.text ?? message.caption ?? '';
  if (!text && files.length === 0) return { messages: [], statuses: [] };
  const from = message.from;
  const name = [from?.first_name, from?.last_name].filter(Boolean).join(' ') || from?.username;
  return {
    messages: [
      {
        threadId: String(message.chat.id),
        // Message ids count per chat.
        externalId: `${message.chat.id}:${message.message_id}`,
        customer: { externalId: `telegram:${from?.id ?? message.chat.id}`, name },
        text,
        files,
      },
    ],
    statuses: [],
  };
}

type Sent = { ok: boolean; result?: { message_id: number }; description?: string };

export const telegramAdapter: MessagingAdapter = {
  kind: 'telegram',
  async send(account, message, reach) {
    const sent = (answer: Sent, method: string) => {
      if (!answer.ok || !answer.result) throw new Error(answer.description ?? `${method} failed`);
      return `${message.threadId}:${answer.result.message_id}`;
    };
    const ids: string[] = [];
    if (message.text.trim() || message.files.length === 0) {
      const answer = await platformJson<Sent>(`${botRoot(account)}/sendMessage`, {
        ...reach,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ chat_id: message.threadId, text: message.text }),
      });
      ids.push(sent(answer, 'sendMessage'));
    }
    for (const file of message.files) {
      // Photos are shown inline (Telegram recompresses them); anything else keeps its bytes as a document.
      const photo = /^image\/(jpeg|png)$/.test(file.contentType) && file.bytes.length <= 10 * 1024 * 1024;
      const method = photo ? 'sendPhoto' : 'sendDocument';
      const upload = multipartBody(
        { chat_id: message.threadId },
        { field: photo ? 'photo' : 'document', ...file },
      );
      const answer = await platformJson<Sent>(`${botRoot(account)}/${method}`, {
        ...reach,
        headers: { 'content-type': upload.contentType },
        body: upload.body,
      });
      ids.push(sent(answer, method));
    }
    return { externalId: ids[0] ?? null };
  },
};
