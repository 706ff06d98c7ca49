local function credit_end(credit)
  return credit["end"] and pp.say("ends_on", { day = credit["end"] }) or pp.say("no_end")
end

-- The renewal path, naming the credit's end date and the membership end date.
local function renewal_path(state, credit, who)
  return pp.say("renewal", { credit = credit.id, credit_end = credit_end(credit),
    membership_end = state.partner.membership["end"], who = who })
end

-- Shared by credit.assign and credit.reassign.
local function judge(req, state, ctx)
  local credit = req.credit
  if credit.kind ~= "bulk" then
    return nil
  end
  local previous = pp.last_assigned_user(credit)
  if previous == nil then
    -- Initial assignment: allowed, but the choice holds for the whole benefit year, so say so.
    return pp.allow(pp.say("first", { credit = credit.id, who = req.user and req.user.email or "the user chosen now",
      fixed_until = credit["end"] or "the end of its benefit year" }), { fixed_until = credit["end"] })
  end
  local new_user, holder = req.user, pp.assigned_user(credit)
  if new_user == nil and holder == nil then
    -- Open question: only the last user may get it back, and only when nobody holds it now.
    return pp.condition(pp.say("back_to_last",
      { credit = credit.id, last = pp.user_label(previous), credit_end = credit_end(credit) }))
  end
  if new_user ~= nil and not new_user.is_new and new_user.id == previous then
    return nil -- the same user again: not a change of user
  end
  local was = holder and "is assigned to " .. pp.user_label(holder) or "was assigned to " .. pp.user_label(previous)
  return pp.deny(pp.say("not_reassignable", { credit = credit.id, was = was }),
    renewal_path(state, credit, new_user and new_user.email or "the other user"))
end

---@type Rule
return {
  id = "credits.bulk.no-reassignment",
  severity = "error",
  source = { seed = "001_5c53631e905999a7.txt", section = "View and remove assigned users" },
  params = {},
  constrains = { "credits.assignments" },

  check = function(state, ctx)
    for _, credit in ipairs(state.credits) do
      local changes = credit.kind == "bulk" and pp.reassignments(credit) or 0
      if changes > 0 then
        ctx.report{
          at = credit,
          message = pp.say("changed", { credit = credit.id, changes = changes, s = changes == 1 and "" or "s" }),
          remedy = pp.say("check_history", { credit = credit.id, renewal = renewal_path(state, credit, "any other user") }),
        }
      end
    end
  end,

  decide = {
    ["credit.reassign"] = judge,
    ["credit.assign"] = judge,
  },
}
