import { describe, expect, it } from 'vitest';
import { renderTemplate, splitName, templateValues } from './canned-template.ts';

const context = {
  customer: { name: 'Mary Ann Smith', email: 'mary@example.test' },
  ticket: { number: 42, subject: 'Cracked lid' },
  agent: { name: 'Sam Agent' },
  workspace: { name: 'Hearth & Loom' },
};

describe('renderTemplate', () => {
  it('fills every known placeholder from the ticket, customer, agent and workspace', () => {
    const template =
      'Hi {{customer.first_name}} {{customer.last_name}} ({{customer.name}}, {{customer.email}}), ' +
      'about #{{ticket.number}} "{{ticket.subject}}": {{agent.first_name}} / {{agent.name}} at {{workspace.name}}';
    expect(renderTemplate(template, templateValues(context))).toEqual({
      text:
        'Hi Mary Ann Smith (Mary Ann Smith, mary@example.test), about #42 "Cracked lid": ' +
        'Sam / Sam Agent at Hearth & Loom',
      missing: [],
    });
  });

  it('accepts spaces inside the braces and any case in the name', () => {
    expect(renderTemplate('Hi {{ Customer.First_Name }}!', templateValues(context)).text).toBe('Hi Mary!');
  });

  it('leaves unknown and empty placeholders visible and lists each once', () => {
    const values = templateValues({ ...context, customer: { name: '', email: null } });
    const result = renderTemplate(
      'Hi {{customer.first_name}}, {{order.id}} {{order.id}} {{customer.email}} for {{agent.first_name}}',
      values,
    );
    expect(result.text).toBe(
      'Hi {{customer.first_name}}, {{order.id}} {{order.id}} {{customer.email}} for Sam',
    );
    expect(result.missing).toEqual(['customer.first_name', 'order.id', 'customer.email']);
  });

  it('does not read inherited properties as values and inserts values literally', () => {
    expect(renderTemplate('{{constructor}} {{__proto__}}', {}).missing).toEqual(['constructor', '__proto__']);
    expect(renderTemplate('{{x}}', { x: '$& $1 {{y}}' }).text).toBe('$& $1 {{y}}');
  });

  it('leaves text without placeholders and half-open braces alone', () => {
    expect(renderTemplate('No {{ placeholders here', {})).toEqual({
      text: 'No {{ placeholders here',
      missing: [],
    });
  });
});

describe('splitName', () => {
  it('splits into a first word and the rest', () => {
    expect(splitName('  Mary  Ann Smith ')).toEqual({ first: 'Mary', last: 'Ann Smith' });
    expect(splitName('Cher')).toEqual({ first: 'Cher', last: '' });
    expect(splitName('')).toEqual({ first: '', last: '' });
  });
});
