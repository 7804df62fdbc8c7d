// Built-in scenarios about accounts, billing, plans and difficult conversations.
import { fact, type ScenarioInput } from './scenario-schema.ts';

export const serviceScenarios: ScenarioInput[] = [
  {
    key: 'billing-confusion',
    title: 'Charged twice?',
    category: 'billing',
    difficulty: 'medium',
    persona: { name: 'Tom Becker', mood: 4, patience: 3, style: 'confused' },
    situation: 'The customer sees two charges: one is a card authorisation hold that drops off on its own.',
    opening: 'I think I was charged twice this month? I see two payments on my card.',
    facts: [
      fact(
        'amounts',
        ['amount', 'how much', 'both'],
        'Both are $29',
        'Both are $29.',
        'What amounts do you see?',
      ),
      fact(
        'pending',
        ['pending', 'posted', 'status'],
        'One of them says pending',
        'One of them says pending, now that I look.',
        'Does one of them show as pending?',
      ),
    ],
    solutions: [
      {
        id: 'hold',
        keywords: ['hold', 'authorisation', 'authorization', 'drop off', 'disappear'],
        needs: ['pending'],
      },
    ],
    kb: [{ query: 'charged twice pending authorisation', claims: ['7 days'] }],
    success: {
      facts: ['pending'],
      empathy: false,
      minMood: 4,
      example:
        'The pending $29 is a temporary hold, not a second charge. It will disappear within 7 days, and I will check on Friday that it has.',
    },
  },
  {
    key: 'angry-repeat-caller',
    title: 'Third time calling',
    category: 'escalation',
    difficulty: 'hard',
    persona: { name: 'Greg Walsh', mood: 1, patience: 1, style: 'angry' },
    situation: 'A customer has contacted support three times about an internet outage; nobody followed up.',
    opening:
      'This is the THIRD time I am contacting you. My internet is STILL down and nobody called back. Unacceptable!!',
    facts: [
      fact(
        'since',
        ['since when', 'how long', 'when did'],
        'Down since Monday',
        'Since Monday morning!',
        'Since when has it been down?',
      ),
      fact(
        'lights',
        ['light', 'router', 'modem'],
        'The router light blinks red',
        'The router light is blinking red.',
        'What do the lights on the router show?',
      ),
    ],
    solutions: [
      { id: 'technician', keywords: ['technician', 'engineer', 'visit', 'new router'], needs: ['lights'] },
    ],
    kb: [{ query: 'internet outage red light router', claims: ['24 hours'] }],
    success: {
      facts: ['lights'],
      minMood: 4,
      example:
        "I'm sorry you had to contact us three times; that should not happen. I've booked a technician for tomorrow between 8 and 12, and I will call you myself after.",
    },
  },
  {
    key: 'first-time-buyer',
    title: 'How do I even order?',
    category: 'onboarding',
    difficulty: 'easy',
    persona: { name: 'Edith Moore', mood: 6, patience: 3, style: 'confused' },
    situation: 'A first-time buyer cannot find how to pay; their basket is full and they are unsure.',
    opening: "Hello, I'm new to this. I put things in my basket but I don't know what to do next.",
    facts: [
      fact(
        'device',
        ['phone', 'computer', 'device', 'tablet'],
        'On a tablet',
        'I am on my tablet.',
        'Are you on a phone, tablet or computer?',
      ),
      fact(
        'payment',
        ['pay', 'card', 'payment'],
        'Wants to pay by card',
        'I would like to pay with my card.',
        'How would you like to pay?',
      ),
    ],
    solutions: [
      { id: 'guide', keywords: ['basket icon', 'checkout', 'step by step', 'tap'], needs: ['device'] },
    ],
    kb: [{ query: 'how to checkout pay order', claims: [] }],
    success: {
      facts: ['device'],
      empathy: false,
      timeFrame: false,
      minMood: 5,
      example:
        "Happy to help! On your tablet, tap the basket icon at the top right, then tap 'Checkout' and enter your card.",
    },
    script: { jargon: ["Sorry, I'm not very technical. What does that mean?"] },
  },
  {
    key: 'vip-complaint',
    title: 'A VIP is unhappy',
    category: 'escalation',
    difficulty: 'hard',
    persona: { name: 'Victoria Hale', mood: 3, patience: 2, style: 'formal' },
    situation: 'A long-standing enterprise customer had a failed data export before a board meeting.',
    opening:
      'We have been customers for eight years. Our export failed before a board meeting. I am disappointed.',
    facts: [
      fact(
        'report',
        ['which report', 'export', 'file'],
        'The quarterly revenue export',
        'The quarterly revenue export.',
        'Which export failed?',
      ),
      fact(
        'meeting',
        ['when is', 'meeting', 'deadline'],
        'The board meets on Thursday',
        'The board meets on Thursday at 9.',
        'When is the meeting?',
      ),
    ],
    solutions: [
      {
        id: 'manual',
        keywords: ['run the export', 'send you the file', 'engineer', 'priority'],
        needs: ['report'],
      },
    ],
    kb: [{ query: 'export failed large report', claims: [] }],
    success: {
      facts: ['report', 'meeting'],
      example:
        "I'm sorry, this is not the experience you should have after eight years. I've asked an engineer to run the export now and will send you the file by 3 pm today.",
    },
  },
  {
    key: 'cancellation-request',
    title: 'I want to cancel',
    category: 'retention',
    difficulty: 'medium',
    persona: { name: 'Sam Ortiz', mood: 4, patience: 2, style: 'terse' },
    situation: 'A subscriber wants to cancel; they are moving abroad. A pause is possible, pressure is not.',
    opening: 'Please cancel my subscription.',
    facts: [
      fact(
        'reason',
        ['why', 'reason', 'may i ask'],
        'Moving abroad for 6 months',
        'I am moving abroad for six months.',
        'May I ask why you want to cancel?',
      ),
    ],
    solutions: [
      { id: 'pause', keywords: ['pause', 'freeze'], needs: ['reason'] },
      { id: 'cancel', keywords: ['cancelled', 'canceled', 'cancel it'], needs: [] },
    ],
    kb: [{ query: 'cancel subscription pause', claims: ['6 months'] }],
    success: {
      facts: [],
      empathy: false,
      minMood: 4,
      example:
        "Of course. I've cancelled your subscription today, and you won't be charged again. If you'd rather pause it for 6 months instead, just reply.",
    },
  },
  {
    key: 'account-locked',
    title: 'Locked out before a deadline',
    category: 'account',
    difficulty: 'medium',
    persona: { name: 'Raj Patel', mood: 3, patience: 2, style: 'anxious' },
    situation: 'A user is locked out after too many attempts and needs a file for a deadline in an hour.',
    opening: "I'm locked out of my account and I need a file in an hour. Please help!",
    facts: [
      fact(
        'email',
        ['email', 'address', 'username'],
        'Signs in with raj@example.test',
        'I use raj@example.test.',
        'Which email do you sign in with?',
      ),
      fact(
        'error',
        ['error', 'message', 'what does it say'],
        'Says too many attempts',
        'It says too many attempts, try later.',
        'What does the error message say?',
      ),
    ],
    solutions: [{ id: 'unlock', keywords: ['unlocked', 'unlock', 'reset link', 'reset'], needs: ['email'] }],
    kb: [{ query: 'account locked too many attempts', claims: ['15 minutes'] }],
    success: {
      facts: ['email'],
      example:
        "I understand the time pressure. I've unlocked your account and sent a reset link to your email; it arrives within 5 minutes.",
    },
  },
  {
    key: 'subscription-upgrade',
    title: 'Which plan do I need?',
    category: 'sales',
    difficulty: 'easy',
    persona: { name: 'Nora Kim', mood: 6, patience: 3, style: 'chatty' },
    situation: 'A small team asks which plan fits; they need 12 seats and single sign-on.',
    opening: 'Hi! We are growing and I am not sure which plan we need now.',
    facts: [
      fact(
        'seats',
        ['how many', 'seats', 'people', 'team size'],
        '12 people',
        'We are 12 people now.',
        'How many people will use it?',
      ),
      fact(
        'sso',
        ['sso', 'single sign', 'login', 'security'],
        'They need single sign-on',
        'Oh, and we need single sign-on.',
        'Do you need single sign-on?',
      ),
    ],
    solutions: [{ id: 'business', keywords: ['business plan', 'upgrade', 'trial'], needs: ['seats', 'sso'] }],
    kb: [{ query: 'plans pricing single sign-on seats', claims: [] }],
    success: {
      facts: ['seats', 'sso'],
      empathy: false,
      minMood: 5,
      example:
        'For 12 people with single sign-on, the Business plan fits. I have started a 14-day trial for you today, so you can try it first.',
    },
  },
];
