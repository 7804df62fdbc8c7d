/** The shapes of /api/v1/survey-campaigns and its statistics, as the console reads them. */
export type SurveyCampaign = {
  id: string;
  name: string;
  kind: 'nps' | 'ces';
  segment: { tags?: string[]; companyIds?: string[] };
  everyDays: number;
  suppressionDays: number;
  nextRunAt: string;
  active: boolean;
  createdAt: string;
};

export type SurveyCampaignInput = {
  name: string;
  kind: 'nps' | 'ces';
  segment: { tags?: string[] };
  everyDays: number;
  suppressionDays: number;
  startAt?: string;
  active: boolean;
};

// The server's own type: the console reads exactly what GET /survey-campaigns/stats returns.
export type { CampaignStats } from '../../../src/feedback/campaign-stats.ts';

/** Campaigns and their statistics share the prefix, so one invalidation refreshes both. */
export const surveyCampaignsKey = ['survey-campaigns'] as const;
export const campaignStatsKey = ['survey-campaigns', 'stats'] as const;
