-- policies/credits/monthly_membership_end.lua
--
-- A monthly Azure credit gives its amount every month until the end date of the membership it
-- came with (partner.membership.end, the membership's last day), whatever is left of its 13
-- months of validity. Once the membership has ended, nothing can be done with a monthly credit:
-- it cannot be used, assigned, reassigned, activated or put on a subscription. Renewing the
-- membership awards a new set of benefits, with new monthly credits.
--
-- credits.monthly.validity bounds the same credits by their 13 months from activation; each rule
-- judges its own bound, and this one reports a breach only where the membership end came first.

local in_use = lib.credits.in_use

local VERBS = {
  ["credit.use"] = "used",
  ["credit.assign"] = "assigned to a user",
  ["credit.reassign"] = "reassigned",
  ["credit.activate"] = "activated",
}

local function membership_end(state)
  return pp.date(state.partner.membership["end"])
end

-- Last valid day of a monthly credit by its validity (as credits.monthly.validity counts it), or
-- nil when it was never activated.
local function last_valid_day(credit, months)
  if credit.activated_on == nil then
    return nil
  end
  return pp.add_months(pp.date(credit.activated_on), months) - 1
end

-- "the membership of Contoso Ltd (Microsoft AI Cloud Partner Program Action Pack) ended on 2027-02-28"
local function ended_words(state)
  local partner = state.partner
  return ("the membership of %s (%s) ended on %s"):format(
    partner.name, partner.membership.offer, partner.membership["end"])
end

local RENEW = "a partner admin renews the membership (membership.renew): a renewal awards a new set of benefits, "
  .. "with new monthly credits"

local function monthly_ids(credits)
  local ids = {}
  for _, credit in ipairs(credits) do
    if credit.kind == "monthly" then
      ids[#ids + 1] = credit.id
    end
  end
  return ids
end

-- "monthly credit MC-1 comes every month until the membership ends on 2027-02-28 (before its 13
-- months from activation run out on 2027-04-04)"
local function until_words(state, credit, months)
  local text = ("monthly credit %s comes every month until the membership ends on %s"):format(
    credit.id, state.partner.membership["end"])
  local last = last_valid_day(credit, months)
  if last ~= nil and last > membership_end(state) then
    text = text .. (" (before its %d months from activation run out on %s)"):format(months, pp.date_string(last))
  end
  return text
end

-- " (valid by its 13 months from activation until 2027-04-04)". Alerts name only credits in use,
-- and the host refuses a state where such a credit has no activation date.
local function validity_words(last, months)
  return (" (valid by its %d months from activation until %s)"):format(months, pp.date_string(last))
end

-- credit.use, credit.assign, credit.reassign and credit.activate on one credit.
local function judge_credit(req, state, ctx)
  local credit = req.credit
  if credit.kind ~= "monthly" then
    return nil
  end
  local verb = VERBS[req.action]
  if ctx.as_of > membership_end(state) then
    return pp.deny(
      ("%s, and monthly credit %s comes only until the membership's end date, so it can no longer be %s"):format(
        ended_words(state), credit.id, verb),
      ("%s; use those instead of %s"):format(RENEW, credit.id))
  end
  return pp.allow(until_words(state, credit, ctx.params.validity_months),
    { membership_end = state.partner.membership["end"] })
end

local function judge_consolidation(req, state, ctx)
  local ended = ctx.as_of > membership_end(state)
  local ends = state.partner.membership["end"]
  if req.credits == nil then
    local ids = monthly_ids(state.credits)
    if #ids == 0 then
      return nil
    end
    if not ended then
      return pp.allow(("the monthly credits come every month until the membership ends on %s"):format(ends),
        { membership_end = ends })
    end
    if #ids == #state.credits then
      return pp.deny(
        ("%s, and every recorded credit (%s) is a monthly credit, which comes only until the membership's end "
          .. "date"):format(ended_words(state), table.concat(ids, ", ")),
        RENEW)
    end
    return pp.condition(
      ("the credits must not include monthly credits (%s): %s, and monthly credits come only until then"):format(
        table.concat(ids, ", "), ended_words(state)))
  end

  local ids = monthly_ids(req.credits)
  if #ids == 0 then
    return nil
  end
  if ended then
    return pp.deny(
      ("%s, and monthly credits come only until the membership's end date, so %s can no longer be put on Azure "
        .. "subscription %s"):format(ended_words(state), table.concat(ids, ", "), req.azure_subscription.id),
      ("leave out %s, or %s"):format(table.concat(ids, ", "), RENEW))
  end
  local which = ("monthly credits %s come"):format(lib.text.join(ids, "and"))
  if #ids == 1 then
    which = ("monthly credit %s comes"):format(ids[1])
  end
  return pp.allow(("%s every month until the membership ends on %s"):format(which, ends),
    { membership_end = ends })
end

---@type Rule
return {
  id = "credits.monthly.membership-end",
  title = "Monthly Azure credits end with the membership",
  severity = "error",
  source = { seed = "001_5c53631e905999a7.txt", section = "View your Azure credits in Partner Center" },
  description = "A monthly Azure credit brings its amount every month until the end date of the membership "
    .. "(partner.membership.end, its last day), even when its validity_months (13) from activation run longer "
    .. "(seed 001, 'View your Azure credits in Partner Center'); renewing awards a new set of benefits ('View and "
    .. "remove assigned users'). decide credit.use, credit.assign, credit.reassign and credit.activate on a "
    .. "monthly credit: denied after the membership end, the remedy being to renew; allowed up to and including "
    .. "that day with the fact membership_end. decide credits.consolidate: denied when the listed credits include "
    .. "monthly ones after the membership end (leave them out, or renew); left open, a condition excluding the "
    .. "monthly credits (a denial when every credit is monthly). Bulk credits keep their own start and end dates "
    .. "(credits.bulk.window). check reports a monthly credit still active or redeemed after the membership end, "
    .. "unless its validity ran out first (credits.monthly.validity reports that one). alerts: an active or "
    .. "redeemed monthly credit whose validity runs past the membership end is announced on the membership's last "
    .. "day, as a warning. validity_months: keep equal to credits.monthly.validity's.",
  params = { validity_months = 13 },
  constrains = { "credits.assignments", "credits.status", "credits.activated_on", "credits.azure_subscription", "credits.balance" },

  check = function(state, ctx)
    local ends = membership_end(state)
    if ctx.as_of <= ends then
      return
    end
    for _, credit in ipairs(state.credits) do
      local last = last_valid_day(credit, ctx.params.validity_months)
      if credit.kind == "monthly" and in_use(credit.status) and (last == nil or last >= ctx.as_of) then
        ctx.report{
          at = credit,
          message = ("%s, and monthly credit %s comes only until then, but it is still recorded as %s"):format(
            ended_words(state), credit.id, credit.status),
          remedy = ("if the membership was renewed, record its new end date (partner.membership.end); otherwise "
            .. "record credit %s as expired, and %s"):format(credit.id, RENEW),
        }
      end
    end
  end,

  alerts = function(state, ctx)
    local ends = membership_end(state)
    if ends < ctx.as_of or ends > ctx.horizon then
      return -- already ended (the check reports what is left) or beyond the horizon
    end
    for _, credit in ipairs(state.credits) do
      local last = last_valid_day(credit, ctx.params.validity_months)
      if credit.kind == "monthly" and in_use(credit.status) and (last == nil or last > ends) then
        ctx.alert{
          at = credit,
          on = ends,
          severity = "warning", -- an end to come; the check reports it as an error once past
          message = ("the membership ends on %s, and monthly credit %s%s comes only until then; from %s it brings "
            .. "nothing more unless the membership is renewed"):format(
            pp.date_string(ends), credit.id, validity_words(last, ctx.params.validity_months),
            pp.date_string(ends + 1)),
          remedy = ("a partner admin renews the membership by %s: a renewal awards a new set of benefits, with "
            .. "new monthly credits"):format(pp.date_string(ends)),
        }
      end
    end
  end,

  decide = {
    ["credit.use"] = judge_credit,
    ["credit.assign"] = judge_credit,
    ["credit.reassign"] = judge_credit,
    ["credit.activate"] = judge_credit,
    ["credits.consolidate"] = judge_consolidation,
  },
}
