import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, query } from '../api/client.ts';

export type KbStatus = 'draft' | 'published' | 'archived';
export type KbArticle = {
  id: string;
  slug: string;
  title: string;
  body: string;
  bodyHtml: string;
  status: KbStatus;
  internal: boolean;
  language: string;
  version: number;
  updatedAt: string;
};
export type KbVersion = { version: number; title: string; body: string; createdAt: string };
export type KbDraft = { title: string; body: string; internal: boolean };

export const useArticles = (status: KbStatus | undefined) =>
  useQuery({
    queryKey: ['kb', 'articles', status ?? 'current'],
    queryFn: ({ signal }) =>
      api<{ data: KbArticle[] }>(`/kb/articles${query({ status, limit: 500 })}`, { signal }).then((r) =>
        status ? r.data : r.data.filter((a) => a.status !== 'archived'),
      ),
  });

export const useArticle = (id: string | undefined) =>
  useQuery({
    queryKey: ['kb', 'article', id],
    enabled: Boolean(id),
    queryFn: ({ signal }) => api<KbArticle>(`/kb/articles/${id}`, { signal }),
  });

export const useVersions = (id: string | undefined, version: number | undefined) =>
  useQuery({
    queryKey: ['kb', 'versions', id, version],
    enabled: Boolean(id),
    queryFn: ({ signal }) => api<{ data: KbVersion[] }>(`/kb/articles/${id}/versions`, { signal }),
  });

/** The server's own rendering (the same Markdown and sanitiser as a saved article), never the browser's. */
export const usePreview = (body: string) =>
  useQuery({
    queryKey: ['kb', 'preview', body],
    queryFn: ({ signal }) => api<{ html: string }>('/kb/preview', { body: { body }, signal }),
    placeholderData: (previous) => previous,
    staleTime: Number.POSITIVE_INFINITY,
  });

/** Every write of the editor: each refreshes the lists, the article and its history. */
export function useArticleWrites(onDone: (article: KbArticle, what: string) => void) {
  const client = useQueryClient();
  const done = (what: string) => (article: KbArticle) => {
    void client.invalidateQueries({ queryKey: ['kb'] });
    client.setQueryData(['kb', 'article', article.id], article);
    onDone(article, what);
  };
  return {
    create: useMutation({
      mutationFn: (draft: KbDraft) => api<KbArticle>('/kb/articles', { body: draft }),
      onSuccess: done('created'),
    }),
    save: useMutation({
      mutationFn: ({ id, draft }: { id: string; draft: KbDraft }) =>
        api<KbArticle>(`/kb/articles/${id}`, { method: 'PATCH', body: draft }),
      onSuccess: done('saved'),
    }),
    status: useMutation({
      mutationFn: ({ id, action }: { id: string; action: 'publish' | 'archive' | 'unpublish' }) =>
        api<KbArticle>(`/kb/articles/${id}/${action}`, { method: 'POST' }),
      onSuccess: (article, { action }) => done(action)(article),
    }),
    restore: useMutation({
      mutationFn: ({ id, version }: { id: string; version: number }) =>
        api<KbArticle>(`/kb/articles/${id}/versions/${version}/restore`, { method: 'POST' }),
      onSuccess: done('restored'),
    }),
  };
}
