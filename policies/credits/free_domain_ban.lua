-- policies/credits/free_domain_ban.lua
--
-- Azure credits go only to users with a company e-mail domain, never to users of a free e-mail
-- service. The documentation names live.com, hotmail.com and gmail.com only as examples, so the
-- banned domains are a maintained public list (lib.free_mail_domains, generated from the npm
-- package freemail by tools/free_mail_domains.py) plus policies.toml's free_domains, less what
-- policies.toml's allowed_domains takes out of the public list. The three the documentation
-- names stay banned whatever the settings say.

local FREE_MAIL = lib.free_mail_domains
local PUBLIC_LIST = ("the free-mail list from npm %s %s"):format(FREE_MAIL.package, FREE_MAIL.version)

-- Banned whatever policies.toml says.
local ALWAYS_BANNED = { "gmail.com", "hotmail.com", "live.com" }
local ALWAYS_SET = {}
for _, d in ipairs(ALWAYS_BANNED) do
  ALWAYS_SET[d] = true
end

-- Lower case, and tolerate a leading "@" ("@Gmail.com").
local function normalise(domain)
  local d = pp.lower(domain)
  if d:sub(1, 1) == "@" then
    d = d:sub(2)
  end
  return d
end

-- A set of the non-empty normalised entries of a configured list (nil: none) and their count.
local function domain_set(list)
  local set, count = {}, 0
  for _, entry in ipairs(list or {}) do
    local d = normalise(entry)
    if d ~= "" and not set[d] then
      set[d] = true
      count = count + 1
    end
  end
  return set, count
end

-- Whether the public list holds exactly `domain` (a domain as pp.email_domain returns it: lower
-- case letters, digits, '-' and '.', so it cannot break out of the "\n" delimiters).
local function in_public_list(domain)
  local entries = FREE_MAIL.by_first[domain:sub(1, 1)]
  return entries ~= nil and entries:find("\n" .. domain .. "\n", 1, true) ~= nil
end

-- The settings, read once per call: configured extra and allowed domains, the sub-domain switch.
local function banned_domains(params)
  local extra, extra_count = domain_set(params.free_domains)
  local allowed, allowed_count = domain_set(params.allowed_domains)
  return {
    extra = extra,
    extra_count = extra_count,
    allowed = allowed,
    allowed_count = allowed_count,
    subdomains = params.match_subdomains == true,
  }
end

-- Where `candidate` is banned ("in the free-mail list from npm freemail 1.7.0"), or nil. An
-- allowed_domains entry takes a domain out of the public list only: policies.toml's own
-- free_domains and the documentation's three stay banned.
local function banned_source(candidate, ban)
  if not ban.allowed[candidate] and in_public_list(candidate) then
    return "in " .. PUBLIC_LIST
  end
  if ban.extra[candidate] then
    return "in policies.toml free_domains"
  end
  if ALWAYS_SET[candidate] then
    return "named in the Azure credits FAQ"
  end
  return nil
end

-- The banned entry that `domain` matches and where it is listed, or nil. The whole domain is
-- compared; with match_subdomains also each parent domain, nearest first (mail.gmail.com
-- matches gmail.com), never a mere suffix (notgmail.com does not).
local function banned_match(domain, ban)
  local source = banned_source(domain, ban)
  if source ~= nil then
    return domain, source
  end
  if ban.subdomains then
    local dot = domain:find(".", 1, true)
    while dot ~= nil do
      local parent = domain:sub(dot + 1)
      source = banned_source(parent, ban)
      if source ~= nil then
        return parent, source
      end
      dot = domain:find(".", dot + 1, true)
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

-- "the free e-mail domain gmail.com (in the free-mail list from npm freemail 1.7.0)" or
-- "x.gmail.com, a sub-domain of the free e-mail domain gmail.com (in ...)".
local function describe(domain, banned, source)
  if domain == banned then
    return ("the free e-mail domain %s (%s)"):format(domain, source)
  end
  return ("%s, a sub-domain of the free e-mail domain %s (%s)"):format(domain, banned, source)
