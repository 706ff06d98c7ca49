-- policies/subscriptions/lapsed_reactivation.lua
--
-- A product-key subscription that is disabled or expired no longer has an end date to extend or
-- time left to average: the admin center may not even offer Extend end date. It is brought back
-- by redeeming a new product key as an activation, at the product key start page, and the key
-- then gives 12 months of service from the day it is redeemed, not from the lapsed end date.
--
-- A subscription whose status still says active but whose end date has passed is lapsed too
-- (lib.subscriptions.lapse): no extension or average is computed from a date in the past.
--
-- Modernized subscriptions have no keys (cloud.modernized-no-extension decides their extension,
-- licenses and reactivation); this rule still refuses their licenses once they have lapsed.

local subs = lib.subscriptions

local START_PAGE = "https://signup.microsoft.com/productkeystart"

-- The day a key redeemed today runs to.
local function reactivated_end(ctx)
  return pp.date_string(pp.add_months(ctx.as_of, ctx.params.months_per_key))
end

-- How a lapsed product-key subscription comes back.
local function reactivate_remedy(sub, ctx)
  return ("reactivate %s by redeeming a new product key at %s (subscription.reactivate): it then runs %d months "
    .. "from the redemption, until %s if redeemed today"):format(
    sub.id, START_PAGE, ctx.params.months_per_key, reactivated_end(ctx))
end

-- The lapse of `sub` and its wording, or nil while it runs.
local function lapsed(sub, ctx)
  local lapse = subs.lapse(sub, ctx.as_of)
  if lapse == nil then
    return nil
  end
  return subs.lapse_text(sub, lapse)
end

local function runs(sub)
  return ("subscription %s runs until %s"):format(sub.id, sub["end"])
end

---@type Rule
return {
  id = "subscriptions.lapsed-reactivation",
  title = "A disabled or expired subscription is reactivated with a new key, not extended or topped up",
  severity = "error",
  source = { seed = "002_013589e162925edb.txt", section = "Activate a subscription for the first time" },
  description = "A disabled or expired product-key subscription is brought back by redeeming a new product "
    .. "key as an activation at the product key start page, and each key gives months_per_key (12) months "
    .. "of service from the day it is redeemed (seed 002, 'Activate a subscription for the first time', the "
    .. "Important note of 'Extend the end date of an existing subscription', 'When your product subscription "
    .. "status is No Active Subscription or Expired' and the note under 'Add more licenses to an existing "
    .. "subscription'). A subscription whose status is active but whose end date is before today is "
    .. "treated as lapsed too. decide subscription.extend and subscription.add-licenses on a product-key "
    .. "subscription: denied when it has lapsed (remedy: reactivate, naming the new end date, today + 12 "
    .. "months), allowed while it runs; no say on modernized ones (cloud.modernized-no-extension). decide "
    .. "subscription.reactivate on a product-key subscription: allowed on a lapsed one with new_end_date "
    .. "(today + 12 months) and active_licenses_after (the key's licenses), denied while it still runs "
    .. "(extend it or add licenses instead, or wait until it expires) and for a key of fewer than 1 "
    .. "license; with the key size open, the condition that it carry at least one. decide license.assign "
    .. "(any model): denied on a lapsed subscription (remedy: reactivate it, or for a modernized one renew "
    .. "the membership), allowed while it runs. No state check: a lapsed subscription is a normal state.",
  params = { months_per_key = 12 },
  constrains = { "subscriptions.end", "subscriptions.status" },
  no_say = {
    ["benefit.redeem"] = "a redemption creates a new subscription that runs from its redemption; no lapsed end date is extended",
    ["membership.purchase"] = "a purchase moves only modernized subscriptions' end date, which cloud.modernized-no-extension governs",
    ["membership.renew"] = "renewal moves only modernized subscriptions' end date, which cloud.modernized-no-extension governs",
  },

  decide = {
    ["subscription.extend"] = function(req, state, ctx)
      local sub = req.subscription
      if sub.model ~= "product_key" then
        return nil -- modernized: never extended by hand (cloud.modernized-no-extension)
      end
      local why = lapsed(sub, ctx)
      if why ~= nil then
        return pp.deny(
          ("%s; Extend end date is for a running subscription, and a key never adds time to a lapsed end date"):format(why),
          reactivate_remedy(sub, ctx),
          { reactivated_end_date = reactivated_end(ctx) })
      end
      return pp.allow(("%s, so a product key can extend it"):format(runs(sub)))
    end,

    ["subscription.add-licenses"] = function(req, state, ctx)
      local sub = req.subscription
      if sub.model ~= "product_key" then
        return nil -- modernized: no keys to add (cloud.modernized-no-extension)
      end
      local why = lapsed(sub, ctx)
      if why ~= nil then
        return pp.deny(
          ("%s; Add licenses averages the time a running subscription has left, and a lapsed one has none"):format(why),
          reactivate_remedy(sub, ctx),
          { reactivated_end_date = reactivated_end(ctx) })
      end
      return pp.allow(("%s, so licenses can be added to it"):format(runs(sub)))
    end,

    ["subscription.reactivate"] = function(req, state, ctx)
      local sub = req.subscription
      if sub.model ~= "product_key" then
        return nil -- modernized: renew the membership instead (cloud.modernized-no-extension)
      end
      local new_end = reactivated_end(ctx)
      local why = lapsed(sub, ctx)
      if why == nil then
        return pp.deny(
          ("%s and is still active; a key redeemed on an active subscription extends it or adds licenses, reactivation is for a disabled or expired one"):format(
            runs(sub)),
          ("redeem the key on %s with Extend end date (subscription.extend) or Add licenses (subscription.add-licenses) "
            .. "in the Microsoft 365 admin center, or wait until %s has expired after %s and then reactivate it"):format(
            sub.id, sub.id, sub["end"]))
      end
      local key = req.key_licenses
      if key == nil then
        return pp.condition(
          ("the product key must carry at least 1 license; %s, and a new key redeemed at %s reactivates it for %d months from the redemption, until %s if redeemed today"):format(
            why, START_PAGE, ctx.params.months_per_key, new_end),
          { new_end_date = new_end })
      end
      if key < 1 then
        return pp.deny(
          ("a key of %d licenses activates no license of subscription %s"):format(key, sub.id),
          ("give the number of licenses on the product key that reactivates %s (at least 1)"):format(sub.id))
      end
      return pp.allow(
        ("%s; a new key of %s redeemed at %s reactivates it for %d months from the redemption, until %s, not from the lapsed end date"):format(
          why, lib.text.count(key, "license"), START_PAGE, ctx.params.months_per_key, new_end),
        { new_end_date = new_end, active_licenses_after = key })
    end,

    ["license.assign"] = function(req, state, ctx)
      local sub = req.subscription
      local why = lapsed(sub, ctx)
      if why == nil then
        return pp.allow(runs(sub))
      end
      local remedy
      if sub.model == "product_key" then
        remedy = reactivate_remedy(sub, ctx) .. "; then assign the license"
      else
        local membership = state.partner.membership
        remedy = ("a modernized subscription runs with the membership: renew the membership (%s, ends %s) and redeem "
          .. "the benefit again, or buy a paid subscription of %s; then assign the license"):format(
          membership.offer, membership["end"], sub.product)
      end
      return pp.deny(
        ("%s, so its licenses give no service and none can be assigned"):format(why),
        remedy)
    end,
  },
}
