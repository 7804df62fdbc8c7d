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

export type CampaignStats = {
  campaignId: string;
  kind: 'nps' | 'ces';
  sent: number;
  suppressed: number;
  answered: number;
  responseRate: number | null;
  nps: { promoters: number; passives: number; detractors: number; score: number | null } | null;
  ces: { mean: number | null } | null;
};

/** Campaigns and their statistics share the prefix, so one invalidation refreshes both. */
export const surveyCampaignsKey = ['survey-campaigns'] as const;
export const campaignStatsKey = ['survey-campaigns', 'stats'] as const;
