// The room rules of @meshmeet/protocol/rooms as Redis scripts: each runs atomically, so a decision
// and its change are one step for every node (the room cap holds under concurrent joins on many
// nodes). Keys are built inside the scripts from ARGV[1], the key prefix: one Redis (or a Sentinel
// pair), not Redis Cluster. Time is Redis's own clock (TIME), so nodes' clocks need not agree.
//
// Keys, with P the prefix:
//   P r:<room>  hash  id -> "<seq>|<credential expiry ms>|<member JSON>"  (join order = seq)
//   P b:<room>  hash  id -> "<node>|<socket id>", or "<node>|" while away
//   P g:<room>  hash  host, locked (0/1), pc ("" or the passcode record), v (gate version), seq
//   P m:<id>    the member's room        P t:<id>  tombstone (expires with the credential)
//   P h:<id>    list of held signals     P n:<node>  set of ids present on that node
//   P away      zset id -> grace end ms  P nodes     zset node -> last heartbeat ms
//   P sig:<node>  pub/sub channel of one node's routed signals (routeScript.ts)

const COMMON = `
local P = ARGV[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function nodeOf(binding) return string.match(binding, '^([^|]*)|') end
local function sidOf(binding) return string.match(binding, '|(.*)$') or '' end
local function seqOf(record) return tonumber(string.match(record, '^(%d+)|')) end
local function expiryOf(record) return tonumber(string.match(record, '^%d+|(%d+)|')) end
local function bodyOf(record) return string.match(record, '^%d+|%d+|(.*)$') end
local function roomState(g)
  local s = redis.call('HMGET', g, 'host', 'locked', 'pc')
  return {s[1] or '', s[2] or '0', (s[3] and s[3] ~= '') and '1' or '0'}
end
-- Ends one membership: the room forgets it, its credential is refused until it expires, its held
-- signals go; the longest-present member (a connected one first) hosts next.
local function finish(id, room)
  local rk, bk, gk = P .. 'r:' .. room, P .. 'b:' .. room, P .. 'g:' .. room
  local record = redis.call('HGET', rk, id)
  if not record then return nil end
  local binding = redis.call('HGET', bk, id) or ''
  local node = nodeOf(binding)
  if node then redis.call('SREM', P .. 'n:' .. node, id) end
  redis.call('HDEL', rk, id)
  redis.call('HDEL', bk, id)
  redis.call('DEL', P .. 'm:' .. id)
  redis.call('ZREM', P .. 'away', id)
  local dropped = redis.call('LLEN', P .. 'h:' .. id)
  redis.call('DEL', P .. 'h:' .. id)
  local ttl = (expiryOf(record) or 0) - now
  if ttl < 1 then ttl = 1 end
  redis.call('SET', P .. 't:' .. id, '1', 'PX', ttl)
  local hostChanged = 0
  if redis.call('HLEN', rk) == 0 then
    redis.call('DEL', rk, bk, gk)
  elseif redis.call('HGET', gk, 'host') == id then
    local best, bestSeq, bestPresent = '', nil, false
    local all = redis.call('HGETALL', rk)
    for i = 1, #all, 2 do
      local other, seq = all[i], seqOf(all[i + 1])
      local present = sidOf(redis.call('HGET', bk, other) or '') ~= ''
      if (present and not bestPresent) or (present == bestPresent and (bestSeq == nil or seq < bestSeq)) then
        best, bestSeq, bestPresent = other, seq, present
      end
    end
    redis.call('HSET', gk, 'host', best)
    hostChanged = 1
  end
  return {id, room, dropped, hostChanged}
end
-- The members of a node that is gone (or draining) become away, their grace counted from 'since'.
local function release(node, since, grace)
  local ids = redis.call('SMEMBERS', P .. 'n:' .. node)
  for _, id in ipairs(ids) do
    local room = redis.call('GET', P .. 'm:' .. id)
    if room then
      local bk = P .. 'b:' .. room
      local binding = redis.call('HGET', bk, id)
      if binding and nodeOf(binding) == node and sidOf(binding) ~= '' then
        redis.call('HSET', bk, id, node .. '|')
        redis.call('ZADD', P .. 'away', since + grace, id)
      end
    end
  end
  redis.call('DEL', P .. 'n:' .. node)
  return #ids
end
`;

/**
 * join: ARGV = P, room, node, socket id, claim ('' none, '-' refused, else the claimed id), fresh
 * id, member JSON, credential expiry, requireCredential, host, has passcode, gate version the
 * passcode was checked against ('' none), that check's verdict (1/0), cap.
 * -> {'REFUSED', code} | {'VERIFY', passcode record, gate version} |
 *    {'OK', id, resumed, takeover sid, hostChanged, members, {host, locked, pc}, held, {id, JSON, ...}}
 */
