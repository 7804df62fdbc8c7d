/** An export read into one shape, whichever product wrote it; ids are the source product's. */
export type ImportBundle = {
  organisations: { sourceId: string; name: string; domain?: string | undefined }[];
  customers: {
    sourceId: string;
    name: string;
    email?: string | undefined;
    phone?: string | undefined;
    organisationId?: string | undefined;
    tags: string[];
  }[];
  tickets: ImportTicket[];
};

export type ImportMessage = {
  sourceId: string;
  author: 'customer' | 'agent';
  isPublic: boolean;
  body: string;
  html?: string | undefined;
  createdAt?: string | undefined;
};

export type ImportTicket = {
  sourceId: string;
  subject: string;
  status: 'new' | 'open' | 'pending' | 'on_hold' | 'solved' | 'closed';
  priority: 'low' | 'normal' | 'high' | 'urgent';
  tags: string[];
  customerId: string;
  createdAt?: string | undefined;
  messages: ImportMessage[];
};

export const importSourcesList = ['zendesk', 'freshdesk', 'helpscout', 'csv'] as const;
export type ImportSource = (typeof importSourcesList)[number];
