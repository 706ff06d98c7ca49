-- The fields the messages about `sub` use.
local function fields(state, sub)
  local membership = state.partner.membership
  return { sub = sub.id, product = sub.product, ends = sub["end"], offer = membership.offer,
    membership_end = membership["end"],
    describe = pp.say("describe", { product = sub.product,
      licenses = lib.text.count(sub.active_licenses, "license") }) }
end

-- A decide that denies on a modernized subscription with `message` and `remedy`; product-key
-- subscriptions belong to another rule.
local function refuse(message, remedy)
  return function(req, state, ctx)
    local sub = req.subscription
    if sub.model ~= "modernized" then
      return nil
    end
    local f = fields(state, sub)
    return pp.deny(message(f), remedy(f), { current_end_date = sub["end"] })
  end
end

local function renew_remedy(f)
  return pp.say("renew", f)
end

---@type Rule
return {
  id = "cloud.modernized-no-extension",
  severity = "error",
  source = { seed = "002_013589e162925edb.txt",
             section = "Will I be able to extend my subscription going forward?" },
  params = {},
  constrains = { "subscriptions.end", "subscriptions.key_redemptions", "partner.membership" },
  informs = {
    ["membership.renew"] = "renewing is how a modernized subscription runs on; the answer only names the subscriptions it carries forward",
  },
  no_say = {
    ["benefit.redeem"] = "a keyless redemption creates a subscription that ends with the membership, and a product-key one is not modernized",
    ["membership.purchase"] = "a purchase sets the membership dates that modernized subscriptions follow; nothing is extended by hand",
  },

  check = function(state, ctx)
    for _, sub in ipairs(state.subscriptions) do
      if sub.model == "modernized" then
        if sub.status ~= "expired" and sub["end"] ~= state.partner.membership["end"] then
          local f = fields(state, sub)
          ctx.report{ at = sub, message = pp.say("end_differs", f), remedy = pp.say("correct_end", f) }
        end
        for _, r in ipairs(sub.key_redemptions or {}) do
          if r.use == "extend" then
            local f = fields(state, sub)
            f.key, f.on = r.key, r.on
            ctx.report{ at = sub, message = pp.say("extended", f), remedy = pp.say("check_keys", f) }
          end
        end
      end
    end
  end,

  alerts = function(state, ctx)
    for _, sub in ipairs(state.subscriptions) do
      local ends = sub.model == "modernized" and sub.status ~= "expired" and pp.date(sub["end"])
      if ends and ends >= ctx.as_of and ends <= ctx.horizon then
        local f = fields(state, sub)
        ctx.alert{ at = sub, on = ends, severity = "warning", message = pp.say("ends_soon", f),
          remedy = renew_remedy(f) }
      end
    end
  end,

  decide = {
    -- Product-key subscriptions: subscriptions.extension-limit.
    ["subscription.extend"] = refuse(function(f) return pp.say("no_extend", f) end, renew_remedy),

    -- Adding licenses with a key moves the end date (the time left is averaged), and a
    -- modernized subscription has no keys and keeps the membership's end date. Product-key
    -- subscriptions: subscriptions.license-averaging.
    ["subscription.add-licenses"] = refuse(function(f) return pp.say("no_add", f) end,
      function(f) return pp.say("buy_paid", f) end),

    -- Reactivation redeems a key; a modernized subscription comes back with the membership.
    -- Product-key subscriptions: subscriptions.lapsed-reactivation.
    ["subscription.reactivate"] = refuse(function(f) return pp.say("no_reactivate", f) end,
      function(f) return pp.say("renew_or_buy", f) end),

    -- Renewing is the way to keep modernized subscriptions: say which ones it carries forward.
    ["membership.renew"] = function(req, state, ctx)
      local carried = {}
      for _, sub in ipairs(state.subscriptions) do
        if sub.model == "modernized" and sub.status ~= "expired" then
          carried[#carried + 1] = sub.id
        end
      end
      if #carried == 0 then
        return nil
      end
      local one, ends = #carried == 1, state.partner.membership["end"]
      return pp.allow(pp.say("carries", { ids = table.concat(carried, ", "), ends = ends,
          s = one and "" or "s", they = one and "it ends" or "they end", run_s = one and "s" or "" }),
        { modernized_subscriptions = #carried, current_end_date = ends })
    end,
  },
}
