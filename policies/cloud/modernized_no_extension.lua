-- policies/cloud/modernized_no_extension.lua
--
-- A subscription created by the modernized (keyless, $0 checkout) redemption cannot be extended
-- by hand: its end date is the membership's end date, whenever the benefit was redeemed. To keep
-- using the product, the partner renews the membership (the subscription then runs to the new
-- membership end) or buys a paid subscription.

-- "Microsoft 365 E3, 25 licenses" for messages.
local function describe(sub)
  return ("%s, %s"):format(sub.product, lib.text.count(sub.active_licenses, "license"))
end

-- The recorded key redemptions of `sub` that extended it, oldest first.
local function extensions(sub)
  local found = {}
  if sub.key_redemptions ~= nil then
    for _, r in ipairs(sub.key_redemptions) do
      if r.use == "extend" then
        found[#found + 1] = r
      end
    end
  end
  return found
end

local function renew_remedy(membership, before)
  return ("renew the membership (%s) before %s; the subscription then runs to the new membership end "
    .. "date, or buy a paid subscription of the product"):format(membership.offer, before)
end

---@type Rule
return {
  id = "cloud.modernized-no-extension",
  title = "Modernized cloud subscriptions end with the membership and cannot be extended",
  severity = "error",
  source = { seed = "002_013589e162925edb.txt",
             section = "Will I be able to extend my subscription going forward?" },
  description = "In the modernized (keyless) experience a cloud benefit subscription cannot be extended "
    .. "manually: its end date is the membership end date, whatever the redemption date (seed 002, 'Will I "
    .. "be able to extend my subscription going forward?' and the 'Benefits Expiry' row of 'What will "
    .. "partner notice as different in the new cloud benefits experience?'). check reports a modernized "
    .. "subscription that is not expired whose end differs from partner.membership.end (an expired one "
    .. "ended with an earlier membership), and any modernized subscription whose key redemption history "
    .. "records an 'extend'. decide subscription.extend: denied on a modernized subscription whatever the "
    .. "key (remedy: renew the membership; fact current_end_date); no say on product-key subscriptions "
    .. "(subscriptions.extension-limit). decide subscription.add-licenses: denied on a modernized subscription "
    .. "whatever the number (it has no keys, and adding licenses with a key moves the end date; remedy: buy "
    .. "a paid subscription). decide subscription.reactivate: denied on a modernized subscription (remedy: "
    .. "renew the membership); no say on product-key ones (subscriptions.lapsed-reactivation). decide membership.renew: allowed, naming the modernized subscriptions "
    .. "(not expired) that the renewal carries to the new membership end; no say when there are none. alerts: a modernized subscription that is not expired and ends "
    .. "between today and the horizon is dated on its recorded end date (warning), with the membership "
    .. "renewal as remedy.",
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
    local membership = state.partner.membership
    for _, sub in ipairs(state.subscriptions) do
      if sub.model == "modernized" then
        if sub.status ~= "expired" and sub["end"] ~= membership["end"] then
          ctx.report{
            at = sub,
            message = ("modernized subscription %s (%s) ends on %s, but a modernized subscription ends with the membership, on %s"):format(
              sub.id, describe(sub), sub["end"], membership["end"]),
            remedy = ("correct the recorded end date of %s to %s (the admin center aligns it to the membership "
              .. "end; it cannot be moved by hand)"):format(sub.id, membership["end"]),
          }
        end
        for _, r in ipairs(extensions(sub)) do
          ctx.report{
            at = sub,
            message = ("modernized subscription %s records an extension with product key %s on %s; modernized subscriptions cannot be extended manually"):format(
              sub.id, r.key, r.on),
            remedy = ("check the key redemption history of %s: a key extension is only possible on product-key "
              .. "subscriptions; its end is the membership end, %s"):format(sub.id, membership["end"]),
          }
        end
      end
    end
  end,

  alerts = function(state, ctx)
    local membership = state.partner.membership
    for _, sub in ipairs(state.subscriptions) do
      if sub.model == "modernized" and sub.status ~= "expired" then
        local ends = pp.date(sub["end"])
        if ends >= ctx.as_of and ends <= ctx.horizon then
          ctx.alert{
            at = sub,
            on = ends,
            severity = "warning",
            message = ("modernized subscription %s (%s) ends on %s with the membership (%s) and cannot be extended with a key"):format(
              sub.id, describe(sub), sub["end"], membership.offer),
            remedy = renew_remedy(membership, sub["end"]),
          }
        end
      end
    end
  end,

  decide = {
    ["subscription.extend"] = function(req, state, ctx)
      local sub = req.subscription
      if sub.model ~= "modernized" then
        return nil -- product-key subscriptions: subscriptions.extension-limit
      end
      local membership = state.partner.membership
      return pp.deny(
        ("subscription %s (%s) was redeemed through the modernized $0 checkout, so it cannot be extended manually; it ends on %s, with the membership"):format(
          sub.id, sub.product, sub["end"]),
        renew_remedy(membership, sub["end"]),
        { current_end_date = sub["end"] })
    end,

    -- Adding licenses with a key moves the end date (the time left is averaged), and a
    -- modernized subscription has no keys and keeps the membership's end date.
    ["subscription.add-licenses"] = function(req, state, ctx)
      local sub = req.subscription
      if sub.model ~= "modernized" then
        return nil -- product-key subscriptions: subscriptions.license-averaging
      end
      return pp.deny(
        ("subscription %s (%s) was redeemed through the modernized $0 checkout: it has no product keys and its end date stays the membership's, %s, so no key adds licenses to it"):format(
          sub.id, describe(sub), sub["end"]),
        ("buy a paid subscription of %s for more licenses; the benefit's own licenses come with the membership (%s)"):format(
          sub.product, state.partner.membership.offer),
        { current_end_date = sub["end"] })
    end,

    -- Reactivation redeems a key; a modernized subscription comes back with the membership.
    ["subscription.reactivate"] = function(req, state, ctx)
      local sub = req.subscription
      if sub.model ~= "modernized" then
        return nil -- product-key subscriptions: subscriptions.lapsed-reactivation
      end
      local membership = state.partner.membership
      return pp.deny(
        ("subscription %s (%s) was redeemed through the modernized $0 checkout: no product key reactivates it, it runs with the membership (its end date is %s)"):format(
          sub.id, sub.product, sub["end"]),
        ("renew the membership (%s, ends %s): modernized subscriptions run to the membership end date; or buy a paid "
          .. "subscription of %s"):format(membership.offer, membership["end"], sub.product),
        { current_end_date = sub["end"] })
    end,

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
      local membership = state.partner.membership
      return pp.allow(
        ("renewing the membership carries the modernized subscription%s %s forward: %s with the membership, now on %s, and then run%s to the new membership end"):format(
          #carried == 1 and "" or "s", table.concat(carried, ", "), #carried == 1 and "it ends" or "they end",
          membership["end"], #carried == 1 and "s" or ""),
        { modernized_subscriptions = #carried, current_end_date = membership["end"] })
    end,
  },
}
