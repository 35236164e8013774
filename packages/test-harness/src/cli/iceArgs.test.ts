import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from './args.ts';

describe('parseArgs: --ice and --relay-only', () => {
  it('defaults to the server\'s ICE servers, all candidate types', () => {
    expect(parseArgs([])).toMatchObject({ ice: 'server', relayOnly: false });
  });

  it('reads --ice none|server and --relay-only', () => {
    expect(parseArgs(['--', '--ice', 'none'])).toMatchObject({ ice: 'none', relayOnly: false });
    expect(parseArgs(['--ice=server', '--relay-only'])).toMatchObject({ ice: 'server', relayOnly: true });
  });

  it('refuses another --ice value, and --relay-only with --ice none', () => {
    expect(() => parseArgs(['--ice', 'stun'])).toThrow(new UsageError('--ice must be "server" or "none", got "stun"'));
    expect(() => parseArgs(['--relay-only', '--ice', 'none'])).toThrow(/--relay-only needs a TURN server/);
  });
});
