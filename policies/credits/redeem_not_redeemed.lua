local STATUS_NAMES = {
  not_redeemed = "Not Redeemed",
  redeemed = "Redeemed",
  active = "Active",
  expired = "Expired",
}

local function status_name(status)
  return STATUS_NAMES[status] or tostring(status)
end

-- The first other credit (document order) of the same kind that was never assigned and is
-- Not Redeemed, or nil.
local function assignable(state, credit, status)
  for _, other in ipairs(state.credits) do
    if other.id ~= credit.id and other.kind == credit.kind and other.status == status
       and pp.last_assigned_user(other) == nil then
      return other
    end
  end
  return nil
end

-- A Not Redeemed credit is activated (credit.activate) and redeemed (credit.use) by the user
-- assigned to it: without one, nobody can. `does` is "activates" or "redeems"; the other two
-- are the message keys of the denial and the approval.
local function by_holder(credit, does, no_user, assigned)
  local user = pp.assigned_user(credit)
  local fields = { credit = credit.id, status = status_name(credit.status), does = does,
    user = user and pp.user_label(user) }
  if user == nil then
    return pp.deny(pp.say(no_user, fields), pp.say("assign_first", fields))
  end
  return pp.allow(pp.say(assigned, fields))
end

---@type Rule
return {
  id = "credits.redeem-not-redeemed",
  severity = "error",
  source = { seed = "001_5c53631e905999a7.txt", section = "Activate or redeem your Azure credits" },
  params = { required_status = "not_redeemed" },
  constrains = { "credits.status", "credits.assignments" },
  no_say = {
    ["credit.reassign"] = "only the initial assignment needs the status Not Redeemed; changing the user later is a reassignment",
  },

  check = function(state, ctx)
    for _, credit in ipairs(state.credits) do
      if lib.credits.in_use(credit.status) and pp.last_assigned_user(credit) == nil then
        ctx.report{
          at = credit,
          message = pp.say("no_history", { credit = credit.id, status = status_name(credit.status),
            required = status_name(ctx.params.required_status) }),
          remedy = pp.say("add_assignment", { credit = credit.id }),
        }
      end
    end
  end,

  decide = {
    -- Activation starts the benefit of a credit that is still Not Redeemed; an active, redeemed
    -- or expired credit has nothing left to activate.
    ["credit.activate"] = function(req, state, ctx)
      local credit = req.credit
      if credit.status == ctx.params.required_status then
        return by_holder(credit, "activates", "no_user_activates", "assigned_activates")
      end
      local since = credit.activated_on and pp.say("since", { day = credit.activated_on }) or ""
      if credit.status == "expired" then
        return pp.deny(pp.say("expired", { credit = credit.id, since = since }), pp.say("next_year"))
      end
      return pp.deny(pp.say("already", { credit = credit.id, since = since,
        status = credit.status == "active" and "active" or "redeemed" }),
        pp.say("nothing", { credit = credit.id }))
    end,

    ["credit.use"] = function(req, state, ctx)
      if req.credit.status == ctx.params.required_status then
        return by_holder(req.credit, "redeems", "no_user_redeems", "assigned_redeems")
      end
    end,

    ["credit.assign"] = function(req, state, ctx)
      local credit = req.credit
      local required = ctx.params.required_status
      local previous = pp.last_assigned_user(credit)
      if previous ~= nil then
        return pp.allow(pp.say("reassignment", { credit = credit.id, user = pp.user_label(previous) }))
      end
      local fields = { credit = credit.id, status = status_name(credit.status), kind = credit.kind,
        required = status_name(required) }
      if credit.status ~= required then
        local other = assignable(state, credit, required)
        fields.other = other and other.id
        fields.instead = other and pp.say("instead", fields) or pp.say("no_other", fields)
        return pp.deny(pp.say("needs", fields), pp.say("correct", fields))
      end
      return pp.allow(pp.say("first_user", fields))
    end,
  },
}
