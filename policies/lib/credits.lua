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

-- The element of `list` whose id is `id` (when given), then those whose `field` is `value`
-- (document order), each once. Looked up, so the cost does not grow with the state.
local function named_then_naming(list, id, field, value)
  local named = id and pp.find(list, id)
  local found = { named }
  for _, element in ipairs(pp.find_all(list, field, value)) do
    if element ~= named then found[#found + 1] = element end
  end
  return found
end

-- The credits on Azure subscription `sub`: the one its credit field names, then those whose
-- azure_subscription names it.
function credits.on_subscription(state, sub)
  return named_then_naming(state.credits, sub.credit, "azure_subscription", sub.id)
end

-- The Azure subscriptions linked to `credit`: the one its azure_subscription names, then those
-- whose credit field names it.
function credits.subscriptions_of(state, credit)
  return named_then_naming(state.azure_subscriptions, credit.azure_subscription, "credit", credit.id)
end

return credits
