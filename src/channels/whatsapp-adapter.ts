import { z } from 'zod';
import type { OpenAccount, SendingAccount } from './account-service.ts';
import { multipartBody, platformJson, platformRequest } from './channel-http.ts';
import type { DeliveryState, InboundFile, MessagingAdapter, Parsed, Reach } from './messaging-types.ts';

const media = z.object({
  id: z.string(),
  mime_type: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
});
const message = z.looseObject({
  from: z.string(),
  id: z.string(),
  type: z.string(),
  text: z.object({ body: z.string() }).optional(),
  image: media.optional(),
  document: media.optional(),
  audio: media.optional(),
  video: media.optional(),
  sticker: media.optional(),
});
const status = z.looseObject({
  id: z.string(),
  status: z.string(),
  errors: z.array(z.looseObject({ title: z.string().optional(), message: z.string().optional() })).optional(),
});

/** The Cloud API's webhook body (object whatsapp_business_account, entry[].changes[].value). */
export const whatsappWebhook = z.looseObject({
  object: z.string(),
  entry: z.array(
    z.looseObject({
      changes: z.array(
        z.looseObject({
          field: z.string(),
          value: z.looseObject({
            metadata: z.looseObject({ phone_number_id: z.string() }).optional(),
            contacts: z
              .array(z.looseObject({ wa_id: z.string(), profile: z.object({ name: z.string() }).optional() }))
              .optional(),
            messages: z.array(message).optional(),
            statuses: z.array(status).optional(),
          }),
        }),
      ),
    }),
  ),
});

const apiRoot = (account: SendingAccount) =>
  `${account.settings.apiBase!.replace(/\/$/, '')}/${account.settings.apiVersion ?? 'v21.0'}`;

function mediaFile(
  account: OpenAccount,
  reach: Reach,
  kind: string,
  item: z.infer<typeof media>,
): InboundFile {
  const extension = item.mime_type?.split('/')[1]?.split(';')[0] ?? 'bin';
  return {
    name: item.filename ?? `${kind}-${item.id}.${extension}`,
    contentType: item.mime_type ?? 'application/octet-stream',
    // Two steps, as documented: the media id gives a short-lived URL, which is fetched with the token.
    async fetch() {
      const headers = { authorization: `Bearer ${account.token}` };
      const info = await platformJson<{ url: string }>(`${apiRoot(account)}/${encodeURIComponent(item.id)}`, {
        ...reach,
        headers,
      });
      const file = await platformRequest(info.url, { ...reach, headers, maxBytes: 25 * 1024 * 1024 });
      if (file.status !== 200) throw new Error(`HTTP ${file.status} fetching the media`);
      return file.body;
    },
  };
}

const states = new Set<DeliveryState>(['sent', 'delivered', 'read', 'failed']);

/** Messages (text and media) and delivery statuses for this account's phone number. */
export function parseWhatsapp(
  account: OpenAccount,
  body: z.infer<typeof whatsappWebhook>,
  reach: Reach,
): Parsed {
  const parsed: Parsed = { messages: [], statuses: [] };
  for (const entry of body.entry)
    for (const change of entry.changes) {
      const value = change.value;
      if (change.field !== 'messages' || value.metadata?.phone_number_id !== account.settings.phoneNumberId)
        continue;
      for (const item of value.messages ?? []) {
        const contact = value.contacts?.find((c) => c.wa_id === item.from);
        const files: InboundFile[] = [];
        let caption = '';
        for (const kind of ['image', 'document', 'audio', 'video', 'sticker'] as const) {
          const found = item[kind];
          if (!found) continue;
          files.push(mediaFile(account, reach, kind, found));
          caption ||= found.caption ?? '';
        }
        const text = item.text?.body ?? caption;
        if (!text && files.length === 0) continue;
        parsed.messages.push({
          threadId: item.from,
          externalId: item.id,
          customer: { phone: `+${item.from.replace(/^\+/, '')}`, name: contact?.profile?.name },
          text,
          files,
        });
      }
      for (const item of value.statuses ?? [])
        if (states.has(item.status as DeliveryState))
          parsed.statuses.push({
            externalId: item.id,
            status: item.status as DeliveryState,
            error: item.errors?.map((e) => e.title ?? e.message).join('; ') || undefined,
          });
    }
  return parsed;
}

/** WhatsApp's media types by MIME type: anything else goes as a document, which keeps its file name. */
function mediaType(contentType: string): 'image' | 'video' | 'audio' | 'document' {
  if (/^image\/(jpeg|png)$/.test(contentType)) return 'image';
  if (/^video\/(mp4|3gpp)$/.test(contentType)) return 'video';
  if (/^audio\//.test(contentType)) return 'audio';
  return 'document';
}

export const whatsappAdapter: MessagingAdapter = {
  kind: 'whatsapp',
  async send(account, message, reach) {
    const phoneRoot = `${apiRoot(account)}/${encodeURIComponent(account.settings.phoneNumberId!)}`;
    const authorization = `Bearer ${account.token}`;
    const post = async (payload: Record<string, unknown>) => {
      const answer = await platformJson<{ messages?: { id: string }[] }>(`${phoneRoot}/messages`, {
        ...reach,
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify({
          messaging_product: 'whatsapp',
          recipient_type: 'individual',
          to: message.threadId,
          ...payload,
        }),
      });
      return answer.messages?.[0]?.id ?? null;
    };
    const ids: (string | null)[] = [];
    if (message.text.trim() || message.files.length === 0)
      ids.push(await post({ type: 'text', text: { preview_url: false, body: message.text } }));
    for (const file of message.files) {
      // As documented: upload to the number's /media, then send a message naming the media id.
      const upload = multipartBody(
        { messaging_product: 'whatsapp', type: file.contentType },
        { field: 'file', name: file.name, contentType: file.contentType, bytes: file.bytes },
      );
      const uploaded = await platformJson<{ id?: string }>(`${phoneRoot}/media`, {
        ...reach,
        headers: { authorization, 'content-type': upload.contentType },
        body: upload.body,
      });
      if (!uploaded.id) throw new Error('The media upload gave no id');
      const type = mediaType(file.contentType);
      ids.push(
        await post({
          type,
          [type]: type === 'document' ? { id: uploaded.id, filename: file.name } : { id: uploaded.id },
        }),
      );
    }
    return { externalId: ids[0] ?? null };
  },
};
