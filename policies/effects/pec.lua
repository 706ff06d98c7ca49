-- policies/effects/pec.lua: what the partner ID and partner earned credit actions change in the
-- partner state (seed 004). See policies/effects/credits.lua.

---@type Effects
return {
  -- The state already describes the link (its account, customer and onboarded subscriptions);
  -- making it is what the rules decide, and it adds nothing the state records.
  ["partner-id.link"] = function(req, state, ctx)
    return {}
  end,

  -- Earning PEC is Microsoft's credit on the customer's usage: nothing in the partner's state
  -- changes.
  ["pec.earn"] = function(req, state, ctx)
    return {}
  end,
}