export const JOIN = `${COMMON}
local room, node, sid, claim, freshId, body, expiry = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], tonumber(ARGV[8])
local requireCredential, host, hasPasscode, checkedVersion, verdict, cap = ARGV[9] == '1', ARGV[10] == '1', ARGV[11] == '1', ARGV[12], ARGV[13], tonumber(ARGV[14])
local rk, bk, gk = P .. 'r:' .. room, P .. 'b:' .. room, P .. 'g:' .. room
local binding = node .. '|' .. sid

local function roster(except, presentOnly)
  local out = {}
  local all = redis.call('HGETALL', rk)
  for i = 1, #all, 2 do
    if all[i] ~= except and (not presentOnly or sidOf(redis.call('HGET', bk, all[i]) or '') ~= '') then
      table.insert(out, all[i])
      table.insert(out, bodyOf(all[i + 1]))
    end
  end
  return out
end
local function makeHost(id)
  if redis.call('HGET', gk, 'host') == id then return 0 end
  redis.call('HSET', gk, 'host', id)
  return 1
end
local function create(id, resumed)
  if redis.call('HLEN', rk) >= cap then return {'REFUSED', 'ROOM_FULL'} end
  local peers = roster(id, true)
  if redis.call('EXISTS', gk) == 0 then redis.call('HSET', gk, 'host', '', 'locked', '0', 'pc', '', 'v', '0', 'seq', '0') end
  local seq = redis.call('HINCRBY', gk, 'seq', 1)
  redis.call('HSET', rk, id, seq .. '|' .. expiry .. '|' .. body)
  redis.call('HSET', bk, id, binding)
  redis.call('SET', P .. 'm:' .. id, room)
  redis.call('SADD', P .. 'n:' .. node, id)
  local changed = 0
  if host or redis.call('HGET', gk, 'host') == '' then changed = makeHost(id) end
  return {'OK', id, resumed, '', changed, redis.call('HLEN', rk), roomState(gk), {}, peers}
end

if claim ~= '' and claim ~= '-' and redis.call('EXISTS', P .. 't:' .. claim) == 0 then
  local at = redis.call('GET', P .. 'm:' .. claim)
  if at == room then
    -- Kept: the seat, its join order and its held signals are the member's; the lock and passcode are for newcomers.
    local record = redis.call('HGET', rk, claim)
    local old = redis.call('HGET', bk, claim) or ''
    local oldNode, oldSid = nodeOf(old), sidOf(old)
    if oldNode and oldSid ~= '' then redis.call('SREM', P .. 'n:' .. oldNode, claim) end
    local keptExpiry = math.max(expiryOf(record) or 0, expiry)
    redis.call('HSET', rk, claim, seqOf(record) .. '|' .. keptExpiry .. '|' .. body)
    redis.call('HSET', bk, claim, binding)
    redis.call('SADD', P .. 'n:' .. node, claim)
    redis.call('ZREM', P .. 'away', claim)
    local held = redis.call('LRANGE', P .. 'h:' .. claim, 0, -1)
    redis.call('DEL', P .. 'h:' .. claim)
    local changed = host and makeHost(claim) or 0
    return {'OK', claim, 'kept', oldSid, changed, redis.call('HLEN', rk), roomState(gk), held, roster(claim, false)}
  elseif not at then
    return create(claim, 'restored')
  end
end
if requireCredential then return {'REFUSED', 'UNAUTHORIZED'} end
if not host and redis.call('EXISTS', gk) == 1 then
  local gate = redis.call('HMGET', gk, 'locked', 'pc', 'v')
  if gate[1] == '1' then return {'REFUSED', 'ROOM_LOCKED'} end
  if gate[2] and gate[2] ~= '' then
    if not hasPasscode then return {'REFUSED', 'PASSCODE_REQUIRED'} end
    -- The node verifies the passcode (scrypt is too slow for a script) against this very record.
    if checkedVersion ~= gate[3] then return {'VERIFY', gate[2], gate[3]} end
    if verdict ~= '1' then return {'REFUSED', 'PASSCODE_WRONG'} end
  end
end
return create(freshId, claim == '' and '' or 'refused')
`;

/** leave: ARGV = P, room, id, binding that must still hold it ('' = any). -> ended | nil */
export const LEAVE = `${COMMON}
local room, id, binding = ARGV[2], ARGV[3], ARGV[4]
if binding ~= '' and redis.call('HGET', P .. 'b:' .. room, id) ~= binding then return nil end
return finish(id, room)
`;

/** away: ARGV = P, room, id, binding, ms since last heard, grace ms. -> grace end | 0 when not ours | -1 when unknown */
export const AWAY = `${COMMON}
local room, id, binding, ago, grace = ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6])
local bk = P .. 'b:' .. room
local current = redis.call('HGET', bk, id)
if not current then return -1 end
if current ~= binding then return 0 end
local node = nodeOf(binding)
redis.call('HSET', bk, id, node .. '|')
redis.call('SREM', P .. 'n:' .. node, id)
local ends = now - ago + grace
redis.call('ZADD', P .. 'away', ends, id)
return ends
`;

/** media: ARGV = P, room, id, binding, member JSON. -> 1 | 0 when not ours */
export const MEDIA = `${COMMON}
local room, id, binding, body = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
if redis.call('HGET', P .. 'b:' .. room, id) ~= binding then return 0 end
local rk = P .. 'r:' .. room
local record = redis.call('HGET', rk, id)
redis.call('HSET', rk, id, seqOf(record) .. '|' .. expiryOf(record) .. '|' .. body)
return 1
`;

