/** A proactive campaign as /api/v1/outreach/campaigns answers it. */
export type OutreachCampaign = {
  id: string;
  name: string;
  eventType: string;
  channel: 'email' | 'chat';
  segment: { tags?: string[]; tiers?: string[] };
  subject: string;
  body: string;
  active: boolean;
  holdoutPercent: number;
  throttleHours: number;
  quietStart: string;
  quietEnd: string;
  createdAt: string;
};

export type OutreachInput = Omit<OutreachCampaign, 'id' | 'createdAt'>;

/** `rate` is over `settled` customers only (their 7 days are over): null while none are. */
export type OutcomeGroup = { customers: number; settled: number; openedTicket: number; rate: number | null };

export type OutreachStats = {
  campaignId: string;
  sent: number;
  heldOut: number;
  skipped: Record<string, number>;
  contacted: OutcomeGroup;
  holdout: OutcomeGroup;
  difference: number | null;
  couponsLeft: number;
};

export const campaignsKey = ['outreach', 'campaigns'] as const;
