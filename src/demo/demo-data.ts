/**
 * The cast of the demo workspace: Hearth & Loom, a small online shop for home goods, its support
 * agents and teams, what it sells, and the people who write in. Customer addresses use reserved
 * domains (example.com, *.example) so nothing here can ever reach a real inbox.
 */

export const demoShop = { name: 'Hearth & Loom', currency: '£' };

export type TeamKey = 'orders' | 'billing';

export const demoTeams: { key: TeamKey; name: string; description: string }[] = [
  {
    key: 'orders',
    name: 'Orders & Shipping',
    description: 'Deliveries, damaged items, exchanges and cancellations',
  },
  { key: 'billing', name: 'Billing', description: 'Payments, refunds, discount codes and account access' },
];

export const demoAgents: { login: string; name: string; teams: TeamKey[] }[] = [
  { login: 'maya', name: 'Maya Okafor', teams: ['orders'] },
  { login: 'daniel', name: 'Daniel Reyes', teams: ['orders', 'billing'] },
  { login: 'priya', name: 'Priya Nair', teams: ['billing'] },
];

export type Product = { name: string; price: number; fragile?: boolean; sizes?: string[] };

export const demoProducts: Product[] = [
  { name: 'Stoneware Dinner Plate Set', price: 48, fragile: true },
  { name: 'Hand-Thrown Ceramic Mug', price: 18, fragile: true },
  { name: 'Glass Carafe Set', price: 32, fragile: true },
  { name: 'Ceramic Table Lamp in Oat', price: 89, fragile: true },
  { name: 'Speckled Serving Bowl', price: 36, fragile: true },
  { name: 'Rattan Pendant Shade', price: 68, fragile: true },
  { name: 'Enamel Kettle in Cream', price: 54 },
  { name: 'Cast Iron Casserole, 5 L', price: 119 },
  { name: 'Walnut Serving Board', price: 42 },
  { name: 'Beeswax Taper Candle Set', price: 16 },
  { name: 'Merino Throw in Charcoal', price: 95 },
  { name: 'Wool Bouclé Cushion Cover', price: 34 },
  { name: 'Linen Tea Towel Set', price: 22 },
  { name: 'Brass Candle Holder', price: 28 },
  { name: 'Linen Duvet Cover in Sage', price: 129, sizes: ['Double', 'King', 'Super King'] },
  { name: 'Percale Sheet Set', price: 85, sizes: ['Single', 'Double', 'King'] },
  { name: 'Washed Linen Curtain Pair', price: 110, sizes: ['140 × 220 cm', '140 × 250 cm', '140 × 270 cm'] },
  { name: 'Hand-Woven Jute Rug', price: 145, sizes: ['120 × 180 cm', '160 × 230 cm', '200 × 300 cm'] },
  { name: 'Waffle Cotton Bath Towel', price: 39, sizes: ['hand towel', 'bath towel', 'bath sheet'] },
  { name: 'Oak Wall Shelf', price: 75, sizes: ['60 cm', '80 cm', '100 cm'] },
];

export const demoCarriers: { name: string; tracking: string }[] = [
  // Tracking formats as each carrier prints them; # is a random digit.
  { name: 'Royal Mail', tracking: 'RM#########GB' },
  { name: 'DPD', tracking: '155########' },
  { name: 'DHL', tracking: 'JD01460000########' },
  { name: 'UPS', tracking: '1Z999AA1########' },
  { name: 'Evri', tracking: 'H01HYA00########' },
];

export const demoDiscountCodes = ['WELCOME10', 'SPRING15', 'FREESHIP', 'HOMEBODY20', 'LOYAL25'];

export type DemoCompany = { key: string; name: string; domain: string; notes: string };

