import { describe, expect, it } from 'vitest';
import { nodeChannel } from './routeScript.ts';

describe('nodeChannel', () => {
  it('names one channel per node under the key prefix', () => {
    expect(nodeChannel('mm:', 'node-a')).toBe('mm:sig:node-a');
  });
});
