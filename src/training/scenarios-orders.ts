// Built-in scenarios about orders and deliveries: late, wrong, broken, refunded or repriced.
import { fact, type ScenarioInput } from './scenario-schema.ts';

export const orderScenarios: ScenarioInput[] = [
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
];
