// The reply coach's rules are data: a workspace edits these lists; these are the English defaults.
// No Node-only imports: the console bundles this file.

/** A phrase to flag and its plain-language rewrite ('' removes it). */
export type Rewrite = { phrase: string; replacement: string };

export type CoachRules = {
  /** Words and phrases in the customer's last message that show they are upset. */
  upsetPhrases: string[];
  /** Phrases in a reply that acknowledge the customer's feelings. */
  empathyPhrases: string[];
  /** Sentence inserted by the one-click fix when the reply acknowledges nothing. */
  empathyOpener: string;
  jargon: Rewrite[];
  blame: Rewrite[];
  /** Phrases that promise the next step ("I will", "you will receive"). */
  nextStepPhrases: string[];
  /** Phrases that give a time frame ("today", "within"); a number of hours or days counts too. */
  timeFramePhrases: string[];
  /** Sentence inserted by the one-click fix when the reply has no next step or time frame. */
  nextStepSentence: string;
  /** Highest acceptable Flesch–Kincaid grade. */
  maxGrade: number;
  style: {
    /** 'formal' flags casual words, 'casual' flags stiff ones, 'neutral' flags both. */
    formality: 'formal' | 'neutral' | 'casual';
    banned: Rewrite[];
    casualWords: Rewrite[];
    stiffWords: Rewrite[];
  };
  /** Points taken off the 100 score per flag, and at most per rule. */
  penalties: {
    empathy: number;
    jargon: number;
    blame: number;
    nextStep: number;
    readingLevel: number;
    style: number;
    maxPerRule: number;
  };
};

const rewrites = (pairs: [string, string][]): Rewrite[] =>
  pairs.map(([phrase, replacement]) => ({ phrase, replacement }));

export const defaultCoachRules: CoachRules = {
  upsetPhrases: [
    'angry',
    'furious',
    'frustrated',
    'frustrating',
    'annoyed',
    'upset',
    'disappointed',
    'disappointing',
    'unacceptable',
    'ridiculous',
    'terrible',
    'awful',
    'horrible',
    'worst',
    'useless',
    'disgusted',
    'outraged',
    'fed up',
    'sick of',
    'third time',
    'second time',
    'still waiting',
    'still not',
    "still haven't",
    'no one',
    'nobody',
    'waste of time',
    'cancel my',
    'never again',
    'complaint',
    'lawyer',
    'scam',
    'rip off',
    'not happy',
    'very unhappy',
    'unhappy',
  ],
  empathyPhrases: [
    'sorry',
    'apologise',
    'apologize',
    'apologies',
    'i understand',
    'we understand',
    'i can understand',
    'completely understand',
    'i can see why',
    'i can imagine',
    'i hear you',
    'that must be',
    'must have been',
    'frustrating',
    'thank you for your patience',
    'thanks for your patience',
    'appreciate your patience',
    'i realise',
    'i realize',
    'not the experience',
  ],
  empathyOpener: "I'm sorry for the trouble this has caused, and I understand how frustrating it is.",
  jargon: rewrites([
    ['as per our policy', 'normally'],
    ['per our policy', 'normally'],
    ['in accordance with our policy', 'under our rules'],
    ['in accordance with', 'under'],
    ['pursuant to', 'under'],
    ['stipulates', 'says'],
    ['stipulated', 'set out'],
    ['as previously stated', 'as I mentioned'],
    ['as stated previously', 'as I mentioned'],
    ['as previously mentioned', 'as I mentioned'],
    ['please be advised that', ''],
    ['please be advised', ''],
    ['kindly note that', ''],
    ['we regret to inform you that', "I'm sorry to say that"],
    ['at this point in time', 'now'],
    ['at this juncture', 'now'],
    ['prior to', 'before'],
    ['in the event that', 'if'],
    ['due to the fact that', 'because'],
    ['with regard to', 'about'],
    ['with regards to', 'about'],
    ['at your earliest convenience', 'when you can'],
    ['do not hesitate to', 'feel free to'],
    ['the aforementioned', 'this'],
    ['herein', 'here'],
    ['utilise', 'use'],
    ['utilize', 'use'],
    ['commence', 'start'],
    ['facilitate', 'help with'],
    ['actioned', 'handled'],
    ['rma', 'return number'],
  ]),
  blame: rewrites([
    ["it's not our fault", "I'm sorry"],
    ['it is not our fault', "I'm sorry"],
    ['not our fault', 'something we want to fix'],
    ['that is not my job', 'let me find the right person for this'],
    ["that's not my job", 'let me find the right person for this'],
    ['not my department', 'something I will pass to the right team'],
    ['you should have', 'next time, you can'],
    ['you failed to', 'it looks like we did not receive'],
    ['you did not read', 'it may not have been clear'],
    ["you didn't read", 'it may not have been clear'],
    ['as you were told', 'as mentioned'],
    ['there is nothing we can do', 'here is what we can do'],
    ["there's nothing we can do", 'here is what we can do'],
    ['we are not responsible for', 'I will look into'],
    ['your mistake', 'the mix-up'],
    ['user error', 'a mix-up'],
    ['calm down', ''],
  ]),
  nextStepPhrases: [
    'i will',
    "i'll",
    'we will',
    "we'll",
    'i am going to',
    "i'm going to",
    'next step',
    'you will receive',
    "you'll receive",
    'you will get',
    "you'll get",
    'you should receive',
    'expect',
    'please reply',
    'please send',
    'please let me know',
    'let me know',
    'i have sent',
    "i've sent",
    'i have issued',
    "i've issued",
    'i have arranged',
    "i've arranged",
  ],
  timeFramePhrases: [
    'today',
    'tonight',
    'tomorrow',
    'within',
    'by the end of',
    'this week',
    'next week',
    'this afternoon',
    'this morning',
    'shortly',
    'monday',
    'tuesday',
    'wednesday',
    'thursday',
    'friday',
    'saturday',
    'sunday',
  ],
  nextStepSentence: 'I will update you within one business day.',
  maxGrade: 9,
  style: {
    formality: 'neutral',
    banned: rewrites([
      ['obviously', ''],
      ['simply', ''],
      ['no worries', 'happy to help'],
      ['dear customer', 'hi'],
      ['to whom it may concern', 'hi'],
    ]),
    casualWords: rewrites([
      ['hey', 'hi'],
      ['gonna', 'going to'],
      ['wanna', 'want to'],
      ['gotta', 'have to'],
      ['yeah', 'yes'],
      ['yep', 'yes'],
      ['nope', 'no'],
      ['thx', 'thanks'],
      ['pls', 'please'],
      ['lol', ''],
    ]),
    stiffWords: rewrites([
      ['dear sir or madam', 'hi'],
      ['dear sir/madam', 'hi'],
      ['hereby', ''],
      ['henceforth', 'from now on'],
      ['herewith', ''],
      ['kindly', 'please'],
      ['whilst', 'while'],
    ]),
  },
  penalties: { empathy: 25, jargon: 8, blame: 20, nextStep: 15, readingLevel: 15, style: 5, maxPerRule: 30 },
};
