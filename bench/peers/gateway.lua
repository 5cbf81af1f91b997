-- The gateway workload in Lua for nginx + lua-nginx-module: the same work as the element's hook
-- files (bench/elements/workload/hooks/pre.js and post.js). Configuration as constants.
local cjson = require "cjson.safe"
local hmac = require "openssl.hmac"

local API_KEY, API_SECRET, PAGE_SIZE = "bench-key", "bench-secret", "50"

local M = {}

local function trim(s) return (s:gsub("^%s+", ""):gsub("%s+$", "")) end

-- rewrite phase: sign METHOD\nPATH\nTIMESTAMP, set pageSize, drop debug, vendor path /v2/...
function M.pre()
  local path = "/v2" .. ngx.var.uri
  local ts = ngx.var.http_x_request_time or string.format("%d", ngx.now() * 1000)
  local sig = ngx.encode_base64(hmac.new(API_SECRET, "sha256"):final(ngx.req.get_method() .. "\n" .. path .. "\n" .. ts))
  ngx.req.set_header("Authorization", "HMAC-SHA256 " .. API_KEY .. ":" .. sig)
  ngx.req.set_header("X-Api-Timestamp", ts)
  local args = ngx.req.get_uri_args()
  args.pageSize = PAGE_SIZE
  args.debug = nil
  ngx.req.set_uri_args(args)
  ngx.req.set_uri(path)
end

function M.header()
  ngx.header.content_length = nil
  ngx.header.content_type = "application/json"
end

local function map(r)
  local lines = {}
  for i, it in ipairs(r.items) do
    lines[i] = { sku = it.sku, name = trim(it.name), quantity = it.quantity, totalCents = it.quantity * it.unit_price_cents }
  end
  local rc = r.received
  return {
    id = tostring(r.id),
    fullName = trim(r.first_name) .. " " .. trim(r.last_name),
    email = trim(r.email):lower(),
    status = r.status:lower(),
    company = { name = r.company.name, domain = r.company.domain:lower() },
    phone = r.contact.phone,
    address = { street = r.address.street, city = r.address.city, postcode = r.address.postcode,
                country = r.address.country_code:upper() },
    location = { lat = r.address.geo.lat, lng = r.address.geo.lng },
    owner = r.owner.first .. " " .. r.owner.last,
    ownerEmail = r.owner.email:lower(),
    tags = table.concat(r.tags, ";"),
    lines = lines,
    itemCount = #r.items,
    createdAt = r.created_at,
    updatedAt = r.updated_at,
    vendorReceived = { authorization = rc.authorization, timestamp = rc.timestamp, pageSize = rc.page_size,
                       debug = rc.debug, status = rc.status },
  }
end

-- body filter: buffer every chunk, map once the last one is in
function M.body()
  local ctx = ngx.ctx
  local chunk, eof = ngx.arg[1], ngx.arg[2]
  if chunk ~= "" then
    ctx.chunks = ctx.chunks or {}
    ctx.chunks[#ctx.chunks + 1] = chunk
    ngx.arg[1] = nil
  end
  if eof then
    local record = cjson.decode(table.concat(ctx.chunks or {}))
    if type(record) == "table" and ngx.status == 200 then
      ngx.arg[1] = cjson.encode(map(record))
    else
      ngx.arg[1] = table.concat(ctx.chunks or {})
    end
  end
end

return M