export const demoCompanies: DemoCompany[] = [
  {
    key: 'juniper',
    name: 'Juniper Street Café',
    domain: 'juniperstreetcafe.example',
    notes: 'Orders mugs and plates in bulk each quarter.',
  },
  {
    key: 'harbour',
    name: 'Harbour View Hotel',
    domain: 'harbourviewhotel.example',
    notes: 'Boutique hotel, 24 rooms. Linen refresh every spring.',
  },
  {
    key: 'marlow',
    name: 'Studio Marlow Interiors',
    domain: 'studiomarlow.example',
    notes: 'Interior designers; trade discount 15%.',
  },
  {
    key: 'linenroom',
    name: 'The Linen Room B&B',
    domain: 'thelinenroom.example',
    notes: '',
  },
  {
    key: 'nordlicht',
    name: 'Nordlicht Apartments',
    domain: 'nordlicht-apartments.example',
    notes: 'Serviced apartments in Berlin and Hamburg.',
  },
  {
    key: 'casaverde',
    name: 'Casa Verde Restaurant',
    domain: 'casaverde.example',
    notes: 'Prefers invoices by email to accounts@.',
  },
];

/** name, language, time zone, company key, tags */
type CustomerSeed = [string, string, string, string?, string[]?];

const customerSeeds: CustomerSeed[] = [
  ['Olivia Bennett', 'en', 'Europe/London', undefined, ['vip', 'newsletter']],
  ['Harry Whitfield', 'en', 'Europe/London'],
  ['Amelia Clarke', 'en', 'Europe/London', undefined, ['newsletter']],
  ['Tom Gallagher', 'en', 'Europe/London', 'juniper', ['wholesale']],
  ['Sophie Turnbull', 'en', 'Europe/London', undefined, ['vip']],
  ['Jack Morrison', 'en', 'Europe/London'],
  ['Isla Fraser', 'en', 'Europe/London', undefined, ['newsletter']],
  ['Priyanka Shah', 'en', 'Europe/London', 'marlow', ['wholesale', 'vip']],
  ['Oliver Grant', 'en', 'Europe/London'],
  ['Grace Holloway', 'en', 'Europe/London', 'harbour', ['wholesale']],
  ['Ruth Adeyemi', 'en', 'Europe/London', undefined, ['newsletter']],
  ['Mohammed Rahman', 'en', 'Europe/London'],
  ['Lucy Pemberton', 'en', 'Europe/London', undefined, ['vip', 'newsletter']],
  ['Callum Reid', 'en', 'Europe/London'],
  ['Hannah O’Brien', 'en', 'Europe/Dublin', undefined, ['newsletter']],
  ['Niamh Kelly', 'en', 'Europe/Dublin'],
  ['George Ashworth', 'en', 'Europe/London', 'linenroom', ['wholesale']],
  ['Chloe Parsons', 'en', 'Europe/London'],
  ['Aisha Begum', 'en', 'Europe/London', undefined, ['newsletter']],
  ['Ben Carter', 'en', 'Europe/London'],
  ['Megan Lloyd', 'en', 'Europe/London', undefined, ['newsletter']],
  ['Rhys Evans', 'en', 'Europe/London'],
  ['Zara Hussain', 'en', 'Europe/London', undefined, ['vip']],
  ['Eleanor Finch', 'en', 'Europe/London', 'marlow', ['wholesale']],
  ['Kwame Osei', 'en', 'Europe/London'],
  ['Fiona MacLeod', 'en', 'Europe/London', undefined, ['newsletter']],
  ['Sam Whitaker', 'en', 'Europe/London'],
  ['Jess Moreland', 'en', 'Europe/London', 'juniper', ['wholesale']],
  ['Imogen Hart', 'en', 'Europe/London', undefined, ['newsletter']],
  ['Peter Lawson', 'en', 'Europe/London'],
  ['Madison Brooks', 'en', 'America/New_York', undefined, ['newsletter']],
  ['Carlos Mendoza', 'en', 'America/Los_Angeles'],
  ['Jennifer Walsh', 'en', 'America/Chicago', undefined, ['vip']],
  ['Tyler Nguyen', 'en', 'America/Los_Angeles'],
  ['Ashley Kim', 'en', 'America/New_York', undefined, ['newsletter']],
  ['Marcus Johnson', 'en', 'America/New_York'],
  ['Rachel Goldberg', 'en', 'America/New_York', 'harbour', ['wholesale']],
  ['Chloé Martin', 'fr', 'Europe/Paris', undefined, ['newsletter']],
  ['Julien Moreau', 'fr', 'Europe/Paris'],
  ['Lena Schneider', 'de', 'Europe/Berlin', 'nordlicht', ['wholesale']],
  ['Felix Wagner', 'de', 'Europe/Berlin'],
  ['Katrin Hoffmann', 'de', 'Europe/Berlin', 'nordlicht', ['wholesale']],
  ['Sanne de Vries', 'nl', 'Europe/Amsterdam', undefined, ['newsletter']],
  ['Daan Bakker', 'nl', 'Europe/Amsterdam'],
  ['Lucía Fernández', 'es', 'Europe/Madrid', 'casaverde', ['wholesale']],
  ['Javier Ortega', 'es', 'Europe/Madrid'],
  ['Astrid Lindqvist', 'sv', 'Europe/Stockholm', undefined, ['newsletter']],
  ['Giulia Romano', 'it', 'Europe/Rome'],
  ['Marco Bianchi', 'it', 'Europe/Rome', 'casaverde', ['wholesale']],
  ['Anna Kowalska', 'pl', 'Europe/Warsaw'],
  ['Emily Chen', 'en', 'Australia/Sydney', undefined, ['newsletter']],
  ['Liam Walker', 'en', 'Pacific/Auckland'],
  ['Yusuf Demir', 'en', 'Europe/London'],
  ['Charlotte Hughes', 'en', 'Europe/London', undefined, ['vip', 'newsletter']],
  ['Nathan Price', 'en', 'Europe/London'],
  ['Freya Sinclair', 'en', 'Europe/London', undefined, ['newsletter']],
  ['Arjun Mehta', 'en', 'Europe/London'],
  ['Holly Dawson', 'en', 'Europe/London'],
  ['Victoria Lane', 'en', 'Europe/London', 'linenroom', ['wholesale']],
  ['Sean Murphy', 'en', 'Europe/Dublin', undefined, ['newsletter']],
];

