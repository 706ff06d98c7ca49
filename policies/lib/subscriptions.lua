-- policies/lib/subscriptions.lua: whether a cloud subscription still runs on a given day, and the
-- product keys it may be given. Policies read it as lib.subscriptions (read-only).
--
-- One definition of "lapsed" for every rule that decides a subscription action, so that no rule
-- extends or averages from an end date another rule already treats as past.

local subscriptions = {}

-- Why `sub` no longer runs on day `as_of` (a day number): "disabled" or "expired" (its status),
-- "ended" (its status still says active but its end date is before `as_of`), or nil while it
-- runs. The end date itself is the last day of service.
function subscriptions.lapse(sub, as_of)
  if sub.status == "disabled" or sub.status == "expired" then
    return sub.status
  end
  if pp.date(sub["end"]) < as_of then
    return "ended"
  end
  return nil
end

-- "subscription S-1 is expired (it ended on 2026-06-01)" / "... is disabled (...)" / "subscription
-- S-1 ended on 2026-06-01, although its status still says active": the lapse in words.
function subscriptions.lapse_text(sub, lapse)
  if lapse == "ended" then
    return ("subscription %s ended on %s, although its status still says active"):format(sub.id, sub["end"])
  end
  return ("subscription %s is %s (its end date is %s)"):format(sub.id, lapse, sub["end"])
end

-- A product key as compared: upper case, without dashes or spaces ("aaaa1-bbbb2-..." and
-- "AAAA1BBBB2..." are the same key).
function subscriptions.key_id(key)
  return (string.upper(key):gsub("[^%w]", ""))
end

-- The first product key of `benefit` not yet redeemed, or nil: the key a redemption of the
-- benefit uses next (rules and effects ask the same question).
function subscriptions.next_key(benefit)
  for _, k in ipairs(benefit.product_keys or {}) do
    if k.redeemed_on == nil then
      return k
    end
  end
  return nil
end

return subscriptions
