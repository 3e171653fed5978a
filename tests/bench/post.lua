-- wrk script: POSTs valid, varied responses to the default survey, each with its own submission id
-- (thread number, then a counter), so every request is a new response to store.
local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("tid", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

local awareness = { "not_heard", "heard_not_content", "know_whats_in_it" }
local values = { "working_together", "respect_dignity", "commitment_to_quality", "compassion", "improving_lives", "everyone_counts" }
local agree = { "strongly_disagree", "disagree", "neither", "agree", "strongly_agree" }
local contexts = { '"clinical"', '"community"', '"corporate"', '"estates"', "null" }
local counter = 0

function init(args)
  math.randomseed(tid * 7919 + 17)
end

request = function()
  counter = counter + 1
  local n = counter
  local lived = {}
  for i, v in ipairs(values) do
    lived[i] = string.format('"%s":%d', v, (n + i) % 5 + 1)
  end
  local body = string.format(
    '{"submission_id":"%08x%08x%016x","survey_version":1,"context":%s,"answers":{"awareness":"%s","values_lived":{%s},"focus_value":"%s","shared_purpose":"%s"}}',
    tid, math.random(0, 0x7fffffff), n,
    contexts[n % #contexts + 1], awareness[n % #awareness + 1], table.concat(lived, ","),
    values[n % #values + 1], agree[n % #agree + 1])
  return wrk.format("POST", nil, { ["content-type"] = "application/json" }, body)
end

done = function(summary, latency, requests)
  local bad = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, bad))
end
