-- http_2207.lua — wrk script for bench/http: signed national 2207 settlements (x-tif-* headers:
-- signature = SHA-256 hex of timestamp..secret..nonce..timestamp, src/http/sign.c) for random
-- insured people, a fresh msgid and nonce per request. Env: GJ_PAASID, GJ_SECRET, GJ_CODE,
-- GJ_PEOPLE (a file of "psn_no certno insutype" lines). done() prints p50/p99/p999 and the
-- count of answers that were not infcode 0.
local bit = require("bit")
local band, bor, bxor, bnot, rshift, lshift, ror, tobit, tohex =
  bit.band, bit.bor, bit.bxor, bit.bnot, bit.rshift, bit.lshift, bit.ror, bit.tobit, bit.tohex

local K = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
}

local function sha256_hex(msg)
  local len = #msg
  msg = msg .. "\128" .. string.rep("\0", (55 - len) % 64) .. "\0\0\0\0" ..
    string.char(band(rshift(len * 8, 24), 255), band(rshift(len * 8, 16), 255),
                band(rshift(len * 8, 8), 255), band(len * 8, 255))
  local H = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19}
  local w = {}
  for i = 1, #msg, 64 do
    for j = 0, 15 do
      local a, b, c, d = msg:byte(i + j * 4, i + j * 4 + 3)
      w[j] = bor(lshift(a, 24), lshift(b, 16), lshift(c, 8), d)
    end
    for j = 16, 63 do
      local s0 = bxor(ror(w[j - 15], 7), ror(w[j - 15], 18), rshift(w[j - 15], 3))
      local s1 = bxor(ror(w[j - 2], 17), ror(w[j - 2], 19), rshift(w[j - 2], 10))
      w[j] = tobit(w[j - 16] + s0 + w[j - 7] + s1)
    end
    local a, b, c, d, e, f, g, h = H[1], H[2], H[3], H[4], H[5], H[6], H[7], H[8]
    for j = 0, 63 do
      local S1 = bxor(ror(e, 6), ror(e, 11), ror(e, 25))
      local ch = bxor(band(e, f), band(bnot(e), g))
      local t1 = tobit(h + S1 + ch + K[j + 1] + w[j])
      local S0 = bxor(ror(a, 2), ror(a, 13), ror(a, 22))
      local maj = bxor(band(a, b), band(a, c), band(b, c))
      h, g, f, e, d, c, b, a = g, f, e, tobit(d + t1), c, b, a, tobit(t1 + S0 + maj)
    end
    H[1], H[2], H[3], H[4] = tobit(H[1] + a), tobit(H[2] + b), tobit(H[3] + c), tobit(H[4] + d)
    H[5], H[6], H[7], H[8] = tobit(H[5] + e), tobit(H[6] + f), tobit(H[7] + g), tobit(H[8] + h)
  end
  local out = {}
  for i = 1, 8 do out[i] = tohex(H[i], 8) end
  return table.concat(out)
end

local threads, next_id = {}, 0
function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local paasid, secret, code = os.getenv("GJ_PAASID"), os.getenv("GJ_SECRET"), os.getenv("GJ_CODE")
local people, counter = {}, 0
bad = 0
function init(args)
  for line in io.lines(os.getenv("GJ_PEOPLE")) do
    local psn, cert, insutype = line:match("(%S+) (%S+) (%S+)")
    if psn then table.insert(people, {psn, cert, insutype}) end
  end
  math.randomseed(1000 + tid)
end

function request()
  counter = counter + 1
  local p = people[math.random(#people)]
  local ts = tostring(os.time())
  local nonce = string.format("w%02d-%010d-%09d", tid, counter, math.random(999999999))   -- 16..64 chars
  local msgid = string.format("%s%02d%014d", code, tid, counter)
  local body = string.format('{"infno":"2207","msgid":"%s","fixmedins_code":"%s","mdtrtarea_admvs":"430100",' ..
    '"opter":"BENCH","opter_type":"1","input":{"data":{"psn_no":"%s","mdtrt_cert_type":"02",' ..
    '"mdtrt_cert_no":"%s","med_type":"11","medfee_sumamt":"12.00","psn_setlway":"01",' ..
    '"insutype":"%s","acct_used_flag":"1","fulamt_ownpay_amt":"2.00"}}}', msgid, code, p[1], p[2], p[3])
  local headers = {
    ["Content-Type"] = "application/json",
    ["x-tif-paasid"] = paasid, ["x-tif-timestamp"] = ts, ["x-tif-nonce"] = nonce,
    ["x-tif-signature"] = sha256_hex(ts .. secret .. nonce .. ts),
  }
  return wrk.format("POST", "/fsi/api/callService", headers, body)
end

function response(status, headers, body)
  if status ~= 200 or not body:find('"infcode":0', 1, true) then
    bad = bad + 1
    if bad == 1 then io.stderr:write("not settled: " .. status .. " " .. body:sub(1, 300) .. "\n") end
  end
end

function done(summary, latency, requests)
  local not_ok = 0
  for _, t in ipairs(threads) do not_ok = not_ok + t:get("bad") end
  local e = summary.errors
  io.write(string.format("RESULT requests=%d seconds=%.3f p50_ms=%.2f p99_ms=%.2f p999_ms=%.2f not_ok=%d " ..
    "errors=connect:%d,read:%d,write:%d,status:%d,timeout:%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(99) / 1e3,
    latency:percentile(99.9) / 1e3, not_ok, e.connect, e.read, e.write, e.status, e.timeout))
end
