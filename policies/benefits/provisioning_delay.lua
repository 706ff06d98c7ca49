-- policies/benefits/provisioning_delay.lua
--
-- After a benefit offer is paid by credit card, its benefits are provisioned only some days
-- after the purchase (four in the documentation) while the bank confirms the payment.
--
-- Days are calendar days: a package bought on 2026-01-31 is available from 2026-02-04 on.

-- The day a package's benefits become available when paid by card, or nil when the payment is
-- not by card (invoice or not recorded: no waiting is documented).
local function available_on(state, package, params)
  if state.partner.membership.payment ~= params.delayed_payment then
    return nil
  end
  return pp.date(package.purchased_on) + params.provisioning_days
end

-- Shared by credit.assign, credit.activate (subject credit) and benefit.redeem (subject benefit).
local function judge(req, state, ctx)
  local subject = req.credit or req.benefit
  -- The host checks every package reference before a policy runs, so the package exists.
  local package = pp.find(state.benefit_packages, subject.package)
  local ready = available_on(state, package, ctx.params)
  if ready == nil then
    return nil
  end
  local what = req.credit ~= nil and "credit" or "benefit"
  if ctx.as_of < ready then
    return pp.deny(
      ("benefit package %s was bought by card on %s; its benefits, %s %s among them, are provisioned %d days "
        .. "after the purchase, on %s"):format(
        package.id, package.purchased_on, what, subject.id, ctx.params.provisioning_days, pp.date_string(ready)),
      ("wait until %s, when the card payment is confirmed and %s appears in the Benefits workspace"):format(
        pp.date_string(ready), subject.id))
  end
  return pp.allow(
    ("benefit package %s, bought by card on %s, has been provisioned since %s"):format(
      package.id, package.purchased_on, pp.date_string(ready)),
    { available_on = pp.date_string(ready) })
end

---@type Rule
return {
  id = "benefits.provisioning-delay",
  title = "Benefits bought by card appear four days after the purchase",
  severity = "error",
  source = { seed = "001_5c53631e905999a7.txt", section = "Why can't I access my benefits?" },
  description = "When a benefit offer is paid by credit card, its benefits are provisioned provisioning_days "
    .. "(4) calendar days after the purchase date, once the bank confirms the payment (seed 001, FAQ 'Why "
    .. "can't I access my benefits?'). The payment is partner.membership.payment (delayed_payment = card); "
    .. "the purchase date is the benefit package's purchased_on. decide credit.assign, credit.activate "
    .. "(the credit's package) and benefit.redeem (the cloud benefit's package): before purchased_on + 4 "
    .. "days, denied with the day the benefits become available; from that day on, allowed with fact "
    .. "available_on; no say when the payment is not by card. alerts (info): card-paid packages whose "
    .. "benefits become available after today and within the horizon, dated on that day.",
  params = { provisioning_days = 4, delayed_payment = "card" },
  constrains = { "credits.assignments", "credits.status", "credits.activated_on", "cloud_benefits.status" },
  no_say = {
    ["credit.reassign"] = "a reassignment follows the first assignment, which this rule holds back until the package is provisioned",
    ["credit.use"] = "a credit is used by the user it was assigned to, after the first assignment this rule holds back until the package is provisioned",
  },

  alerts = function(state, ctx)
    for _, package in ipairs(state.benefit_packages) do
      local ready = available_on(state, package, ctx.params)
      if ready ~= nil and ready > ctx.as_of and ready <= ctx.horizon then
        ctx.alert{
          at = package,
          on = ready,
          severity = "info",
          message = ("the benefits of package %s, bought by card on %s, become available on %s"):format(
            package.id, package.purchased_on, pp.date_string(ready)),
          remedy = ("assign, activate and redeem the benefits of %s from %s on"):format(package.id, pp.date_string(ready)),
        }
      end
    end
  end,

  decide = {
    ["credit.assign"] = judge,
    ["credit.activate"] = judge,
    ["benefit.redeem"] = judge,
  },
}
