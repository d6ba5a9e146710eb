-- wrk -s contrib/bench/paths.lua with BENCH_PATHS naming a file of
-- paths, one a line: each connection asks for them in turn
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local i = 0
request = function()
    i = i % #paths + 1
    return wrk.format("GET", paths[i])
end
