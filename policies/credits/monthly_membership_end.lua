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

local last_valid_day = lib.credits.last_valid_day -- as credits.monthly.validity counts it

-- "the membership of Contoso Ltd (Microsoft AI Cloud Partner Program Action Pack) ended on
-- 2027-02-28"
local function ended_words(state)
  local partner = state.partner
  return pp.say("ended", { partner = partner.name, offer = partner.membership.offer,
    day = partner.membership["end"] })
end

local function renew(when)
  return pp.say("renew", { when = when or "(membership.renew)" })
end

local function monthly_ids(credits)
  local ids = {}
  for _, credit in ipairs(credits) do
    if credit.kind == "monthly" then
      ids[#ids + 1] = credit.id
    end
  end
  return ids
end

-- "... every month until the membership ends on 2027-02-28", `which` naming the credits.
local function every_month(state, which, before)
  return pp.say("every_month", { which = which, ends = state.partner.membership["end"],
    before = before or "" })
end

-- credit.use, credit.assign, credit.reassign and credit.activate on one credit.
local function judge_credit(req, state, ctx)
  local credit, months = req.credit, ctx.params.validity_months
  if credit.kind ~= "monthly" then
    return nil
  end
  if ctx.as_of > membership_end(state) then
    return pp.deny(pp.say("no_longer", { ended = ended_words(state), credit = credit.id,
      verb = VERBS[req.action] }), pp.say("use_new", { renew = renew(), credit = credit.id }))
  end
  -- The membership end comes before the credit's 13 months from activation run out.
  local last = last_valid_day(credit, months)
  local before = last ~= nil and last > membership_end(state)
    and pp.say("before", { months = months, last = pp.date_string(last) })
  return pp.allow(every_month(state, pp.say("credit_comes", { ids = credit.id }), before),
    { membership_end = state.partner.membership["end"] })
end

local function judge_consolidation(req, state, ctx)
  local ended = ctx.as_of > membership_end(state)
  local ids = monthly_ids(req.credits or state.credits)
  if #ids == 0 then
    return nil
  end
  local f = { ended = ended_words(state), ids = table.concat(ids, ", "), renew = renew() }
  local fact = { membership_end = state.partner.membership["end"] }
  if req.credits == nil then
    if not ended then
      return pp.allow(every_month(state, pp.say("all_come")), fact)
    end
    return #ids == #state.credits and pp.deny(pp.say("all_monthly", f), f.renew)
      or pp.condition(pp.say("leave_out_open", f))
  end
  if ended then
    f.sub = req.azure_subscription.id
    return pp.deny(pp.say("not_on_sub", f), pp.say("leave_out", f))
  end
  local which = #ids == 1 and pp.say("credit_comes", { ids = ids[1] })
    or pp.say("credits_come", { ids = lib.text.join(ids, "and") })
  return pp.allow(every_month(state, which), fact)
end

---@type Rule
return {
  id = "credits.monthly.membership-end",
  severity = "error",
  source = { seed = "001_5c53631e905999a7.txt", section = "View your Azure credits in Partner Center" },
  params = { validity_months = 13 },
  constrains = { "credits.assignments", "credits.status", "credits.activated_on", "credits.azure_subscription", "credits.balance" },

  check = function(state, ctx)
    if ctx.as_of <= membership_end(state) then
      return
    end
    for _, credit in ipairs(state.credits) do
      local last = last_valid_day(credit, ctx.params.validity_months)
      if credit.kind == "monthly" and in_use(credit.status)
         and (last == nil or last >= ctx.as_of) then
        local f = { ended = ended_words(state), credit = credit.id, status = credit.status,
          renew = renew() }
        ctx.report{
          at = credit, message = pp.say("still_recorded", f), remedy = pp.say("record", f),
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
      -- Alerts name only credits in use, and the host refuses a state where such a credit has
      -- no activation date, so `last` is known.
      if credit.kind == "monthly" and in_use(credit.status) and (last == nil or last > ends) then
        ctx.alert{
          at = credit,
          on = ends,
          severity = "warning", -- an end to come; the check reports it as an error once past
          message = pp.say("ends_soon", { ends = pp.date_string(ends), credit = credit.id,
            months = ctx.params.validity_months, last = pp.date_string(last),
            next = pp.date_string(ends + 1) }),
          remedy = renew(pp.say("by", { day = pp.date_string(ends) })),
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
