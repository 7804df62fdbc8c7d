import type { TeamKey } from './demo-data.ts';
import { billingTopics } from './demo-topics-billing.ts';
import { orderTopics } from './demo-topics-orders.ts';

/** One conversation as it usually goes: the customer writes, an agent answers, the customer replies, it is resolved. */
export type Thread = {
  subjects: string[];
  opening: string;
  reply: string;
  followUp: string;
  resolution: string;
};

/**
 * One kind of conversation: how often it comes up, where it is routed, and what each side says.
 * Customer lines read as customers write; agent replies acknowledge and give a concrete next step.
 */
export type Topic = {
  key: string;
  /** Relative frequency among all tickets. */
  weight: number;
  team: TeamKey | null;
  tags: string[];
  product: 'any' | 'fragile' | 'sized';
  /** Weights of low, normal, high, urgent. */
  priority: [number, number, number, number];
  /** Usually settled by the first reply. */
  quick?: boolean;
  threads: Thread[];
  notes: string[];
  /** The reply that puts the ticket on hold; a generic one is used when absent. */
  hold?: string;
};

const generalTopics: Topic[] = [
  {
    key: 'product-question',
    weight: 12,
    team: null,
    tags: ['product-question', 'pre-sale'],
    product: 'any',
    priority: [45, 55, 0, 0],
    quick: true,
    threads: [
      {
        subjects: ['Care instructions for the {product}', 'How do I look after the {product}?'],
        opening:
          'Before I order: how should I look after the {product}? I want to be sure it will survive everyday use with two kids in the house.',
        reply:
          'Great question! Everything we sell comes with a care card, and I’ve emailed you the one for the {product} as a PDF. In short: gentle cleaning, no harsh detergents, and keep it out of strong direct sunlight to protect the finish.',
        followUp: 'Thanks, that’s really helpful. Ordering now!',
        resolution: 'Wonderful — I hope you love it. Let us know if anything else comes up.',
      },
      {
        subjects: ['Dimensions of the {product}', 'Question about the {product}'],
        opening:
          'Could you tell me the exact dimensions of the {product}? The listing doesn’t give the depth and I need it to fit a narrow shelf.',
        reply:
          'I measured one in our warehouse for you and emailed the full dimensions. I’ve also asked the team to add them to the product page.',
        followUp: 'Thanks! It’ll fit. One more thing — do you ship to Ireland?',
        resolution: 'Yes, we ship to Ireland in 3–5 working days, and delivery is free over £75. Enjoy!',
      },
      {
        subjects: ['{product} — back in stock soon?', 'Restock date for the {product}?'],
        opening: 'Will the {product} be restocked soon? It’s been sold out for a few weeks now.',
        reply:
          'Good news — the {product} is due back in stock within two weeks. I’ve added you to the restock list, so you’ll get an email the moment it’s available.',
        followUp: 'Great, thank you. Can I pre-order?',
        resolution:
          'We don’t take pre-orders, but the restock email goes out an hour before the product page updates, so you’ll be first in line.',
      },
      {
        subjects: ['Is the {product} a good gift?', 'Gift wrapping question'],
        opening:
          'I’m thinking of the {product} as a wedding present. Do you gift wrap, and can I add a note?',
        reply:
          'It makes a lovely gift! Gift wrapping is £4 at checkout, and you can write a note in the "gift message" box. We also leave prices off the packing slip.',
        followUp: 'Perfect. Can it be delivered straight to the couple?',
        resolution:
          'Yes — just enter their address for delivery and yours for billing. Congratulations to them!',
      },
    ],
    notes: [
      'The product page is missing care information — asked the content team to add it.',
      'Restock date from the buying team: two weeks.',
    ],
  },
  {
    key: 'praise',
    weight: 6,
    team: null,
    tags: ['feedback', 'praise'],
    product: 'any',
    priority: [70, 30, 0, 0],
    quick: true,
    threads: [
      {
        subjects: ['Love my new {product}', 'Thank you!'],
        opening:
          'Just wanted to say the {product} arrived and it’s even nicer than the photos. Beautifully packed too. Thank you!',
        reply:
          'Thank you so much for taking the time to write — this made our day! I’ve shared your message with the warehouse team who packed your order.',
        followUp: 'You’re welcome! Keep up the good work.',
        resolution: 'Thank you again — have a lovely week!',
      },
      {
        subjects: ['Great service from {colleague}', 'Please pass on my thanks'],
        opening:
          'I had a problem with an order last month and {colleague} sorted it out so quickly. Please pass on my thanks.',
        reply: 'That’s so kind of you. I’ll make sure {colleague} sees this — it will make their week.',
        followUp: 'Please do! Thanks again.',
        resolution: 'Passed on! Have a lovely weekend.',
      },
      {
        subjects: ['Just wanted to say thanks', 'Another perfect order'],
        opening:
          'This is my third order from you and every one has been perfect. The handwritten note was a lovely touch.',
        reply:
          'Thank you — three orders! The notes are written by our packing team, and they’ll be thrilled to hear it. Enjoy your new things.',
        followUp: 'Will do!',
        resolution: 'Take care, and see you next time!',
      },
    ],
    notes: [
      'Lovely feedback — shared in the team channel.',
      'Customer is happy to be quoted in reviews; passed on to marketing.',
    ],
  },
];

export const demoTopics: Topic[] = [...orderTopics, ...billingTopics, ...generalTopics];

/** Lines any conversation can use. */
export const commonLines = {
  bumps: [
    'Hi, just following up on this — any update?',
    'Hello? Still waiting to hear back about this.',
    'Sorry to chase, but could someone look at this today please?',
  ],
  progress: [
    'Thanks for the update. I’ve passed this to our warehouse team and will come back to you by tomorrow.',
    'Thank you — that helps. I’m checking with {carrier} now and will reply within one working day.',
    'Thanks. I’m waiting on one more answer from our team and will update you as soon as I have it.',
  ],
  hold: 'I’ve escalated this to a colleague who needs to check a few things on their side. I’m putting this ticket on hold until they reply — usually within a working day — and will update you as soon as I hear.',
  notes: [
    'Checked the order history: no previous issues with this customer.',
    '{colleague}, could you take a look at this one? You handled something similar last week.',
  ],
  /** Notes left on a ticket nobody has taken yet. */
  triageNotes: [
    'This customer wrote in about something similar before — worth reading their history before replying.',
    'Not sure which team owns this one; leaving it in the queue for the morning shift.',
    'Looks straightforward. I’ll pick it up after lunch if nobody else has.',
  ],
  customerGreetings: ['Hi,', 'Hello,', 'Hi there,', 'Hello Hearth & Loom team,', ''],
  customerSignoffs: [
    'Thanks,\n{first}',
    'Best,\n{full}',
    '{first}',
    'Many thanks,\n{full}',
    'Cheers,\n{first}',
  ],
  agentGreetings: ['Hi {first},', 'Hello {first},', 'Dear {first},'],
  agentSignoffs: [
    'Best,\n{agent}',
    'Warm regards,\n{agent}\nHearth & Loom Customer Care',
    'Thanks,\n{agent}',
    'Kind regards,\n{agent} | Hearth & Loom',
  ],
};
