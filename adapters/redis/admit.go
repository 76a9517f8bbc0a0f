package redis

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	goredis "github.com/redis/go-redis/v9"

	"advisorybot/bot"
)

// admitScript is bot.Gate in one round trip. KEYS are, in order and each
// only when used: the event key, the rate-limit keys, the conversation key.
// ARGV, read in order:
//
//	dedupe ttl ms ("0": no event key)
//	number of limits, then per limit: max, window ms
//	conversation ttl ms ("0": no conversation key)
//	note title, year, age, id ("" = not said)
//	seed flag ("1"/"0"), then, when "1": seed title, year, age, id
//
// It returns {duplicate, limited (1-based among the limits passed, 0 none),
// had conversation, title, year, age, id}. The conversation is a hash with
// fields title, year, age, id; the note is applied exactly as
// bot.Thread.Apply does (adapters/storetest holds the table both pass).
// The rate-limit step is the fixed window of allowScript, PTTL repair
// included.
var admitScript = goredis.NewScript(`
local k, a = 1, 1
local function arg()
  local v = ARGV[a]
  a = a + 1
  return v
end
local dedupe = arg()
if dedupe ~= '0' then
  if not redis.call('SET', KEYS[k], '1', 'NX', 'PX', dedupe) then
    return {1, 0, 0}
  end
  k = k + 1
end
for i = 1, tonumber(arg()) do
  local max, window = tonumber(arg()), arg()
  local n = redis.call('INCR', KEYS[k])
  if n == 1 or redis.call('PTTL', KEYS[k]) < 0 then
    redis.call('PEXPIRE', KEYS[k], window)
  end
  if n > max then
    return {0, i, 0}
  end
  k = k + 1
end
local ttl = arg()
if ttl == '0' then
  return {0, 0, 0}
end
local key = KEYS[k]
local title, year, age, id = arg(), arg(), arg(), arg()
local t, had = {'', '', '', ''}, 0
local kind = redis.call('TYPE', key).ok
if kind == 'hash' then
  local v = redis.call('HMGET', key, 'title', 'year', 'age', 'id')
  for i = 1, 4 do
    if v[i] then t[i] = v[i] end
  end
  had = 1
elseif arg() == '1' then
  for i = 1, 4 do t[i] = arg() end
  had = 1
end
-- A number edited by hand into something else is dropped, not returned.
for i = 2, 3 do
  if #t[i] > 9 or not string.match(t[i], '^%-?%d+$') then t[i] = '' end
end
if id ~= '' then
  t[4], t[1], t[2] = id, '', ''
elseif title ~= '' then
  t[1], t[2], t[4] = title, year, ''
elseif year ~= '' then
  t[2] = year
end
if age ~= '' then t[3] = age end
local names, set, del = {'title', 'year', 'age', 'id'}, {}, {}
for i = 1, 4 do
  if t[i] ~= '' then
    set[#set + 1] = names[i]
    set[#set + 1] = t[i]
  else
    del[#del + 1] = names[i]
  end
end
if #set == 0 or (kind ~= 'hash' and kind ~= 'none') then
  redis.call('DEL', key)
elseif #del > 0 then
  redis.call('HDEL', key, unpack(del))
end
if #set > 0 then
  redis.call('HSET', key, unpack(set))
  redis.call('PEXPIRE', key, ttl)
end
return {0, 0, had, t[1], t[2], t[3], t[4]}`)

// Admit implements bot.Gate with one script call: one round trip (two,
// EVALSHA then EVAL, the first time after Redis lost its script cache).
func (s *Store) Admit(ctx context.Context, r bot.Admit) (bot.Admission, error) {
	return s.AdmitSeeded(ctx, r, nil)
}

