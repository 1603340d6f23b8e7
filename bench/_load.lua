-- wrk script for bench/load.ts: the same mix as its node clients (month by owner, one owner's
-- month by project, one owner's month by day), with the bearer token.
local range, token
local counter = 0

function init(args)
  range = args[1]
  token = args[2]
end

function request()
  counter = counter + 1
  local owner = "user-" .. (counter % 200)
  local k = counter % 3
  local path
  if k == 0 then
    path = "/api/v1/usage?groupBy=owner&" .. range
  elseif k == 1 then
    path = "/api/v1/users/" .. owner .. "/usage?" .. range
  else
    path = "/api/v1/usage?owner=" .. owner .. "&step=day&" .. range
  end
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
end
