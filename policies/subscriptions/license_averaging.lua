-- The months left (B): whole calendar months from `from` to `to` (to >= from) and the fraction
-- of the next one (lib.end_dates, which the effect of subscription.add-licenses uses too).
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
  severity = "error",
  source = { seed = "002_013589e162925edb.txt", section = "Add more licenses to an existing subscription" },
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
      local per_key, ends = ctx.params.months_per_key, pp.date(sub["end"])
      local active = math.tointeger(sub.active_licenses) or sub.active_licenses
      local before = months_between(ctx.as_of, ends)
      local added = req.licenses
      local w = { sub = sub.id, active = active, before = show(before), per_key = per_key,
        last_day = sub["end"], added = added }
      if added == nil then
        w.formula = pp.say("formula", w)
        return pp.condition(pp.say("at_least_one", w),
          { months_left_before = rounded(before), licenses_before = active })
      end
      if added < 1 then
        return pp.deny(pp.say("too_few", w), pp.say("give_count", w))
      end

      -- The same arithmetic as the effect of subscription.add-licenses (lib.end_dates).
      local new_end, _, after = lib.end_dates.averaged(ctx.as_of, ends, active, added, per_key)
      local total = active + 0.0 + added -- a float: A + C would wrap around for C near 2^63
      local total_int = math.tointeger(total)
      w.total = total_int and tostring(total_int) or ("%.0f"):format(total)
      w.total_licenses = total_int and licenses(total_int) or pp.say("n_licenses", { n = w.total })
      w.added_licenses, w.active_licenses = licenses(added), licenses(active)
      w.after, w.new_end = show(after), pp.date_string(new_end)
      return pp.allow(pp.say("averaged", w), {
        months_left_before = rounded(before),
        months_left_after = rounded(after),
        licenses_after = total_int or total,
        new_end_date = w.new_end,
      })
    end,
  },
}
