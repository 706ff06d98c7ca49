local function not_activated(credit)
  return credit.activated_on == nil and credit.status == "not_redeemed"
end

local function last_day(credit, params)
  return pp.date(credit.awarded_on) + params.activation_window_days
end

-- The remedy once the window has passed: ask support, else next year's credits.
local function ask_support(credit, state)
  return pp.say("ask_support", { credit = credit.id, term_end = state.partner.membership["end"] })
end

-- credit.activate, the first credit.assign and credit.use on a credit not activated: each starts
-- its redemption, so each gets the same verdict. `why` ties the action to activation ("" for
-- credit.activate itself), `step` says what to do by the window's last day ("activate it").
local function judge_start(credit, state, ctx, why, step)
  if not not_activated(credit) then
    return nil
  end
  local days, last = ctx.params.activation_window_days, last_day(credit, ctx.params)
  if ctx.as_of > last then
    return pp.deny(pp.say("too_late", { credit = credit.id, awarded = credit.awarded_on,
      days = days, last = pp.date_string(last), why = why }), ask_support(credit, state))
  end
  local left = last - ctx.as_of
  return pp.allow(pp.say("inside", { credit = credit.id, days = days, step = step,
    last = pp.date_string(last), left = left == 0 and pp.say("last_today")
      or pp.say("days_left", { days = lib.text.count(left, "day") }) }),
    { last_day = pp.date_string(last), days_left = left })
end

---@type Rule
return {
  id = "credits.activation-window",
  severity = "warning",
  source = { seed = "000_47716db5bb235c69.txt",
             section = "Clarification Request: MAICPP Credit Delegation, Visibility, Activation, and Alerting Limitations" },
  params = { activation_window_days = 90 },
  constrains = { "credits.activated_on", "credits.status", "credits.assignments" },
  no_say = {
    ["credit.reassign"] = "a reassignment changes the user of a credit assigned before; the window concerns the first assignment and activation",
  },

  check = function(state, ctx)
    for _, credit in ipairs(state.credits) do
      local last = last_day(credit, ctx.params)
      if not_activated(credit) and ctx.as_of > last then
        ctx.report{
          at = credit,
          message = pp.say("passed", { credit = credit.id, awarded = credit.awarded_on,
            days = ctx.params.activation_window_days, last = pp.date_string(last) }),
          remedy = ask_support(credit, state),
        }
      end
    end
  end,

  alerts = function(state, ctx)
    for _, credit in ipairs(state.credits) do
      local last = last_day(credit, ctx.params)
      if not_activated(credit) and last >= ctx.as_of and last <= ctx.horizon then
        local holder = pp.assigned_user(credit) -- who should activate it
        ctx.alert{
          at = credit,
          on = last,
          message = pp.say("last_chance", { credit = credit.id, awarded = credit.awarded_on,
            last = pp.date_string(last), days = ctx.params.activation_window_days }),
          remedy = pp.say("activate_by", { credit = credit.id, last = pp.date_string(last),
            who = holder and pp.say("holder", { user = pp.user_label(holder) })
              or pp.say("admin") }),
        }
      end
    end
  end,

  decide = {
    ["credit.activate"] = function(req, state, ctx)
      return judge_start(req.credit, state, ctx, "", pp.say("step_activate"))
    end,
    -- The first assignment of a credit is the first step of its redemption; a credit assigned
    -- before is being reassigned (credit.reassign), which starts nothing new.
    ["credit.assign"] = function(req, state, ctx)
      if pp.last_assigned_user(req.credit) ~= nil then
        return nil
      end
      return judge_start(req.credit, state, ctx, pp.say("why_assign"), pp.say("step_assign"))
    end,
    -- Redeeming a credit that was never activated starts its benefit as activation does.
    ["credit.use"] = function(req, state, ctx)
      return judge_start(req.credit, state, ctx, pp.say("why_use"), pp.say("step_use"))
    end,
  },
}
