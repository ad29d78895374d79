-- Requests as many owners, some of them writes: the owners benchmark (bench/owners.mjs).
-- Arguments: a file of tokens, one a line; the share of requests that POST /todos (0 to 1,
-- the rest GET it); wrk's thread count.
-- wrk tells a script nothing of its connections, so an owner cannot be pinned to one: each
-- thread takes its own slice of the owners instead and asks as each of them in turn, so every
-- owner gets an even share and no two threads ask as the same owner.
local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  local tokens = {}
  for line in io.lines(args[1]) do
    if line ~= "" then tokens[#tokens + 1] = line end
  end
  writes = tonumber(args[2])
  local slice = math.max(1, math.floor(#tokens / tonumber(args[3])))
  -- Whole requests, built once: formatting one per request would cost wrk's own CPU.
  gets, posts = {}, {}
  for k = 0, slice - 1 do
    -- More threads than owners: the slices wrap round rather than come out empty.
    local auth = "Bearer " .. tokens[(id * slice + k) % #tokens + 1]
    gets[#gets + 1] = wrk.format("GET", wrk.path, { Authorization = auth })
    posts[#posts + 1] = wrk.format("POST", wrk.path, {
      Authorization = auth,
      ["Content-Type"] = "application/json",
    }, '{"content":"benchmark todo"}')
  end
  turn = 0
  -- A seed of its own per thread, and the same every run: the writes fall alike each time.
  math.randomseed(id + 1)
end

function request()
  turn = turn % #gets + 1
  if writes > 0 and math.random() < writes then return posts[turn] end
  return gets[turn]
end
