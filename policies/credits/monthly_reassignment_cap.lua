-- First other monthly credit (document order) that is not expired and still has
-- reassignments left, or nil.
local function other_monthly_credit(state, credit, cap)
  for _, other in ipairs(state.credits) do
    if other.id ~= credit.id and other.kind == "monthly" and other.status ~= "expired"
       and pp.reassignments(other) < cap then
      return other
    end
  end
  return nil
end

-- Shared by credit.assign and credit.reassign: both change the credit's user when it has
-- been assigned before.
local function judge(req, state, ctx)
  local credit = req.credit
  local previous = credit.kind == "monthly" and pp.last_assigned_user(credit)
  if not previous then
    return nil -- not monthly, or an initial assignment: the cap does not apply
  end
  local cap, used, new_user = ctx.params.max_reassignments, pp.reassignments(credit), req.user
  local left = cap - used
  local f = { credit = credit.id, cap = cap, used = used, left = left - 1,
    last = pp.user_label(previous) }
  if new_user and not new_user.is_new and new_user.id == previous then
    f.still = left > 0 and left or 0
    return pp.allow(pp.say("same_user", f),
      { reassignments_left = f.still, reassignments_used = used })
  end
  if left > 0 then
    -- With the user left open, the answer holds for any user.
    f.how = new_user and pp.say("moves", { last = f.last, email = new_user.email })
      or pp.say("last_assigned", f)
    return pp.allow(pp.say("left_after", f),
      { reassignments_left = left - 1, reassignments_used = used + 1 })
  end
  local current = pp.assigned_user(credit)
  if new_user == nil and current == nil then
    -- Open question with no reassignment left: only the last user may get it back.
    return pp.condition(pp.say("back_only", f),
      { reassignments_left = 0, reassignments_used = used })
  end
  local other = other_monthly_credit(state, credit, cap)
  f.such_as = other and pp.say("such_as", { other = other.id }) or ""
  f.who = new_user and new_user.email or "the other user"
  f.keep = current and pp.say("keep", { user = pp.user_label(current), credit = credit.id })
    or pp.say("give_back", f)
  return pp.deny(pp.say("all_used", f), pp.say("no_exceptions", f))
end

---@type Rule
return {
  id = "credits.monthly.reassignment-cap",
  severity = "error",
  source = { seed = "001_5c53631e905999a7.txt", section = "View and remove assigned users" },
  params = { max_reassignments = 5, alert_when_left = 1 },
  constrains = { "credits.assignments" },

  check = function(state, ctx)
    local cap = ctx.params.max_reassignments
    for _, credit in ipairs(state.credits) do
      local used = credit.kind == "monthly" and pp.reassignments(credit) or 0
      if used > cap then
        local f = { credit = credit.id, used = used, cap = cap }
        ctx.report{
          at = credit, message = pp.say("over_cap", f), remedy = pp.say("check_history", f),
        }
      end
    end
  end,

  -- Dated today: nothing lapses, but the next change of user may be the last or be refused.
  alerts = function(state, ctx)
    local cap = ctx.params.max_reassignments
    for _, credit in ipairs(state.credits) do
      if credit.kind == "monthly" and credit.status ~= "expired" then
        local left = cap - pp.reassignments(credit)
        if left >= 0 and left <= ctx.params.alert_when_left then
          local holder = pp.assigned_user(credit)
          local f = { credit = credit.id, cap = cap, left = left, s = left == 1 and "" or "s",
            holder = holder and pp.user_label(holder) or "its last user" }
          ctx.alert{ at = credit, on = ctx.as_of, severity = left == 0 and "warning" or "info",
                     message = pp.say(left == 0 and "none_left" or "few_left", f),
                     remedy = pp.say(left == 0 and "keep_holder" or "only_when_needed", f) }
        end
      end
    end
  end,

  decide = {
    ["credit.reassign"] = judge,
    ["credit.assign"] = judge,
  },
}