/** A host's control: ARGV = P, room, actor, binding, what ('pc' | 'locked' | 'remove'), value. */
export const HOST = `${COMMON}
local room, actor, binding, what, value = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local gk = P .. 'g:' .. room
if redis.call('HGET', P .. 'b:' .. room, actor) ~= binding or redis.call('HGET', gk, 'host') ~= actor then return {'REFUSED', 'FORBIDDEN'} end
if what == 'remove' then
  if value == actor then return {'REFUSED', 'UNKNOWN_PEER'} end
  local target = redis.call('HGET', P .. 'b:' .. room, value)
  if not target then return {'REFUSED', 'UNKNOWN_PEER'} end
  return {'OK', sidOf(target), finish(value, room)}
end
redis.call('HSET', gk, what, value)
redis.call('HINCRBY', gk, 'v', 1)
return {'OK'}
`;

/**
 * sweep: ARGV = P, this node, grace ms, ms after which a silent node is dead. Beats for this
 * node, releases the members of dead nodes, and ends the away members whose grace is over.
 * -> {ended..., } each {id, room, dropped, hostChanged, why}
 */
export const SWEEP = `${COMMON}
local self, grace, deadAfter = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('ZADD', P .. 'nodes', now, self)
local dead = redis.call('ZRANGEBYSCORE', P .. 'nodes', '-inf', now - deadAfter, 'WITHSCORES')
for i = 1, #dead, 2 do
  release(dead[i], tonumber(dead[i + 1]), grace)
  redis.call('ZREM', P .. 'nodes', dead[i])
end
local out = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', P .. 'away', '-inf', now, 'LIMIT', 0, 200)) do
  local room = redis.call('GET', P .. 'm:' .. id)
  local binding = room and redis.call('HGET', P .. 'b:' .. room, id)
  local ended = binding and sidOf(binding) == '' and finish(id, room)
  if ended then table.insert(out, ended) else redis.call('ZREM', P .. 'away', id) end
end
return {out, redis.call('ZCARD', P .. 'away')}
`;

/** drain: ARGV = P, this node, grace ms. Its members become away now; the node leaves the list. */
export const DRAIN = `${COMMON}
local self, grace = ARGV[2], tonumber(ARGV[3])
redis.call('ZREM', P .. 'nodes', self)
return release(self, now, grace)
`;

/**
 * restore, after Redis was unreachable: ARGV = P, this node, grace ms, then per live member: id,
 * room, binding, member record ("<expiry>|<JSON>"). Members Redis lost are written back (a restart
 * without persistence); members bound to this node that no longer have a socket become away.
 * -> {restored count, released count, {id, held...}...}
 */
export const RESTORE = `${COMMON}
local self, grace = ARGV[2], tonumber(ARGV[3])
redis.call('ZADD', P .. 'nodes', now, self)
local live, restored, rebound = {}, 0, {}
for i = 4, #ARGV, 4 do
  local id, room, binding, record = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  live[id] = true
  local rk, bk, gk = P .. 'r:' .. room, P .. 'b:' .. room, P .. 'g:' .. room
  local at = redis.call('GET', P .. 'm:' .. id)
  if not at and redis.call('EXISTS', P .. 't:' .. id) == 0 then
    if redis.call('EXISTS', gk) == 0 then redis.call('HSET', gk, 'host', id, 'locked', '0', 'pc', '', 'v', '0', 'seq', '0') end
    redis.call('HSET', rk, id, redis.call('HINCRBY', gk, 'seq', 1) .. '|' .. record)
    redis.call('HSET', bk, id, binding)
    redis.call('SET', P .. 'm:' .. id, room)
    redis.call('SADD', P .. 'n:' .. self, id)
    restored = restored + 1
  elseif at == room and redis.call('HGET', bk, id) == self .. '|' then
    -- Taken for away while this node could not beat: it is here after all.
    redis.call('HSET', bk, id, binding)
    redis.call('SADD', P .. 'n:' .. self, id)
    redis.call('ZREM', P .. 'away', id)
    local held = redis.call('LRANGE', P .. 'h:' .. id, 0, -1)
    redis.call('DEL', P .. 'h:' .. id)
    table.insert(rebound, {id, held})
  end
end
local released = 0
for _, id in ipairs(redis.call('SMEMBERS', P .. 'n:' .. self)) do
  if not live[id] then
    local room = redis.call('GET', P .. 'm:' .. id)
    local bk = room and (P .. 'b:' .. room)
    local binding = bk and redis.call('HGET', bk, id)
    if binding and nodeOf(binding) == self and sidOf(binding) ~= '' then
      redis.call('HSET', bk, id, self .. '|')
      redis.call('ZADD', P .. 'away', now + grace, id)
      released = released + 1
    end
    redis.call('SREM', P .. 'n:' .. self, id)
  end
end
return {restored, released, rebound}
`;
