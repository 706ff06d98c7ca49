-- policies/lib/text.lua: small wording helpers shared by rule messages.
-- Policies read it as lib.text (read-only).

local text = {}

-- A user's label in messages: the e-mail (every user has one; so does a new user of a request).
function text.user(user)
  return user.email
end

-- A tenant's label in messages: "T-1 (contoso.onmicrosoft.com)".
function text.tenant(tenant)
  return ("%s (%s)"):format(tenant.id, tenant.domain)
end

-- "a", "a or b", "a, b or c" (`word` = "or"), or "a, b and c" (`word` = "and"); `none` (default
-- "") for an empty list.
function text.join(list, word, none)
  if #list <= 1 then
    return list[1] or none or ""
  end
  return table.concat(list, ", ", 1, #list - 1) .. " " .. (word or "and") .. " " .. list[#list]
end

-- "a, b, c" when `list` holds all `total` items, else "a, b, c and 12 more": a list the state may
-- make thousands long, shown by its first few.
function text.first_of(list, total)
  local shown = table.concat(list, ", ")
  return total > #list and ("%s and %d more"):format(shown, total - #list) or shown
end

-- "1 license", "3 licenses".
function text.count(n, one, many)
  return ("%s %s"):format(tostring(math.tointeger(n) or n), n == 1 and one or (many or one .. "s"))
end

-- "USD 40", "EUR 12.50": whole amounts without decimals, others with two.
function text.money(amount, currency)
  local code = currency or "USD"
  if amount == math.floor(amount) then
    return ("%s %d"):format(code, math.floor(amount))
  end
  return ("%s %.2f"):format(code, amount)
end

return text
