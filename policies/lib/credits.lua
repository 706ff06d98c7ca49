-- policies/lib/credits.lua: Azure credit statuses shared by the credit rules.
-- Policies read it as lib.credits (read-only).

local credits = {}

-- Whether Partner Center shows a credit with this status as usable (Redeemed or Active).
function credits.in_use(status)
  return status == "redeemed" or status == "active"
end

return credits
