-- policies/lib/end_dates.lua: the end dates product keys give a subscription (seed 002), in one
-- place for the rules that decide extensions and license additions and for the effects that
-- apply them, so the date a rule promises is the date the effect records. Policies and effects
-- read it as lib.end_dates (read-only). Days are day numbers (pp.date).

local end_dates = {}

-- Months of service one product key gives from the day it is redeemed.
end_dates.MONTHS_PER_KEY = 12

-- A key of `key` licenses extending a subscription with `active` licenses that ends on `ends`
-- adds 12 x key / active months. Returns the new end, the whole months added, the remainder
-- (the fraction of a month is rest / active, exact for integers) and that fraction as days.
-- Whole months are calendar months (pp.add_months, clamped to the month's last day); the
-- fraction is fraction x 365/12 days rounded to the nearest day (our reading: the documentation
-- gives whole months only). REQUIRES: key >= 1, active >= 1 and 12 x key fits an integer.
function end_dates.extended(ends, key, active)
  local num = 12 * key
  local whole = num // active
  local rest = num - whole * active
  whole = math.tointeger(whole) or whole
  local days = 0
  if rest ~= 0 then
    days = math.floor(rest * 365 / (12 * active) + 0.5)
  end
  return pp.add_months(ends, whole) + days, whole, rest, days
end

-- Calendar months from `from` to `to` (to >= from): the whole months (pp.add_months, month ends
-- clamped) plus the fraction of the next calendar month.
function end_dates.months_between(from, to)
  local whole = (to - from) // 31 - 1 -- a lower bound: no month is longer than 31 days
  if whole < 0 then
    whole = 0
  end
  while pp.add_months(from, whole + 1) <= to do
    whole = whole + 1
  end
  local start = pp.add_months(from, whole)
  local length = pp.add_months(from, whole + 1) - start
  return whole + (to - start) / length
end

-- The day `months` (a non-negative number) calendar months after `from`: the whole months, then
-- the fraction of the following calendar month, rounded to the nearest day.
function end_dates.months_after(from, months)
  local whole = math.floor(months + 1e-9) -- 8.9999999 from float division is 9 months
  -- Then the fraction is a hair below 0 (above -1e-9), which still rounds to day 0 below.
  local fraction = months - whole
  local start = pp.add_months(from, whole)
  local length = pp.add_months(from, whole + 1) - start
  return start + math.floor(fraction * length + 0.5)
end

-- Adding `added` licenses, each with `per_key` months, to `active` licenses with the time from
-- `today` to `ends` left: all licenses then share (active x left + added x per_key) / (active +
-- added) months from today; no time is added or lost. Returns the shared end day, the months
-- left before and after. REQUIRES: ends >= today, added >= 1. Floats: added x per_key and
-- active + added would wrap around as integers for counts near 2^63.
function end_dates.averaged(today, ends, active, added, per_key)
  local before = end_dates.months_between(today, ends)
  local after = (active * before + per_key * 1.0 * added) / (active + 0.0 + added)
  return end_dates.months_after(today, after), before, after
end

return end_dates
