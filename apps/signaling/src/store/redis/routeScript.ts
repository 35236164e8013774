// The one script on the hot path: a signal's route, decided and taken in one round trip. It checks
// the sender's binding, finds the target's, and publishes the signal on the target node's own
// channel (P sig:<node>), which only that node reads: a relayed signal costs one script here and
// one message on one node, not a stream entry that every node reads and decodes. Held signals
// (P h:<id>) are those of scripts.ts. No TIME and no shared functions: it runs for every signal.
//
// Payload on the channel: "<socket id>\n<target id>\n<room>\n<message JSON>" (channelPayload.ts).
// SENT names the target's binding, which the sender's node keeps (bindingCache.ts) so that its next
// signals to that target skip this script (fastRelay.ts).

/** The key prefix's channel of one node. */
export const nodeChannel = (prefix: string, node: string): string => `${prefix}sig:${node}`;

/**
 * route: ARGV = P, room, to, sender id ('' = no sender check), sender binding, gone binding
 * ('' = none), this node, max held, grace ms, message JSON.
 * -> {'NOT_IN_ROOM'} | {'UNKNOWN'} | {'FULL'} | {'HELD'} | {'SENT', target binding} | {'LOCAL', socket id}
 *
 * A target away, on a node nobody listens for (it died, its members are not yet released), or
 * bound to the socket the caller found gone, gets the signal held for its resume.
 */
export const ROUTE = `
local P, room, to, sender = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local bk = P .. 'b:' .. room
local target
if sender ~= '' then
  local b = redis.call('HMGET', bk, to, sender)
  if b[2] ~= ARGV[5] then return {'NOT_IN_ROOM'} end
  target = b[1]
else
  target = redis.call('HGET', bk, to)
end
if not target then return {'UNKNOWN'} end
local node, sid = string.match(target, '^([^|]*)|(.*)$')
if sid ~= '' and target ~= ARGV[6] then
  if node == ARGV[7] then return {'LOCAL', sid} end
  if redis.call('PUBLISH', P .. 'sig:' .. node, sid .. '\\n' .. to .. '\\n' .. room .. '\\n' .. ARGV[10]) > 0 then return {'SENT', target} end
end
local hk = P .. 'h:' .. to
if redis.call('LLEN', hk) >= tonumber(ARGV[8]) then return {'FULL'} end
redis.call('RPUSH', hk, ARGV[10])
redis.call('PEXPIRE', hk, 2 * tonumber(ARGV[9]) + 60000)
return {'HELD'}
`;

export type RouteReply = ['NOT_IN_ROOM'] | ['UNKNOWN'] | ['FULL'] | ['HELD'] | ['SENT', string] | ['LOCAL', string];
