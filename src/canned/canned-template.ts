/** Placeholder values by name (`customer.first_name`); undefined or empty means unknown. */
export type TemplateValues = Record<string, string | null | undefined>;

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.]+)\s*(?:\|([^}]*))?\}\}/g;

/**
 * Fills `{{name}}` placeholders. `{{name | fallback}}` uses the fallback when the value is unknown. A
 * placeholder with no value and no fallback is left as written, so the agent sees it before sending, and
 * is listed in `missing` (once, in order of appearance).
 */
export function renderTemplate(
  template: string,
  values: TemplateValues,
): { text: string; missing: string[] } {
  const missing: string[] = [];
  const text = template.replace(PLACEHOLDER, (whole, rawName: string, fallback?: string) => {
    const name = rawName.toLowerCase();
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    if (value) return value;
    if (fallback !== undefined) return fallback.trim();
    if (!missing.includes(name)) missing.push(name);
    return whole;
  });
  return { text, missing };
}

/** "Mary Ann Smith" → first "Mary", last "Ann Smith"; one word is a first name only. */
export function splitName(name: string): { first: string; last: string } {
  const words = name.trim().split(/\s+/).filter(Boolean);
  return { first: words[0] ?? '', last: words.slice(1).join(' ') };
}

export type TemplateContext = {
  customer: { name: string; email: string | null };
  ticket: { number: number; subject: string };
  agent: { name: string };
  workspace: { name: string };
};

/** The values the console's placeholders name, from a ticket, its customer and the agent using it. */
export function templateValues(context: TemplateContext): TemplateValues {
  const customer = splitName(context.customer.name);
  const agent = splitName(context.agent.name);
  return {
    'customer.first_name': customer.first,
    'customer.last_name': customer.last,
    'customer.name': context.customer.name.trim(),
    'customer.email': context.customer.email,
    'ticket.number': String(context.ticket.number),
    'ticket.subject': context.ticket.subject,
    'agent.first_name': agent.first,
    'agent.name': context.agent.name.trim(),
    'workspace.name': context.workspace.name,
  };
}
