-- wrk script: counts responses by status (200, 429, anything else) over all threads, and prints
--   STATUS 200=<n> 429=<n> other=<n> seconds=<duration>
-- at the end. With THINK_MS=<ms> in the environment, each connection waits that long before each
-- request (wrk's delay()), i.e. a client that pauses between calls instead of retrying at once.
-- Used by bench/throttle-isolation.sh.

local think = tonumber(os.getenv("THINK_MS") or "0") or 0
if think > 0 then
  function delay()
    return think
  end
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  ok, refused, other = 0, 0, 0
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
  elseif status == 429 then
    refused = refused + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local a, b, c = 0, 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("ok")
    b = b + t:get("refused")
    c = c + t:get("other")
  end
  io.write(string.format("STATUS 200=%d 429=%d other=%d seconds=%.3f\n", a, b, c, summary.duration / 1e6))
end
