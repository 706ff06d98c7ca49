-- Whether Partner Center shows a credit's status as usable (Redeemed or Active).
local in_use = lib.credits.in_use

-- Last valid day of a monthly credit, or nil when it is not activated.
local function last_valid_day(credit, months)
  return credit.kind == "monthly" and lib.credits.last_valid_day(credit, months) or nil
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

-- The fields of the messages about a monthly credit whose last valid day is `last`.
local function fields(credit, last, months)
  local f = { credit = credit.id, activated = credit.activated_on, months = months,
    last = pp.date_string(last), gone = pp.date_string(last + 1), status = credit.status,
    sub = credit.azure_subscription and pp.say("subscription", { id = credit.azure_subscription })
      or pp.say("its_subscription") }
  f.lapsed, f.pay_as_you_go = pp.say("lapsed", f), pp.say("pay_as_you_go", f)
  return f
end

-- credit.use, credit.assign and credit.reassign: no point using or giving a lapsed credit.
local function judge(req, state, ctx)
  local months, credit = ctx.params.validity_months, req.credit
  local last = last_valid_day(credit, months)
  if last == nil then
    return nil
  end
  local f, use = fields(credit, last, months), req.action == "credit.use"
  if ctx.as_of > last and use then
    return pp.deny(pp.say("no_longer", f), pp.say("not_restored", f))
  elseif ctx.as_of > last then
    local other = other_valid_credit(state, credit, months, ctx.as_of)
    f.no_longer = pp.say("no_longer", f)
    return pp.deny(pp.say("not_given", f), pp.say("still_valid", { which = other
      and pp.say("such_as", { other = other.id }) or pp.say("none_recorded") }))
  end
  return pp.allow(pp.say(use and "consumable_until" or "valid_until", f), { valid_until = f.last })
end

---@type Rule
return {
  id = "credits.monthly.validity",
  severity = "error",
  source = { seed = "001_5c53631e905999a7.txt", section = "How long are monthly credits valid?" },
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
        local f = fields(credit, last, months)
        ctx.report{
          at = credit, message = pp.say("still_recorded", f), remedy = pp.say("record_expired", f),
        }
      end
    end
  end,

  alerts = function(state, ctx)
    local months = ctx.params.validity_months
    for _, credit in ipairs(state.credits) do
      local last = last_valid_day(credit, months)
      if last ~= nil and in_use(credit.status) and last >= ctx.as_of and last <= ctx.horizon then
        local f = fields(credit, last, months)
        ctx.alert{
          at = credit,
          on = last,
          severity = "warning", -- a lapse to come; the check reports it as an error once past
          message = pp.say("lapses_on", f),
          remedy = pp.say("before", f),
        }
      end
    end
  end,

  decide = {
    ["credit.use"] = judge,
    ["credit.assign"] = judge,
    ["credit.reassign"] = judge,
  },
}
