-- policies/credits/redeem_not_redeemed.lua
--
-- The first assignment of an Azure credit needs the credit's status Not Redeemed. A credit that
-- was assigned before is being reassigned, which other rules decide.

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

---@type Rule
return {
  id = "credits.redeem-not-redeemed",
  title = "A credit's initial assignment needs the status Not Redeemed",
  severity = "error",
  source = { seed = "001_5c53631e905999a7.txt", section = "Activate or redeem your Azure credits" },
  description = "To assign a user to an Azure credit, the credit's status must be Not Redeemed (seed 001, "
    .. "'Activate or redeem your Azure credits'); changing the user later is a reassignment ('View and "
    .. "remove assigned users'). decide credit.assign: a credit with no assignment in its history is an "
    .. "initial assignment, denied unless its status is required_status (not_redeemed); a credit assigned "
    .. "before is allowed by this rule with a note that this is a reassignment (use credit.reassign; the "
    .. "reassignment rules decide it). check reports a Redeemed or Active credit whose history has no "
    .. "assignment at all: redemption is finished by the assigned user, so such a credit skipped the initial "
    .. "assignment. A Not Redeemed credit with a current user is not reported: the user may not have "
    .. "finished redeeming yet. decide credit.activate: only a Not Redeemed credit can be activated, and only once a user is assigned (the "
    .. "assigned user activates it; remedy: assign one first); an "
    .. "active or redeemed one is denied as having nothing left to activate, an expired one as gone. decide "
    .. "credit.use on a Not Redeemed credit: denied while no user is assigned (the assigned user finishes "
    .. "redemption; remedy: assign one first), allowed once one is; no say on other statuses.",
  params = { required_status = "not_redeemed" },
  constrains = { "credits.status", "credits.assignments" },
  no_say = {
    ["credit.reassign"] = "only the initial assignment needs the status Not Redeemed; changing the user later is a reassignment",
  },

  check = function(state, ctx)
    for _, credit in ipairs(state.credits) do
      if (credit.status == "redeemed" or credit.status == "active") and pp.last_assigned_user(credit) == nil then
        ctx.report{
          at = credit,
          message = ("credit %s is %s but its history records no assignment; a credit is redeemed by the user "
            .. "it was assigned to while %s"):format(
            credit.id, status_name(credit.status), status_name(ctx.params.required_status)),
          remedy = ("add the missing assignment (the user who redeemed %s and the day) to its history"):format(credit.id),
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
        local user = pp.assigned_user(credit)
        if user == nil then
          return pp.deny(
            ("credit %s is %s and no user is assigned to it; a credit is activated by the user it is assigned to"):format(
              credit.id, status_name(credit.status)),
            ("assign a user to %s first (credit.assign); that user then activates it"):format(credit.id))
        end
        return pp.allow(("credit %s is %s and assigned to %s, so its benefit has not started yet and can be activated"):format(
          credit.id, status_name(credit.status), pp.user_label(user)))
      end
      local since = credit.activated_on ~= nil and (" (activated on " .. credit.activated_on .. ")") or ""
      if credit.status == "expired" then
        return pp.deny(
          ("credit %s has expired%s; an expired credit cannot be activated again"):format(credit.id, since),
          "use the credits awarded for the next benefit year, after the membership is renewed")
      end
      return pp.deny(
        ("credit %s is already %s%s: there is nothing left to activate"):format(
          credit.id, credit.status == "active" and "active" or "redeemed", since),
        ("nothing needs doing: use credit %s (credit.use), or change its user with credit.reassign"):format(credit.id))
    end,

    -- A Not Redeemed credit is redeemed by the user assigned to it: without one, nobody can use it.
    ["credit.use"] = function(req, state, ctx)
      local credit = req.credit
      if credit.status ~= ctx.params.required_status then
        return nil
      end
      local user = pp.assigned_user(credit)
      if user == nil then
        return pp.deny(
          ("credit %s is %s and no user is assigned to it, and it is the assigned user who finishes its redemption"):format(
            credit.id, status_name(credit.status)),
          ("assign a user to %s first (credit.assign); that user then redeems it"):format(credit.id))
      end
      return pp.allow(("credit %s is %s and assigned to %s, who finishes its redemption"):format(
        credit.id, status_name(credit.status), pp.user_label(user)))
    end,

    ["credit.assign"] = function(req, state, ctx)
      local credit = req.credit
      local required = ctx.params.required_status
      local previous = pp.last_assigned_user(credit)
      if previous ~= nil then
        return pp.allow(
          ("credit %s was assigned before (last to %s), so this is a reassignment: ask with credit.reassign; "
            .. "the Not Redeemed status is needed only for the initial assignment"):format(
            credit.id, pp.user_label(previous)))
      end
      if credit.status ~= required then
        local other = assignable(state, credit, required)
        local instead
        if other ~= nil then
          instead = ("assign a credit that is %s instead, such as %s"):format(status_name(required), other.id)
        else
          instead = ("no other %s credit is %s and unassigned"):format(credit.kind, status_name(required))
        end
        return pp.deny(
          ("credit %s is %s, and an initial assignment needs the status %s"):format(
            credit.id, status_name(credit.status), status_name(required)),
          ("%s; if %s really is %s in Partner Center, correct the status recorded in the partner state"):format(
            instead, credit.id, status_name(required)))
      end
      return pp.allow(("credit %s is %s and has never been assigned, so it can get its first user"):format(
        credit.id, status_name(required)))
    end,
  },
}
