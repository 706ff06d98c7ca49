-- policies/credits/monthly_validity.lua
--
-- Azure monthly credits are valid for `validity_months` (13) months from benefit activation;
-- afterwards they are gone and the subscription keeps running only as pay-as-you-go.
--
-- Counting: the credits are gone from the day `validity_months` calendar months after
-- activated_on (pp.add_months, clamped to the month's last day); the last valid day is the day
-- before, as a membership starting on 2026-01-15 ends on 2027-01-14. So activation on
-- 2026-03-05 is valid through 2027-04-04, and activation on 2026-01-29, -30 or -31 is valid
-- through 2027-02-27 (2027-02-28 is the clamped anniversary).

-- Whether Partner Center shows a credit's status as usable (Redeemed or Active).
local in_use = lib.credits.in_use

-- Last valid day of a monthly credit, or nil when it is not activated.
local function last_valid_day(credit, months)
  if credit.kind ~= "monthly" or credit.activated_on == nil then
    return nil
  end
  return pp.add_months(pp.date(credit.activated_on), months) - 1
end

local function subscription_words(credit)
  if credit.azure_subscription ~= nil then
    return "Azure subscription " .. credit.azure_subscription
  end
  return "its Azure subscription"
end

-- A monthly credit other than `credit` that is still in use and valid on `today`, or nil.
local function other_valid_credit(state, credit, months, today)
  for _, other in ipairs(state.credits) do
    if other.id ~= credit.id and in_use(other.status) then
      local last = last_valid_day(other, months)
      if last ~= nil and last >= today then
        return other
      end
    end
  end
  return nil
end

-- "monthly credit MC-3 was activated on 2025-10-01 and was valid for 13 months, until 2026-10-31"
local function lapsed_words(credit, last, months)
  return ("monthly credit %s was activated on %s and was valid for %d months, until %s"):format(
    credit.id, credit.activated_on, months, pp.date_string(last))
end

local function pay_as_you_go_remedy(credit)
  return ("to keep the resources on %s running, convert it to pay-as-you-go by removing its spending limit in the "
    .. "Azure portal"):format(subscription_words(credit))
end

-- credit.assign and credit.reassign: no point giving a lapsed credit to anyone.
local function judge_assignment(req, state, ctx)
  local months = ctx.params.validity_months
  local credit = req.credit
  local last = last_valid_day(credit, months)
  if last == nil then
    return nil
  end
  if ctx.as_of > last then
    local other = other_valid_credit(state, credit, months, ctx.as_of)
    local instead
    if other ~= nil then
      instead = ("assign the user to a monthly credit that is still valid, such as %s"):format(other.id)
    else
      instead = "assign the user to a monthly credit that is still valid (none is recorded: renew the membership to be awarded one)"
    end
    return pp.deny(
      ("%s; its credits are no longer available, so it cannot be given to a user"):format(
        lapsed_words(credit, last, months)),
      instead)
  end
  return pp.allow(("monthly credit %s is valid until %s (%d months from activation on %s)"):format(
      credit.id, pp.date_string(last), months, credit.activated_on),
    { valid_until = pp.date_string(last) })
end

---@type Rule
return {
  id = "credits.monthly.validity",
  title = "Monthly Azure credits are valid for 13 months from activation",
  severity = "error",
  source = { seed = "001_5c53631e905999a7.txt", section = "How long are monthly credits valid?" },
  description = "Azure monthly credits are valid for validity_months (13) months from benefit activation "
    .. "(activated_on); then they are no longer available and the subscription must be converted to "
    .. "pay-as-you-go (remove the spending limit) to keep running (seed 001, FAQ 'How long are monthly credits "
    .. "valid?'). The credits are gone from activated_on + validity_months (pp.add_months, clamped: a 2026-01-31 "
    .. "activation lapses on 2027-02-28), so the last valid day is the day before (2027-02-27). check reports a "
    .. "monthly credit past its last valid day whose status is still active or redeemed. decide: credit.use, "
    .. "credit.assign and credit.reassign on a monthly credit past its last valid day are denied; on a valid one "
    .. "they are allowed with the fact valid_until; not-activated credits are not this rule's concern. alerts: a "
    .. "monthly credit that is active or redeemed and whose last valid day falls on or after today is announced on "
    .. "that day, as a warning.",
  params = { validity_months = 13 },
  constrains = { "credits.status", "credits.balance", "credits.assignments" },
  no_say = {
    ["credit.activate"] = "activation starts the 13 months this rule counts; a credit not yet activated has nothing that lapsed",
  },

  check = function(state, ctx)
    local months = ctx.params.validity_months
    for _, credit in ipairs(state.credits) do
      local last = last_valid_day(credit, months)
      if last ~= nil and ctx.as_of > last and in_use(credit.status) then
        ctx.report{
          at = credit,
          message = ("%s, but it is still recorded as %s"):format(lapsed_words(credit, last, months), credit.status),
          remedy = ("record credit %s as expired; %s"):format(credit.id, pay_as_you_go_remedy(credit)),
        }
      end
    end
  end,

  alerts = function(state, ctx)
    local months = ctx.params.validity_months
    for _, credit in ipairs(state.credits) do
      local last = last_valid_day(credit, months)
      if last ~= nil and in_use(credit.status) and last >= ctx.as_of and last <= ctx.horizon then
        ctx.alert{
          at = credit,
          on = last,
          severity = "warning", -- a lapse to come; the check reports it as an error once past
          message = ("monthly credit %s (activated on %s) is valid until %s; from %s its credits are no longer available"):format(
            credit.id, credit.activated_on, pp.date_string(last), pp.date_string(last + 1)),
          remedy = ("before %s, %s; the credit itself cannot be extended"):format(
            pp.date_string(last + 1), pay_as_you_go_remedy(credit)),
        }
      end
    end
  end,

  decide = {
    ["credit.use"] = function(req, state, ctx)
      local months = ctx.params.validity_months
      local credit = req.credit
      local last = last_valid_day(credit, months)
      if last == nil then
        return nil
      end
      if ctx.as_of > last then
        return pp.deny(
          ("%s; its credits are no longer available"):format(lapsed_words(credit, last, months)),
          ("the credits cannot be restored: %s"):format(pay_as_you_go_remedy(credit)))
      end
      return pp.allow(("monthly credit %s can be consumed until %s (%d months from activation on %s)"):format(
          credit.id, pp.date_string(last), months, credit.activated_on),
        { valid_until = pp.date_string(last) })
    end,
    ["credit.assign"] = judge_assignment,
    ["credit.reassign"] = judge_assignment,
  },
}
