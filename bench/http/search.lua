-- wrk script: GET /v1/search with a bearer token, cycling through names
-- (listed ones, near misses and clean ones), as an analyst's search box would.
-- Token from the environment (CP_TOKEN), set by bench/http.sh.
local token = os.getenv("CP_TOKEN")
local names = {
  "Aerocaribbean Airlines", "Tactical Missile Corporation", "Vladimir Putin", "Hans Muller",
  "Banco Nacional de Cuba", "VTB Bank", "Erika Mustermann", "Kim Jong Un",
  "Rosoboronexport", "Siemens AG", "Mohammed Ali", "Marshal Zhukov",
}
local paths = {}
for i, n in ipairs(names) do
  paths[i] = "/v1/search?limit=10&name=" .. n:gsub(" ", "%%20")
end
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], { ["Authorization"] = "Bearer " .. token })
end
done = function(summary, latency, requests)
  io.write(string.format("non-200 answers: %d\n", summary.errors.status))
end
