-- The day a package's benefits become available when paid by card, or nil when the payment is
-- not by card (invoice or not recorded: no waiting is documented); with the words about it.
local function available_on(state, package, params)
  if state.partner.membership.payment == params.delayed_payment then
    local ready = pp.date(package.purchased_on) + params.provisioning_days
    return ready, { package = package.id, bought = package.purchased_on,
      ready = pp.date_string(ready), days = params.provisioning_days }
  end
end

-- Shared by credit.assign, credit.activate (subject credit) and benefit.redeem (subject benefit).
local function judge(req, state, ctx)
  local subject = req.credit or req.benefit
  -- The host checks every package reference before a policy runs, so the package exists.
  local package = pp.find(state.benefit_packages, subject.package)
  local ready, words = available_on(state, package, ctx.params)
  if ready == nil then return nil end
  words.subject, words.what = subject.id, req.credit and "credit" or "benefit"
  if ctx.as_of < ready then
    return pp.deny(pp.say("not_yet", words), pp.say("wait", words))
  end
  return pp.allow(pp.say("provisioned", words), { available_on = words.ready })
end

---@type Rule
return {
  id = "benefits.provisioning-delay",
  severity = "error",
  source = { seed = "001_5c53631e905999a7.txt", section = "Why can't I access my benefits?" },
  params = { provisioning_days = 4, delayed_payment = "card" },
  constrains = { "credits.assignments", "credits.status", "credits.activated_on", "cloud_benefits.status" },
  no_say = {
    ["credit.reassign"] = "a reassignment follows the first assignment, which this rule holds back until the package is provisioned",
    ["credit.use"] = "a credit is used by the user it was assigned to, after the first assignment this rule holds back until the package is provisioned",
  },

  alerts = function(state, ctx)
    for _, package in ipairs(state.benefit_packages) do
      local ready, words = available_on(state, package, ctx.params)
      if ready ~= nil and ready > ctx.as_of and ready <= ctx.horizon then
        ctx.alert{ at = package, on = ready, severity = "info",
          message = pp.say("becomes_available", words), remedy = pp.say("use_from", words) }
      end
    end
  end,

  decide = { ["credit.assign"] = judge, ["credit.activate"] = judge, ["benefit.redeem"] = judge },
}