// AdmitSeeded is Admit, except that when Redis holds no conversation at
// ThreadKey the note is applied to seed instead (when not nil), which then
// counts as a conversation that existed. The failover passes the thread it
// kept in memory, so that a conversation continued during an outage goes on
// after it, at no extra round trip.
func (s *Store) AdmitSeeded(ctx context.Context, r bot.Admit, seed *bot.Thread) (bot.Admission, error) {
	a := bot.Admission{LimitedBy: -1}
	if err := r.Validate(); err != nil {
		return a, err
	}
	tag := s.prefix + hashTag(r.Scope) + ":"
	keys := make([]string, 0, 2+len(r.Limits))
	args := make([]any, 0, 9+2*len(r.Limits)+5)
	if r.EventKey != "" {
		keys = append(keys, tag+"event:"+r.EventKey)
		args = append(args, r.DedupeTTL.Milliseconds())
	} else {
		args = append(args, 0)
	}
	var limits []int // index in r.Limits of each limit passed
	for i, l := range r.Limits {
		if l.Key != "" {
			limits = append(limits, i)
		}
	}
	args = append(args, len(limits))
	for _, i := range limits {
		l := r.Limits[i]
		keys = append(keys, tag+"rate:"+l.Key)
		args = append(args, l.Max, l.Window.Milliseconds())
	}
	if r.ThreadKey != "" {
		keys = append(keys, tag+"conv:"+r.ThreadKey)
		n := r.Note
		args = append(args, r.ThreadTTL.Milliseconds(), n.Title, optInt(n.Year), optInt(n.Age), n.ID)
		if seed != nil {
			args = append(args, 1, seed.Title, optInt(seed.Year), optInt(seed.Age), seed.ID)
		} else {
			args = append(args, 0)
		}
	} else {
		args = append(args, 0)
	}
	if len(keys) == 0 {
		return a, nil // nothing to ask Redis
	}
	v, err := admitScript.Run(ctx, s.c, keys, args...).Slice()
	if err != nil {
		return a, fmt.Errorf("admitting a question in %s: %w", r.Scope, err)
	}
	if len(v) < 3 {
		return a, corrupt(fmt.Errorf("admitting a question in %s: script returned %v", r.Scope, v))
	}
	if dup, _ := v[0].(int64); dup == 1 {
		a.Duplicate = true
		return a, nil
	}
	if i, _ := v[1].(int64); i > 0 {
		if int(i) > len(limits) {
			return a, corrupt(fmt.Errorf("admitting a question in %s: script named limit %d of %d", r.Scope, i, len(limits)))
		}
		a.LimitedBy = limits[i-1]
		return a, nil
	}
	if r.ThreadKey == "" {
		return a, nil
	}
	if len(v) != 7 {
		return a, corrupt(fmt.Errorf("admitting a question in %s: script returned %v", r.Scope, v))
	}
	had, _ := v[2].(int64)
	a.HadThread = had == 1
	f := make([]string, 4)
	for i := range f {
		f[i], _ = v[3+i].(string)
	}
	a.Thread.Title, a.Thread.ID = f[0], f[3]
	if a.Thread.Year, err = parseOptInt(f[1]); err == nil {
		a.Thread.Age, err = parseOptInt(f[2])
	}
	if err != nil {
		return a, corrupt(fmt.Errorf("admitting a question in %s: conversation %s: %w", r.Scope, r.ThreadKey, err))
	}
	return a, nil
}

// hashTag makes scope a Redis Cluster hash tag, so that every key of one
// question hashes to one slot: braces and "%" are percent-encoded (a brace
// would end the tag early), and the empty scope, which would make "{}", no
// tag at all, becomes "%". Distinct scopes stay distinct.
func hashTag(scope string) string {
	switch {
	case scope == "":
		return "{%}"
	case strings.ContainsAny(scope, "{}%"):
		return "{" + tagEscaper.Replace(scope) + "}"
	}
	return "{" + scope + "}"
}

var tagEscaper = strings.NewReplacer("%", "%25", "{", "%7B", "}", "%7D")

func optInt(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}

func parseOptInt(s string) (*int, error) {
	if s == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return nil, err
	}
	return &n, nil
}