end

-- The banned domains in a sentence, for a condition on an open user: the documentation's three
-- examples, then where the rest are listed, never thousands of domains.
local function describe_list(ban)
  local list = ("%s from npm %s %s in policies/lib/free_mail_domains.lua"):format(
    lib.text.count(FREE_MAIL.count, "domain"), FREE_MAIL.package, FREE_MAIL.version)
  if ban.allowed_count > 0 then
    list = list .. (" less the %s in policies.toml allowed_domains"):format(
      lib.text.count(ban.allowed_count, "domain"))
  end
  if ban.extra_count > 0 then
    list = list .. (" plus the %s in policies.toml free_domains"):format(
      lib.text.count(ban.extra_count, "domain"))
  end
  return ("%s or any other free-mail domain (list: %s)%s"):format(
    table.concat(ALWAYS_BANNED, ", "), list, ban.subdomains and ", or a sub-domain of one" or "")
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
  local ban = banned_domains(ctx.params)
  if req.user == nil then
    return pp.condition(("the user must not have a free e-mail address: %s"):format(describe_list(ban)))
  end
  local email = req.user.email
  local domain = domain_of(email)
  if domain == nil then
    return pp.deny(
      ("%s is not a valid e-mail address, so its domain cannot be checked"):format(tostring(email)),
      "give the user's full sign-in address in the form name@domain")
  end
  local banned, source = banned_match(domain, ban)
  if banned ~= nil then
    return pp.deny(
      ("%s uses %s; Azure credits cannot be assigned to users of free e-mail services"):format(
        email, describe(domain, banned, source)),
      ("assign credit %s to %s"):format(req.credit.id, company_hint(state, req.actor, ban)))
  end
  if ban.allowed[domain] and in_public_list(domain) then
    return pp.allow(
      ("%s uses %s, which policies.toml allowed_domains takes out of %s; Azure credits accept it"):format(
        email, domain, PUBLIC_LIST))
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
    .. "of free e-mail services (seed 001, FAQ 'Are there restrictions on domains?', which names live.com, "
    .. "hotmail.com and gmail.com as examples). The domain is the part after the last @, lower-cased "
    .. "(pp.email_domain), and the whole of it is compared with the banned domains: Bob@GMAIL.com and "
    .. "x@hotmail.co.uk are banned, notgmail.com, gmail-consulting.com and gmail.com.contoso.net are not. "
    .. "The banned domains are the free list of the npm package freemail (lib.free_mail_domains, about "
    .. "4,500 consumer mail domains, regenerated by tools/free_mail_domains.py), plus free_domains from "
    .. "policies.toml (major providers' domains that list lacks, and any a compliance team adds), less "
    .. "allowed_domains (entries a compliance team takes out of the npm list); gmail.com, hotmail.com and "
    .. "live.com stay banned whatever the settings say. Entries are compared in lower case, a leading @ "
    .. "ignored. Sub-domains of a banned domain (mail.gmail.com) match only when match_subdomains = true; "
    .. "the default is false, since the documentation names whole domains. Messages name the matched "
    .. "entry and the list it is in. A malformed address is denied, never allowed. check reports every "
    .. "credit whose current user has a banned domain; decide denies credit.assign and credit.reassign "
    .. "to such a user, allows them otherwise, and for an open user states the condition.",
  params = {
    free_domains = {
      "hotmail.co.jp", "hotmail.co.kr", "hotmail.com.ar", "hotmail.com.au", "hotmail.com.tr",
      "hotmail.cl", "hotmail.dk", "hotmail.fi", "hotmail.gr", "hotmail.se", "live.co.kr", "live.hk",
      "aol.de", "gmx.ch", "proton.me", "protonmail.ch", "pm.me", "yandex.by", "yandex.kz",
      "internet.ru", "daum.net", "tutanota.com", "tutanota.de", "tuta.io",
    },
    allowed_domains = {},
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
          local banned, source = banned_match(domain, ban)
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
                credit.id, user.email, describe(domain, banned, source)),
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
