-- policies/subscriptions/license_averaging.lua
--
-- Adding C licenses (a product key of C licenses redeemed with "Add licenses") to a subscription
-- with A active licenses and B months left does not add or remove time: the existing A x B
-- license-months and the new key's C x 12 are spread over all A + C licenses, which then share one
-- end date, (A x B + C x 12) / (A + C) months from today.
--
-- Months are calendar months counted from today (ctx.as_of) with pp.add_months, so a month-end
-- start is clamped (Jan 31 + 1 month = Feb 28/29); the part after the last whole month is the
-- fraction of that next calendar month. The new end date is today plus the whole months of the
-- result plus its fraction of the following calendar month, rounded to the nearest day.

-- B: whole calendar months from `from` to `to` (to >= from) and the fraction of the next one
-- (lib.end_dates, which the effect of subscription.add-licenses uses too).
local months_between = lib.end_dates.months_between

-- A number of months for facts and messages: an integer when whole, else 2 decimals.
local function rounded(months)
  local r = math.floor(months * 100 + 0.5) / 100
  return math.tointeger(r) or r
end

local function show(months)
  local r = rounded(months)
  if math.type(r) == "integer" then
    return tostring(r)
  end
  local text = ("%.2f"):format(r)
  if text:sub(-1) == "0" then
    text = text:sub(1, -2)
  end
  return text
end

-- "1 license", "25 licenses".
local function licenses(n)
  return lib.text.count(n, "license")
end

---@type Rule
return {
  id = "subscriptions.license-averaging",
  title = "Added licenses share one end date: time left is averaged over all licenses",
  severity = "error",
  source = { seed = "002_013589e162925edb.txt", section = "Add more licenses to an existing subscription" },
  description = "Adding C licenses to a subscription with A active licenses and B months left leaves "
    .. "(A x B + C x months_per_key) / (A + C) months for all licenses: each new key brings months_per_key "
    .. "(12) months per license and no time is added or lost (seed 002, 'Add more licenses to an existing "
    .. "subscription'). B is counted in calendar months from today to the subscription's end "
    .. "(pp.add_months, month ends clamped) plus the fraction of the next calendar month; the new end date "
    .. "is today plus the result in the same way, rounded to the nearest day; months in facts are rounded "
    .. "to 2 decimals. decide subscription.add-licenses on a product-key subscription: allowed with "
    .. "months_left_before, months_left_after, licenses_after and new_end_date; denied when C < 1; with C "
    .. "open, a condition that C is at least 1, stating the formula with A and B filled in. No say on a "
    .. "disabled or expired subscription or one past its end (no time is left to average: it is reactivated "
    .. "with a new key, subscriptions.lapsed-reactivation), nor on modernized subscriptions, whose end is "
    .. "the membership end (cloud.modernized-no-extension). No state check: the state keeps no end "
    .. "date from before a recorded license addition, so past averaging cannot be verified.",
  params = { months_per_key = 12 },
  constrains = { "subscriptions.active_licenses", "subscriptions.end" },
  no_say = {
    ["benefit.redeem"] = "a redemption creates a subscription with its own licenses; averaging applies when licenses are added to an existing one",
    ["membership.purchase"] = "a purchase moves the end of modernized subscriptions, and this rule averages product-key ones only",
    ["membership.renew"] = "renewal moves the end of modernized subscriptions, and this rule averages product-key ones only",
    ["subscription.reactivate"] = "reactivation gives 12 months from the redemption (subscriptions.lapsed-reactivation decides it); it averages nothing",
    ["subscription.extend"] = "an extension keeps the licenses and moves the end by the key's months (subscriptions.extension-limit decides it)",
  },

  decide = {
    ["subscription.add-licenses"] = function(req, state, ctx)
      local sub = req.subscription
      if sub.model ~= "product_key" then
        return nil -- modernized: the end is the membership end
      end
      if lib.subscriptions.lapse(sub, ctx.as_of) ~= nil then
        -- Disabled, expired or past its end: no time left to average, only a reactivation
        -- (subscriptions.lapsed-reactivation).
        return nil
      end
      local per_key = ctx.params.months_per_key
      local ends = pp.date(sub["end"])

      local active = math.tointeger(sub.active_licenses) or sub.active_licenses
      local before = months_between(ctx.as_of, ends)
      local formula = ("(%d x %s + C x %d) / (%d + C)"):format(active, show(before), per_key, active)
      local added = req.licenses
      if added == nil then
        return pp.condition(
          ("the number of licenses added (C) must be at least 1; all licenses of subscription %s then share %s months "
            .. "from today, instead of the %s months left now (until %s): the time left is averaged toward %d months, "
            .. "none is added or lost"):format(sub.id, formula, show(before), sub["end"], per_key),
          { months_left_before = rounded(before), licenses_before = active })
      end
      if added < 1 then
        return pp.deny(
          ("%d licenses cannot be added to subscription %s: the number of licenses added must be at least 1"):format(added, sub.id),
          ("give the number of licenses on the product key to redeem with Add licenses on %s (at least 1)"):format(sub.id))
      end

      -- The same arithmetic as the effect of subscription.add-licenses (lib.end_dates).
      local new_end, _, after = lib.end_dates.averaged(ctx.as_of, ends, active, added, per_key)
      local total = active + 0.0 + added -- a float: A + C would wrap around for C near 2^63
      local total_int = math.tointeger(total)
      return pp.allow(
        ("adding %s to subscription %s (%s active, %s months left until %s) leaves all %s (%d x %s + %d x %d) / %s = %s months, until %s; no time is added or lost"):format(
          licenses(added), sub.id, licenses(active), show(before), sub["end"],
          total_int and licenses(total_int) or ("%.0f licenses"):format(total),
          active, show(before), added, per_key, total_int and tostring(total_int) or ("%.0f"):format(total),
          show(after), pp.date_string(new_end)),
        {
          months_left_before = rounded(before),
          months_left_after = rounded(after),
          licenses_after = total_int or total,
          new_end_date = pp.date_string(new_end),
        })
    end,
  },
}
