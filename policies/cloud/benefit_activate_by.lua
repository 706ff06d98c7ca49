-- policies/cloud/benefit_activate_by.lua
--
-- Partner Center shows, for each cloud benefit, the date before which it must be activated
-- (`activate_by`, the last day on which it can be). This rule warns as that day approaches,
-- refuses a redemption after it, and reports benefits still available past it.

local function label(benefit)
  return ("%s (%s, %d licenses)"):format(benefit.id, benefit.product, benefit.licenses)
end

---@type Rule
return {
  id = "cloud.benefit-activate-by",
  title = "A cloud benefit is activated by its activate-by date",
  severity = "warning",
  source = { seed = "002_013589e162925edb.txt", section = "View your cloud benefits" },
  description = "Partner Center shows for each cloud benefit the date before which it must be activated "
    .. "(seed 002, 'View your cloud benefits'); activate_by is the last day on which it can be. alerts: "
    .. "each benefit still available whose activate_by is today or later (up to the horizon), dated on "
    .. "that day. decide benefit.redeem: an available benefit after its activate_by is denied; on or before "
    .. "it, allowed with facts activate_by and days_left (days after today); no say on benefits that are redeemed, expired or "
    .. "have no activate_by. check (warning) reports a benefit still marked available after its activate_by.",
  params = {},
  constrains = { "cloud_benefits.status" },

  check = function(state, ctx)
    for _, benefit in ipairs(state.cloud_benefits) do
      if benefit.status == "available" and benefit.activate_by ~= nil and pp.date(benefit.activate_by) < ctx.as_of then
        ctx.report{
          at = benefit,
          message = ("cloud benefit %s is still available but its activation deadline passed on %s; it can no longer be activated"):format(
            label(benefit), benefit.activate_by),
          remedy = ("record %s as expired; to keep using %s, renew the membership for new benefits or buy a paid subscription"):format(
            benefit.id, benefit.product),
        }
      end
    end
  end,

  alerts = function(state, ctx)
    for _, benefit in ipairs(state.cloud_benefits) do
      if benefit.status == "available" and benefit.activate_by ~= nil then
        local deadline = pp.date(benefit.activate_by)
        if deadline >= ctx.as_of and deadline <= ctx.horizon then
          ctx.alert{
            at = benefit,
            on = deadline,
            message = ("cloud benefit %s must be activated by %s; after that day it can no longer be redeemed"):format(
              label(benefit), benefit.activate_by),
            remedy = ("redeem %s in Partner Center (Benefits > Cloud services) on or before %s"):format(
              benefit.id, benefit.activate_by),
          }
        end
      end
    end
  end,

  decide = {
    ["benefit.redeem"] = function(req, state, ctx)
      local benefit = req.benefit
      if benefit.status ~= "available" or benefit.activate_by == nil then
        return nil
      end
      local deadline = pp.date(benefit.activate_by)
      if ctx.as_of > deadline then
        return pp.deny(
          ("cloud benefit %s had to be activated by %s; that day has passed"):format(label(benefit), benefit.activate_by),
          ("%s can no longer be activated: renew the membership for new benefits or buy a paid subscription of %s"):format(
            benefit.id, benefit.product))
      end
      local left = deadline - ctx.as_of
      local when = left == 0 and "today is the last day" or ("%d day%s from today"):format(left, left == 1 and "" or "s")
      return pp.allow(
        ("cloud benefit %s can be activated until %s (%s)"):format(label(benefit), benefit.activate_by, when),
        { activate_by = benefit.activate_by, days_left = left })
    end,
  },
}
