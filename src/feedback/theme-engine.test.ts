import { describe, expect, it } from 'vitest';
import { seededRandom } from '../intel/triage-linear.ts';
import { closestTheme, clusterThemes } from './theme-engine.ts';
import { type Topic, topics } from './theme-world.test-support.ts';

const docs = (Object.entries(topics) as [Topic, readonly string[]][]).flatMap(([topic, texts]) =>
  texts.map((text, i) => ({ id: `${topic}-${i}`, text })),
);

describe('theme clustering', () => {
  it('groups three complaint topics into three pure themes with readable labels', () => {
    const themes = clusterThemes(docs);
    expect(themes).toHaveLength(3);
    const byTopic = themes.map((theme) => new Set(theme.members.map((id) => id.split('-')[0])));
    expect(byTopic.every((set) => set.size === 1)).toBe(true);
    expect(themes.map((theme) => theme.members.length).sort()).toEqual([8, 8, 8]);
    const label = (topic: Topic) => themes.find((t) => t.members[0]!.startsWith(topic))!.label;
    expect(label('sizing')).toMatch(/size|small/);
    expect(label('late')).toMatch(/late|delivery|parcel/);
    expect(label('refund')).toMatch(/refund|money/);
  });

  it('gives the same themes for the same texts, and places a new text under its theme', () => {
    const first = clusterThemes(docs, { seed: 7 });
    expect(clusterThemes(docs, { seed: 7 })).toEqual(first);
    const refund = first.find((theme) => theme.members[0]!.startsWith('refund'))!;
    const themes = first.map((theme, i) => ({ id: String(i), centroid: theme.centroid }));
    const found = closestTheme('Where is my refund? It has been weeks', themes);
    expect(found?.theme.centroid).toBe(refund.centroid);
    expect(closestTheme('Lovely weather in Lisbon', themes)).toBeUndefined();
  });

  it('leaves texts without content words out, and the generator is reproducible', () => {
    expect(clusterThemes([{ id: 'a', text: 'the and of' }])).toEqual([]);
    const a = seededRandom(3);
    const b = seededRandom(3);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });
});
