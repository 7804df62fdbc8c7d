// The built-in role-play scenarios, in English. Every workspace sees these beside its own.
import { type Scenario, type ScenarioInput, scenarioSchema } from './scenario-schema.ts';

const fact = (id: string, keywords: string[], fact: string, reply: string, ask: string) => ({
  id,
  keywords,
  fact,
  reply,
  ask,
});

const inputs: ScenarioInput[] = [
  {
    key: 'delayed-shipment',
    title: 'Where is my parcel?',
    category: 'shipping',
    difficulty: 'easy',
    persona: { name: 'Dana Brooks', mood: 4, patience: 2, style: 'chatty' },
    situation: 'A customer ordered a birthday present nine days ago; tracking has not moved for five days.',
    opening:
      "Hi, my order still hasn't arrived and the tracking hasn't changed in days. It's a birthday present!",
    facts: [
      fact(
        'order',
        ['order number', 'order', 'number'],
        'Order 48213',
        'It is order 48213.',
        'Could you send me your order number?',
      ),
      fact(
        'deadline',
        ['when do you need', 'birthday', 'need it by', 'date'],
        'The birthday is on Saturday',
        'The birthday is this Saturday.',
        'When do you need it by?',
      ),
    ],
    solutions: [
      {
        id: 'reship',
        keywords: ['express', 'reship', 'send a new', 'send another', 'replacement'],
        needs: ['order'],
      },
      {
        id: 'trace',
        keywords: ['open a trace', 'investigation with the carrier', 'contact the carrier'],
        needs: ['order'],
      },
    ],
    kb: [
      {
        query: 'delayed shipment lost parcel',
        claims: ['express arrives within 2 business days', 'a trace takes 5 business days'],
      },
    ],
    success: {
      facts: ['order', 'deadline'],
      empathy: true,
      minMood: 5,
      example:
        "I'm sorry your parcel is stuck. I've sent a replacement by express today, so it arrives within 2 business days, before Saturday.",
    },
  },
  {
    key: 'defective-product',
    title: 'It broke after a week',
    category: 'product',
    difficulty: 'easy',
    persona: { name: 'Marcus Lee', mood: 3, patience: 2, style: 'terse' },
    situation: 'A kettle stopped heating after a week. The customer wants it to work, not a lecture.',
    opening: 'The kettle I bought stopped working. Not happy.',
    facts: [
      fact(
        'symptom',
        ['what happens', 'light', 'symptom', 'describe', 'exactly'],
        'The light turns on but it never heats',
        'The light comes on but it never heats up.',
        'What happens when you switch it on?',
      ),
      fact(
        'purchase',
        ['when did you buy', 'purchase', 'bought', 'receipt'],
        'Bought 8 days ago online',
        'I bought it here 8 days ago.',
        'When did you buy it?',
      ),
    ],
    solutions: [
      { id: 'replace', keywords: ['replacement', 'replace', 'new kettle', 'refund'], needs: ['purchase'] },
    ],
    kb: [{ query: 'warranty defective product replacement', claims: ['2 years', '30 days'] }],
    success: {
      facts: ['symptom', 'purchase'],
      example:
        "I'm sorry it stopped heating. I've sent a replacement kettle today; it arrives within 3 business days.",
    },
  },
  {
    key: 'refund-after-window',
    title: 'Refund after the return window',
    category: 'billing',
    difficulty: 'hard',
    persona: { name: 'Priya Shah', mood: 3, patience: 2, style: 'formal' },
    situation: 'The 30-day return window closed last week. Store credit is allowed; a cash refund is not.',
    opening: 'I would like a refund for the jacket I bought. It does not fit.',
    facts: [
      fact(
        'date',
        ['when did you', 'date', 'purchase', 'bought'],
        '35 days ago',
        'I bought it 35 days ago.',
        'When did you buy the jacket?',
      ),
      fact(
        'unworn',
        ['worn', 'tags', 'condition'],
        'Unworn with tags',
        'It is unworn, the tags are still on.',
        'Is it still unworn, with the tags on?',
      ),
    ],
    solutions: [
      {
        id: 'credit',
        keywords: ['store credit', 'exchange', 'gift card', 'credit'],
        needs: ['date', 'unworn'],
      },
    ],
    kb: [{ query: 'return policy refund window', claims: ['30 days', 'store credit'] }],
    success: {
      facts: ['date', 'unworn'],
      example:
        "I understand it's frustrating that it doesn't fit. The refund window has closed, but I can offer store credit for the full price today.",
    },
    script: { jargon: ['Please do not quote policy at me. Help me instead.'] },
  },
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
    key: 'wrong-item',
    title: 'Wrong item delivered',
    category: 'shipping',
    difficulty: 'easy',
    persona: { name: 'Lena Fischer', mood: 4, patience: 2, style: 'chatty' },
    situation: 'A customer received blue sneakers instead of the red ones; size is correct.',
    opening: 'I ordered red sneakers and got blue ones. My daughter is upset.',
    facts: [
      fact('size', ['size'], 'Size 36 is right', 'The size is right, 36.', 'Is the size right?'),
      fact(
        'order',
        ['order number', 'order'],
        'Order 55120',
        'Order 55120.',
        'Could you share your order number?',
      ),
    ],
    solutions: [
      { id: 'swap', keywords: ['send the red', 'exchange', 'return label', 'replacement'], needs: ['order'] },
    ],
    kb: [{ query: 'wrong item exchange return label', claims: ['free'] }],
    success: {
      facts: ['order'],
      example:
        "I'm sorry about the mix-up. I've sent the red pair today with a free return label for the blue ones; they arrive within 3 days.",
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
    key: 'price-drop',
    title: 'The price dropped after I bought',
    category: 'billing',
    difficulty: 'medium',
    persona: { name: 'Olivia Chen', mood: 4, patience: 2, style: 'formal' },
    situation:
      'A customer bought headphones and the price dropped by $30 four days later; price match applies within 14 days.',
    opening: 'I bought headphones last week and now they are $30 cheaper. That feels unfair.',
    facts: [
      fact(
        'when',
        ['when did', 'date', 'days ago'],
        'Bought 4 days before the drop',
        'Four days before the price dropped.',
        'When did you buy them?',
      ),
    ],
    solutions: [{ id: 'match', keywords: ['difference', 'price match', 'refund the'], needs: ['when'] }],
    kb: [{ query: 'price match price drop refund difference', claims: ['14 days'] }],
    success: {
      facts: ['when'],
      example:
        "I understand, that is annoying. Since it's within our 14-day price match, I've refunded the $30 difference; you'll see it within 5 business days.",
    },
  },
  {
    key: 'damaged-in-transit',
    title: 'Arrived smashed',
    category: 'shipping',
    difficulty: 'medium',
    persona: { name: 'Hugo Martin', mood: 2, patience: 2, style: 'angry' },
    situation: 'A glass table arrived shattered; the customer took photos.',
    opening: 'Your delivery arrived completely smashed. Glass everywhere. Terrible!',
    facts: [
      fact(
        'photos',
        ['photo', 'picture', 'image'],
        'Has photos of the box and glass',
        'Yes, I took photos of the box and the glass.',
        'Could you send photos of the damage?',
      ),
      fact(
        'injury',
        ['hurt', 'injur', 'safe', 'okay'],
        'Nobody was hurt',
        'Nobody was hurt, thankfully.',
        'Is everyone okay? Nobody got hurt?',
      ),
    ],
    solutions: [
      { id: 'replace', keywords: ['replacement', 'refund', 'new table', 'pick up'], needs: ['photos'] },
    ],
    kb: [{ query: 'damaged in transit claim photos', claims: ['48 hours'] }],
    success: {
      facts: ['photos'],
      example:
        "I'm so sorry, and I'm glad nobody was hurt. Thanks for the photos: a new table ships tomorrow and our courier collects the broken one on Friday.",
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

export const builtInScenarios: Scenario[] = inputs.map((s) => scenarioSchema.parse(s));
const byKey = new Map(builtInScenarios.map((s) => [s.key, s]));

export const builtInScenario = (key: string): Scenario | undefined => byKey.get(key);
