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

-- The credits on Azure subscription `sub`: the one its credit field names, then those whose
-- azure_subscription names it (document order). Looked up, so the cost does not grow with the
-- state.
function credits.on_subscription(state, sub)
  local named = sub.credit and pp.find(state.credits, sub.credit)
  local on = { named }
  for _, credit in ipairs(pp.find_all(state.credits, "azure_subscription", sub.id)) do
    if credit ~= named then on[#on + 1] = credit end
  end
  return on
end

-- The Azure subscriptions linked to `credit`: the one its azure_subscription names, then those
-- whose credit field names it (document order). Looked up, as on_subscription.
function credits.subscriptions_of(state, credit)
  local named = credit.azure_subscription and pp.find(state.azure_subscriptions, credit.azure_subscription)
  local linked = { named }
  for _, sub in ipairs(pp.find_all(state.azure_subscriptions, "credit", credit.id)) do
    if sub ~= named then linked[#linked + 1] = sub end
  end
  return linked
end

return credits
