-- policies/subscriptions/extension_limit.lua
--
-- Extending a product-key subscription's end date with a key of K licenses while A licenses
-- are active adds 12 × K / A months, and an extension may add at most three years: a key of
-- more than 3 × A licenses is refused.

-- Months as shown to the user: "3", "1.71".
local function show(value)
  local as_int = math.tointeger(value)
  if as_int ~= nil then
    return tostring(as_int)
  end
  local rounded = math.floor(value * 100 + 0.5) / 100
  return ("%g"):format(rounded)
end

-- The number of months for facts: an integer when whole, else rounded to 2 decimals.
local function months_fact(whole, rest, active)
  if rest == 0 then
    return whole
  end
  return math.floor((whole + rest / active) * 100 + 0.5) / 100
end

-- "1 license", "25 licenses".
local function licenses(n)
  return lib.text.count(n, "license")
end

-- The largest key (licenses) whose extension stays within max_months.
local function largest_key(active, max_months)
  local n = (max_months * active) // 12
  return math.tointeger(n) or n
end

---@type Rule
return {
  id = "subscriptions.extension-limit",
  title = "A product key extends a subscription by at most three years",
  severity = "error",
  source = { seed = "002_013589e162925edb.txt", section = "Licensing scenarios" },
  description = "Redeeming a product key of K licenses to extend the end date of a subscription with A "
    .. "active licenses adds 12 x K / A months, and one extension adds at most max_extension_months (36, "
    .. "three years), so a key of more than 3 x A licenses is refused (seed 002, 'Licensing scenarios' "
    .. "scenarios 1-4, and 'Extend the end date of an existing subscription'). decide subscription.extend: "
    .. "no say on modernized subscriptions (cloud.modernized-no-extension covers them); denied when A is 0 or "
    .. "the key is too large; otherwise allowed with months_added and new_end_date. When 12K/A is not a "
    .. "whole number, the new end date is the end date plus the whole months (pp.add_months, clamped to the "
    .. "month's last day) plus the fraction of a month as days, fraction x 365/12 rounded to the nearest "
    .. "day (A=7, K=1: 1 month and 22 days); this is our reading, the documentation only gives whole-month "
    .. "examples. No say on a disabled or expired subscription, or one past its end date: it has no end "
    .. "date to extend from and is reactivated instead (subscriptions.lapsed-reactivation). check reports "
    .. "a recorded extension whose key had more than 3 x the licenses active before it.",
  params = { max_extension_months = 36 },
  constrains = { "subscriptions.end", "subscriptions.key_redemptions" },
  no_say = {
    ["benefit.redeem"] = "a first redemption gives 12 months from its day (cloud.key-single-use); only extending an existing subscription is limited to three years",
    ["membership.purchase"] = "a purchase moves the end of modernized subscriptions to the new membership end, which no key extends",
    ["membership.renew"] = "renewal moves the end of modernized subscriptions, which no key extends",
    ["subscription.reactivate"] = "reactivation gives 12 months from the redemption (subscriptions.lapsed-reactivation decides it); it extends nothing",
    ["subscription.add-licenses"] = "adding licenses averages the time left (subscriptions.license-averaging) instead of extending the end by the key's months",
  },

  check = function(state, ctx)
    local max_months = ctx.params.max_extension_months
    for _, sub in ipairs(state.subscriptions) do
      if sub.key_redemptions ~= nil then
        for _, r in ipairs(sub.key_redemptions) do
          -- Compared against the largest allowed key, never by multiplying the key: a recorded
          -- key count near 2^63 would wrap around in 12 * K.
          if r.use == "extend" and r.licenses > largest_key(r.active_licenses_before, max_months) then
            local what
            if r.active_licenses_before == 0 then
              what = "while no licenses were active"
            else
              what = ("against %s active, which would add %s months"):format(
                licenses(r.active_licenses_before), show(12.0 * r.licenses / r.active_licenses_before))
            end
            ctx.report{
              at = sub,
              message = ("subscription %s records an extension on %s with a key of %s %s; an extension adds at most %d months"):format(
                sub.id, r.on, licenses(r.licenses), what, max_months),
              remedy = ("the service refuses such a key, so check the key redemption history of %s (an extension key could carry at most %s here)"):format(
                sub.id, licenses(largest_key(r.active_licenses_before, max_months))),
            }
          end
        end
      end
    end
  end,

  decide = {
    ["subscription.extend"] = function(req, state, ctx)
      local sub = req.subscription
      if sub.model == "modernized" then
        return nil -- cannot be extended manually at all: cloud.modernized-no-extension
      end
      if lib.subscriptions.lapse(sub, ctx.as_of) ~= nil then
        -- Disabled, expired or past its end: there is no end date to extend from, only a
        -- reactivation (subscriptions.lapsed-reactivation).
        return nil
      end
      local max_months = ctx.params.max_extension_months
      local active = math.tointeger(sub.active_licenses) or sub.active_licenses
      if req.key_licenses == nil then
        -- Open question: which keys would be accepted.
        if active == 0 then
          return pp.deny(
            ("subscription %s has no active licenses, so no key can extend it (the months added are 12 x key licenses / active licenses)"):format(sub.id),
            ("redeem the key as a new activation of %s instead of an extension, so that its licenses become active"):format(sub.id))
        end
        local biggest = largest_key(active, max_months)
        return pp.condition(
          ("the product key must carry between 1 and %s (%s x the %s active), which adds 12 x key / %s months, at most %d"):format(
            licenses(biggest), show(max_months / 12), licenses(active), show(active), max_months),
          { max_key_licenses = biggest, current_end = sub["end"] })
      end
      local key = math.tointeger(req.key_licenses) or req.key_licenses

      if key < 1 then
        return pp.deny(
          ("a key of %s licenses adds no time to subscription %s"):format(tostring(key), sub.id),
          "give the number of licenses on the product key (at least 1)")
      end
      if active == 0 then
        return pp.deny(
          ("subscription %s has no active licenses, so there is nothing for the key to extend (the months added are 12 x key licenses / active licenses)"):format(sub.id),
          ("redeem the key as a new activation of %s instead of an extension, so that its licenses become active"):format(sub.id))
      end

      -- Refuse before any arithmetic on the key: 12 * K wraps around for K near 2^63.
      if key > largest_key(active, max_months) then
        local added = 12.0 * key / active
        local biggest = largest_key(active, max_months)
        return pp.deny(
          ("a key of %s on subscription %s (%s active) would add %s months; one extension adds at most %d months"):format(
            licenses(key), sub.id, licenses(active), show(added), max_months),
          ("use a key of at most %s to extend %s, or first add licenses to the subscription so that the key has at most %s x its active licenses, or redeem this key with Add licenses instead of Extend end date"):format(
            licenses(biggest), sub.id, show(max_months / 12)))
      end
      -- The same arithmetic as the effect of subscription.extend (lib.end_dates).
      local new_end, whole, rest, days = lib.end_dates.extended(pp.date(sub["end"]), key, active)
      local added = whole + rest / active
      local gained
      if days == 0 then
        gained = ("%s month%s"):format(show(whole), whole == 1 and "" or "s")
      else
        gained = ("%s months (%d month%s and %d day%s)"):format(
          show(added), whole, whole == 1 and "" or "s", days, days == 1 and "" or "s")
      end
      local message = ("a key of %s extends subscription %s (%s active) by %s, from %s to %s"):format(
        licenses(key), sub.id, licenses(active), gained, sub["end"], pp.date_string(new_end))
      return pp.allow(message, { months_added = months_fact(whole, rest, active), new_end_date = pp.date_string(new_end) })
    end,
  },
}
