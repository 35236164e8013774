import { describe, expect, it } from 'vitest';
import { rosterChanges } from './announce.ts';

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
