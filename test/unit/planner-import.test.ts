import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyQueue } from '../../shared/queue-snapshot.js';
import { addPlannedSessions, parsePlan, resolvePlanProjects } from '../../main/core/planner/plan-import.js';
import { addSession } from '../../main/core/planner/queue.js';

const NOW = Date.parse('2026-01-06T14:00:00.000Z');

const PLAN = `# Invoice API plan

Some prose about the plan: ignored.

## Planning
- Read the spec
- Outline the modules
tokens: 20k
hours: 1

## Implementation - Part 1/3
Prose about this part, also ignored.
- Build API integration layer
- Handle "quotes", commas, semicolons; and $(shell) \`ticks\` & pipes | too
* [ ] Add validation logic
1. Numbered works too
**Tokens:** 65,000
- hours: 2h30m
after: Planning
agent: .claude/agents/implementer.md

## Testing
tokens: 1.5M
hours: 90m
after: Implementation - Part 1/3, planning

\`\`\`
## Not a heading (inside a fence)
tokens: 5
\`\`\`
`;

describe('parsePlan', () => {
  it('reads one session per ## heading', () => {
    const planned = parsePlan(PLAN);
    expect(planned.map((s) => s.name)).toEqual(['Planning', 'Implementation - Part 1/3', 'Testing']);
    expect(planned[0]).toMatchObject({ objectives: ['Read the spec', 'Outline the modules'], estimatedTokens: 20_000, estimatedHours: 1, after: [], agent: null, project: null, line: 5 });
    expect(planned[1]).toMatchObject({
      objectives: ['Build API integration layer', 'Handle "quotes", commas, semicolons; and $(shell) `ticks` & pipes | too', 'Add validation logic', 'Numbered works too'],
      estimatedTokens: 65_000,
      estimatedHours: 2.5,
      after: ['Planning'],
      agent: '.claude/agents/implementer.md',
    });
    expect(planned[2]).toMatchObject({ estimatedTokens: 1_500_000, estimatedHours: 1.5, after: ['Implementation - Part 1/3', 'planning'], objectives: [] });
  });

  it.each([
    ['no headings', 'just text', /no sessions found/],
    ['a missing tokens line', '## A\nhours: 1', /line 1: "A" has no "tokens:" line/],
    ['a missing hours line', '## A\ntokens: 5k', /line 1: "A" has no "hours:" line/],
    ['zero tokens', '## A\n\ntokens: 0\nhours: 1', /line 3: estimated tokens must be more than 0/],
    ['absurd tokens', '## A\ntokens: 99M\nhours: 1', /line 2: .*not a plausible session/],
    ['negative hours', '## A\ntokens: 5k\nhours: -2', /line 3: estimated hours must be a number/],
    ['absurd hours', '## A\ntokens: 5k\nhours: 80', /line 3: .*more than a day/],
    ['a repeated key', '## A\ntokens: 5k\ntokens: 6k\nhours: 1', /line 3: "tokens:" given twice/],
    ['two sessions with one name', '## A\ntokens: 5k\nhours: 1\n## a\ntokens: 5k\nhours: 1', /line 4: two sessions are called "a"/],
  ])('refuses %s with its line', (_label, text, message) => {
    expect(() => parsePlan(text)).toThrow(message);
  });
});

describe('addPlannedSessions', () => {
  it('links "after:" to this plan (forward too) and to queued ids', () => {
    const queue = emptyQueue();
    addSession(queue, { name: 'Existing', project: '/p', estimatedTokens: 1, estimatedHours: 1 }, NOW);
    const planned = parsePlan('## B\ntokens: 1k\nhours: 1\nafter: C, s1\n## C\ntokens: 1k\nhours: 1');
    const added = addPlannedSessions(queue, planned, ['/p', '/p'], NOW);
    expect(added.map((s) => [s.id, s.name, s.dependencies])).toEqual([
      ['s2', 'B', ['s3', 's1']],
      ['s3', 'C', []],
    ]);
  });

  it('refuses a cycle and names it, and unknown references', () => {
    const planned = parsePlan('## A\ntokens: 1k\nhours: 1\nafter: B\n## B\ntokens: 1k\nhours: 1\nafter: A');
    expect(() => addPlannedSessions(emptyQueue(), planned, ['/p', '/p'], NOW)).toThrow('dependency cycle: s1 → s2 → s1 ("A" → "B" → "A")');
    const unknown = parsePlan('## A\ntokens: 1k\nhours: 1\nafter: Nowhere');
    expect(() => addPlannedSessions(emptyQueue(), unknown, ['/p'], NOW)).toThrow('line 4: "after: Nowhere" names no session of this plan and no queued session');
  });

  it('resolves project paths from the plan file and refuses missing ones', () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'cco-plan-'));
    try {
      fs.mkdirSync(path.join(base, 'app'));
      const planned = parsePlan('## A\ntokens: 1k\nhours: 1\nproject: app\n## B\ntokens: 1k\nhours: 1');
      expect(resolvePlanProjects(planned, { defaultProject: '/default', baseDir: base })).toEqual([path.join(base, 'app'), '/default']);
      const missing = parsePlan('## A\ntokens: 1k\nhours: 1\nproject: gone');
      expect(() => resolvePlanProjects(missing, { defaultProject: '/default', baseDir: base })).toThrow(`line 1: project directory ${path.join(base, 'gone')} does not exist`);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
});