export type DemoCustomer = {
  name: string;
  email: string;
  phone: string | undefined;
  language: string;
  timeZone: string;
  company: string | undefined;
  tags: string[];
  notes: string;
};

const ascii = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/[^A-Za-z ]/g, '')
    .toLowerCase();

const personalDomains = ['example.com', 'example.net', 'example.org'];

/** The 60 customers, with emails and phones derived from their place in the list so they stay unique. */
export const demoCustomers: DemoCustomer[] = customerSeeds.map(
  ([name, language, timeZone, company, tags], i) => {
    const [first = '', last = ''] = ascii(name).split(' ').filter(Boolean);
    const domain = company
      ? demoCompanies.find((c) => c.key === company)!.domain
      : personalDomains[i % personalDomains.length]!;
    const local = company ? first : [`${first}.${last}`, `${first[0]}${last}`, `${first}${last}${i}`][i % 3]!;
    // Numbers from the ranges set aside for fiction: UK 07700 900xxx and North American 555-01xx.
    const phone =
      i % 2 === 1
        ? undefined
        : timeZone.startsWith('America/')
          ? `+1 212 555 01${String(i).padStart(2, '0').slice(-2)}`
          : timeZone === 'Europe/London' || timeZone === 'Europe/Dublin'
            ? `+44 7700 900${String(100 + i).slice(-3)}`
            : undefined;
    return {
      name,
      email: `${local}@${domain}`,
      phone,
      language,
      timeZone,
      company,
      tags: tags ?? [],
      notes: tags?.includes('vip') ? 'Long-standing customer; big orders around the holidays.' : '',
    };
  },
);
