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

local function plural(n)
  return n == 1 and "" or "s"
end

-- The largest key (licenses) whose extension stays within max_months.
local function largest_key(active, max_months)
  local n = (max_months * active) // 12
  return math.tointeger(n) or n
end

---@type Rule
return {
  id = "subscriptions.extension-limit",
  severity = "error",
  source = { seed = "002_013589e162925edb.txt", section = "Licensing scenarios" },
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
      for _, r in ipairs(sub.key_redemptions or {}) do
        local before = r.active_licenses_before
        -- Compared against the largest allowed key, never by multiplying the key: a recorded
        -- key count near 2^63 would wrap around in 12 * K.
        if r.use == "extend" and r.licenses > largest_key(before, max_months) then
          local w = { sub = sub.id, on = r.on, key = licenses(r.licenses), max = max_months,
            biggest = licenses(largest_key(before, max_months)) }
          w.what = before == 0 and pp.say("while_none_active") or pp.say("against",
            { active = licenses(before), months = show(12.0 * r.licenses / before) })
          ctx.report{ at = sub, message = pp.say("records", w), remedy = pp.say("refused", w) }
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
      local w = { sub = sub.id, max = max_months, active = licenses(active), active_count = show(active),
        biggest = licenses(largest_key(active, max_months)), factor = show(max_months / 12) }
      if req.key_licenses == nil then
        -- Open question: which keys would be accepted.
        if active == 0 then
          return pp.deny(pp.say("none_active_open", w), pp.say("activate_instead", w))
        end
        return pp.condition(pp.say("key_range", w),
          { max_key_licenses = largest_key(active, max_months), current_end = sub["end"] })
      end
      local key = math.tointeger(req.key_licenses) or req.key_licenses
      if key < 1 then
        return pp.deny(pp.say("no_time", { key = tostring(key), sub = sub.id }), pp.say("give_key_size"))
      end
      if active == 0 then
        return pp.deny(pp.say("none_active", w), pp.say("activate_instead", w))
      end
      w.key = licenses(key)
      -- Refuse before any arithmetic on the key: 12 * K wraps around for K near 2^63.
      if key > largest_key(active, max_months) then
        w.months = show(12.0 * key / active)
        return pp.deny(pp.say("too_big", w), pp.say("smaller_key", w))
      end
      -- The same arithmetic as the effect of subscription.extend (lib.end_dates).
      local new_end, whole, rest, days = lib.end_dates.extended(pp.date(sub["end"]), key, active)
      w.gained = days == 0 and pp.say("whole_months", { months = show(whole), s = plural(whole) })
        or pp.say("months_and_days", { months = show(whole + rest / active), whole = whole, s = plural(whole),
          days = days, days_s = plural(days) })
      w.from, w.to = sub["end"], pp.date_string(new_end)
      return pp.allow(pp.say("extends", w), { months_added = months_fact(whole, rest, active), new_end_date = w.to })
    end,
  },
}
