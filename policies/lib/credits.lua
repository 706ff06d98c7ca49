-- policies/lib/credits.lua: Azure credit statuses and validity shared by the credit rules.
-- Policies read it as lib.credits (read-only).

local credits = {}

-- Whether Partner Center shows a credit with this status as usable (Redeemed or Active).
function credits.in_use(status)
  return status == "redeemed" or status == "active"
end

-- The last day a monthly credit valid for `months` months is valid, or nil when it was never
-- activated: the day before the anniversary (pp.add_months, clamped to the month's last day), as
-- a membership from 2026-01-15 ends on 2027-01-14.
function credits.last_valid_day(credit, months)
  return credit.activated_on and pp.add_months(pp.date(credit.activated_on), months) - 1
end

return credits
