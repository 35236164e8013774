import { describe, expect, it } from 'vitest';
import { interruptionChanges, rosterChanges } from './announce.ts';

describe('rosterChanges', () => {
  it('names who joined and who left, by id (names may repeat)', () => {
    const before = [{ id: '1', name: 'Ada' }, { id: '2', name: 'Bo' }];
    const after = [{ id: '2', name: 'Bo' }, { id: '3', name: 'Ada' }];
    expect(rosterChanges(before, after)).toEqual(['Ada joined', 'Ada left']);
  });
  it('says nothing when only other fields changed', () => {
    expect(rosterChanges([{ id: '1', name: 'Ada' }], [{ id: '1', name: 'Ada' }])).toEqual([]);
  });
});

describe('interruptionChanges', () => {
  it('names whose media stopped and whose came back, and ignores joins and leaves', () => {
    const before = [
      { id: '1', name: 'Ada', interrupted: false },
      { id: '2', name: 'Bo', interrupted: true },
      { id: '3', name: 'Cy', interrupted: false },
    ];
    const after = [
      { id: '1', name: 'Ada', interrupted: true },
      { id: '2', name: 'Bo', interrupted: false },
      { id: '4', name: 'Di', interrupted: true },
    ];
    expect(interruptionChanges(before, after)).toEqual(['Ada’s connection is interrupted', 'Bo’s connection is back']);
  });
  it('says nothing while nobody’s state changed', () => {
    const roster = [{ id: '1', name: 'Ada', interrupted: true }];
    expect(interruptionChanges(roster, roster)).toEqual([]);
  });
});
