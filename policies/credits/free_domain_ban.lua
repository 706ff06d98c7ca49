-- policies/credits/free_domain_ban.lua
--
-- Azure credits go only to users with a company e-mail domain, never to users of a free
-- e-mail service. The documentation names live.com, hotmail.com and gmail.com as examples, so
-- the list is configurable (free_domains) but those three are always banned.

-- Banned whatever policies.toml says: the configured list is merged with these.
local ALWAYS_BANNED = { "gmail.com", "hotmail.com", "live.com" }

-- Lower case, and tolerate a leading "@" in a configured entry ("@gmail.com").
local function normalise(domain)
  local d = pp.lower(domain)
  if d:sub(1, 1) == "@" then
    d = d:sub(2)
  end
  return d
end

-- The banned domains: a set for lookups, a list in a fixed order (always-banned first, then
-- the configured entries in their order) for sub-domain matching, and the sub-domain switch.
local function banned_domains(params)
  local set, list = {}, {}
  local function add(domain)
    local d = normalise(domain)
    if d ~= "" and not set[d] then
      set[d] = true
      list[#list + 1] = d
    end
  end
  for _, d in ipairs(ALWAYS_BANNED) do
    add(d)
  end
  if params.free_domains ~= nil then
    for _, d in ipairs(params.free_domains) do
      add(d)
    end
  end
  return { set = set, list = list, subdomains = params.match_subdomains == true }
end

-- The banned domain that `domain` matches, or nil. Exact match; with match_subdomains also
-- any domain ending in "." .. banned (mail.gmail.com), never a mere suffix (notgmail.com).
local function banned_match(domain, ban)
  if ban.set[domain] then
    return domain
  end
  if ban.subdomains then
    for _, banned in ipairs(ban.list) do
      local tail = "." .. banned
      if #domain > #tail and domain:sub(-#tail) == tail then
        return banned
      end
    end
  end
  return nil
end

-- Domain of an address, or nil when it cannot be read (pp.email_domain refuses a domain longer
-- than 255 characters, which an address in the state or a request may still have).
local function domain_of(email)
  local ok, domain = pcall(pp.email_domain, email)
  if ok then
    return domain
  end
  return nil
end

-- "gmail.com" or "x.gmail.com (a sub-domain of gmail.com)".
local function describe(domain, banned)
  if domain == banned then
    return "the free e-mail domain " .. domain
  end
  return ("%s, a sub-domain of the free e-mail domain %s"):format(domain, banned)
end

-- A company domain to suggest: the actor's, else the first partner admin's, else the first
-- user's (document order) whose domain is not banned; nil when there is none.
local function company_domain(state, actor, ban)
  local function usable(user)
    if user == nil then
      return nil
    end
    local d = domain_of(user.email)
    if d ~= nil and banned_match(d, ban) == nil then
      return d
    end
    return nil
  end
  local d = usable(actor)
  if d ~= nil then
    return d
  end
  for _, user in ipairs(state.users) do
    if user.partner_center_roles ~= nil and pp.contains(user.partner_center_roles, "partner_admin") then
      d = usable(user)
      if d ~= nil then
        return d
      end
    end
  end
  for _, user in ipairs(state.users) do
    d = usable(user)
    if d ~= nil then
      return d
    end
  end
  return nil
end

local function company_hint(state, actor, ban)
  local d = company_domain(state, actor, ban)
  if d ~= nil then
    return ("a user with a company address (for example one ending in @%s), or add such a user first"):format(d)
  end
  return "a user with a company address on your organisation's own domain, or add such a user first"
end

-- Shared by credit.assign and credit.reassign.
local function judge(req, state, ctx)
  if req.user == nil then
    local ban = banned_domains(ctx.params)
    return pp.condition(
      ("the user must not have a free e-mail address (%s%s)"):format(
        table.concat(ban.list, ", "), ban.subdomains and ", or a sub-domain of one" or ""))
  end
  local email = req.user.email
  local domain = domain_of(email)
  if domain == nil then
    return pp.deny(
      ("%s is not a valid e-mail address, so its domain cannot be checked"):format(tostring(email)),
      "give the user's full sign-in address in the form name@domain")
  end
  local ban = banned_domains(ctx.params)
  local banned = banned_match(domain, ban)
  if banned ~= nil then
    return pp.deny(
      ("%s uses %s; Azure credits cannot be assigned to users of free e-mail services"):format(
        email, describe(domain, banned)),
      ("assign credit %s to %s"):format(req.credit.id, company_hint(state, req.actor, ban)))
  end
  return pp.allow(("%s uses a company domain (%s), which Azure credits accept"):format(email, domain))
end

---@type Rule
return {
  id = "credits.free-domain-ban",
  title = "Azure credits are not assigned to users with a free e-mail domain",
  severity = "error",
  source = { seed = "001_5c53631e905999a7.txt", section = "Are there restrictions on domains?" },
  description = "Azure credits can only be assigned to users with a company e-mail domain, not to users "
    .. "of free e-mail services (seed 001, FAQ 'Are there restrictions on domains?'). The domain is the "
    .. "part after the last @, lower-cased (pp.email_domain), compared exactly with the banned list: "
    .. "Bob@GMAIL.com is banned, notgmail.com and gmail.com.contoso.net are not. Sub-domains of a banned "
    .. "domain (mail.gmail.com) match only when match_subdomains = true; the default is false, since the "
    .. "documentation names whole domains. The banned list is free_domains from policies.toml merged with "
    .. "gmail.com, hotmail.com and live.com, which the documentation names and which are always banned; "
    .. "entries are compared in lower case. A malformed address is denied, never allowed. check reports "
    .. "every credit whose current user has a banned domain; decide denies credit.assign and "
    .. "credit.reassign to such a user and otherwise allows.",
  params = {
    free_domains = { "gmail.com", "hotmail.com", "live.com" },
    match_subdomains = false,
  },
  constrains = { "credits.assignments", "users.email" },

  check = function(state, ctx)
    local ban = banned_domains(ctx.params)
    local hint = nil -- computed once, on the first finding
    for _, credit in ipairs(state.credits) do
      local user_id = pp.assigned_user(credit)
      local user = user_id ~= nil and pp.find(state.users, user_id) or nil
      if user ~= nil then
        local domain = domain_of(user.email)
        if domain == nil then
          ctx.report{
            at = credit,
            message = ("credit %s is assigned to %s, whose e-mail address %s is malformed, so its domain cannot be checked"):format(
              credit.id, user.id, tostring(user.email)),
            remedy = ("correct the e-mail address of user %s"):format(user.id),
          }
        else
          local banned = banned_match(domain, ban)
          if banned ~= nil then
            hint = hint or company_hint(state, nil, ban)
            local fix
            if credit.kind == "bulk" then
              fix = ("a bulk credit cannot be reassigned, so give the next year's bulk credit to %s"):format(hint)
            else
              fix = ("reassign credit %s (this uses one of its reassignments) to %s"):format(credit.id, hint)
            end
            ctx.report{
              at = credit,
              message = ("credit %s is assigned to %s, who uses %s; Azure credits are not for users of free e-mail services"):format(
                credit.id, user.email, describe(domain, banned)),
              remedy = fix,
            }
          end
        end
      end
    end
  end,

  decide = {
    ["credit.assign"] = judge,
    ["credit.reassign"] = judge,
  },
}
