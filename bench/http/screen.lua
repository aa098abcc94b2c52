-- wrk script: POST /v1/screen with a bearer token and a message file as the
-- body (CP_BODY: path, set by bench/http.sh).
local token = os.getenv("CP_TOKEN")
local f = assert(io.open(os.getenv("CP_BODY"), "rb"))
local body = f:read("*a")
f:close()
wrk.method = "POST"
wrk.body = body
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Content-Type"] = "text/plain"
-- non-2xx answers, so that a fast stream of errors is not read as speed
done = function(summary, latency, requests)
  io.write(string.format("non-200 answers: %d\n", summary.errors.status))
end
