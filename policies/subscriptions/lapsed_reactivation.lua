local subs = lib.subscriptions

local START_PAGE = "https://signup.microsoft.com/productkeystart"

-- The words about `sub`: its lapse (why, nil while it runs), its end, and how a key redeemed
-- today reactivates it.
local function words(sub, ctx)
  local lapse = subs.lapse(sub, ctx.as_of)
  local w = { sub = sub.id, last_day = sub["end"], page = START_PAGE, months = ctx.params.months_per_key,
    new_end = pp.date_string(pp.add_months(ctx.as_of, ctx.params.months_per_key)),
    why = lapse and subs.lapse_text(sub, lapse) }
  w.runs = pp.say("runs", w)
  return w
end

-- Shared by subscription.extend and subscription.add-licenses on a product-key subscription;
-- modernized ones are never extended by hand and have no keys to add
-- (cloud.modernized-no-extension).
local function running_only(req, state, ctx)
  if req.subscription.model ~= "product_key" then
    return nil
  end
  local w = words(req.subscription, ctx)
  local extend = req.action == "subscription.extend"
  if w.why ~= nil then
    return pp.deny(extend and pp.say("extend_lapsed", w) or pp.say("add_lapsed", w), pp.say("reactivate", w),
      { reactivated_end_date = w.new_end })
  end
  return pp.allow(extend and pp.say("extend_runs", w) or pp.say("add_runs", w))
end

---@type Rule
return {
  id = "subscriptions.lapsed-reactivation",
  severity = "error",
  source = { seed = "002_013589e162925edb.txt", section = "Activate a subscription for the first time" },
  params = { months_per_key = 12 },
  constrains = { "subscriptions.end", "subscriptions.status" },
  no_say = {
    ["benefit.redeem"] = "a redemption creates a new subscription that runs from its redemption; no lapsed end date is extended",
    ["membership.purchase"] = "a purchase moves only modernized subscriptions' end date, which cloud.modernized-no-extension governs",
    ["membership.renew"] = "renewal moves only modernized subscriptions' end date, which cloud.modernized-no-extension governs",
  },

  decide = {
    ["subscription.extend"] = running_only,
    ["subscription.add-licenses"] = running_only,

    ["subscription.reactivate"] = function(req, state, ctx)
      local sub = req.subscription
      if sub.model ~= "product_key" then
        return nil -- modernized: renew the membership instead (cloud.modernized-no-extension)
      end
      local w = words(sub, ctx)
      if w.why == nil then
        return pp.deny(pp.say("still_active", w), pp.say("redeem_instead", w))
      end
      local key = req.key_licenses
      if key == nil then
        return pp.condition(pp.say("needs_a_license", w), { new_end_date = w.new_end })
      end
      if key < 1 then
        w.key = key
        return pp.deny(pp.say("key_too_small", w), pp.say("give_key_size", w))
      end
      w.licenses = lib.text.count(key, "license")
      return pp.allow(pp.say("reactivated", w), { new_end_date = w.new_end, active_licenses_after = key })
    end,

    ["license.assign"] = function(req, state, ctx)
      local sub = req.subscription
      local w = words(sub, ctx)
      if w.why == nil then
        return pp.allow(w.runs)
      end
      local membership = sub.model ~= "product_key" and state.partner.membership
      local how = membership and pp.say("renew_membership",
        { offer = membership.offer, membership_end = membership["end"], product = sub.product })
        or pp.say("reactivate", w)
      return pp.deny(pp.say("no_service", w), pp.say("then_assign", { how = how }))
    end,
  },
}
