local FREE_MAIL = lib.free_mail_domains
local NPM = { package = FREE_MAIL.package, version = FREE_MAIL.version }

-- Banned whatever policies.toml says.
local ALWAYS_BANNED = { "gmail.com", "hotmail.com", "live.com" }
local ALWAYS_SET = {}
for _, d in ipairs(ALWAYS_BANNED) do
  ALWAYS_SET[d] = true
end

-- A set of the non-empty normalised entries of a configured list (nil: none) and their count:
-- lower case, and tolerate a leading "@" ("@Gmail.com").
local function domain_set(list)
  local set, count = {}, 0
  for _, entry in ipairs(list or {}) do
    local d = pp.lower(entry):gsub("^@", "")
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
  local ban = { subdomains = params.match_subdomains == true }
  ban.extra, ban.extra_count = domain_set(params.free_domains)
  ban.allowed, ban.allowed_count = domain_set(params.allowed_domains)
  return ban
end

-- Where `candidate` is banned ("in the free-mail list from npm freemail 1.7.0"), or nil. An
-- allowed_domains entry takes a domain out of the public list only: policies.toml's own
-- free_domains and the documentation's three stay banned.
local function banned_source(candidate, ban)
  local key = not ban.allowed[candidate] and in_public_list(candidate) and "in_public"
    or ban.extra[candidate] and "in_extra" or ALWAYS_SET[candidate] and "in_faq"
  return key and pp.say(key, NPM) or nil
end

-- How `domain` is banned, in words ("the free e-mail domain gmail.com (in ...)", "x.gmail.com, a
-- sub-domain of the free e-mail domain gmail.com (in ...)"), or nil. The whole domain is
-- compared; with match_subdomains also each parent domain, nearest first (mail.gmail.com
-- matches gmail.com), never a mere suffix (notgmail.com does not).
local function banned_match(domain, ban)
  local candidate, dot = domain, 0
  while candidate do
    local source = banned_source(candidate, ban)
    if source then
      return pp.say(candidate == domain and "free_domain" or "sub_domain",
        { domain = domain, banned = candidate, source = source })
    end
    dot = ban.subdomains and domain:find(".", dot + 1, true)
    candidate = dot and domain:sub(dot + 1)
  end
end

-- Domain of an address, or nil when it cannot be read (pp.email_domain refuses a domain longer
-- than 255 characters, which an address in the state or a request may still have).
local function domain_of(email)
  local ok, domain = pcall(pp.email_domain, email)
  return ok and domain or nil
end

-- A company domain to suggest: the actor's, else the first partner admin's, else the first
-- user's (document order) whose domain is not banned; nil when there is none.
local function company_domain(state, actor, ban)
  local function usable(user, admin)
    local roles = user and user.partner_center_roles or {}
    local d = user and (not admin or pp.contains(roles, "partner_admin")) and domain_of(user.email)
    return d and not banned_match(d, ban) and d
  end
  local d = usable(actor)
  if d then
    return d
  end
  for _, admin in ipairs({ true, false }) do
    for _, user in ipairs(state.users) do
      d = usable(user, admin)
      if d then
        return d
      end
    end
  end
  return nil
end

local function company_hint(state, actor, ban)
  local d = company_domain(state, actor, ban)
  return d and pp.say("company_example", { domain = d }) or pp.say("company_own", {})
end

-- Shared by credit.assign and credit.reassign.
local function judge(req, state, ctx)
  local ban = banned_domains(ctx.params)
  if req.user == nil then
    -- The documentation's three examples, then where the rest are listed, never thousands.
    local n = function(count) return lib.text.count(count, "domain") end
    return pp.condition(pp.say("no_free_address", { always = table.concat(ALWAYS_BANNED, ", "),
      count = n(FREE_MAIL.count), package = NPM.package, version = NPM.version,
      less = ban.allowed_count > 0 and pp.say("less", { n = n(ban.allowed_count) }) or "",
      plus = ban.extra_count > 0 and pp.say("plus", { n = n(ban.extra_count) }) or "",
      sub = ban.subdomains and pp.say("or_sub", {}) or "" }))
  end
  local email = req.user.email
  local domain = domain_of(email)
  local f = { email = tostring(email), domain = domain, package = NPM.package,
    version = NPM.version }
  if not domain then
    return pp.deny(pp.say("malformed", f), pp.say("full_address", f))
  end
  f.free = banned_match(domain, ban)
  if f.free then
    f.credit, f.hint = req.credit.id, company_hint(state, req.actor, ban)
    return pp.deny(pp.say("free_user", f), pp.say("assign_company", f))
  end
  local key = ban.allowed[domain] and in_public_list(domain) and "allowed" or "company"
  return pp.allow(pp.say(key, f))
end

---@type Rule
return {
  id = "credits.free-domain-ban",
  severity = "error",
  source = { seed = "001_5c53631e905999a7.txt", section = "Are there restrictions on domains?" },
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
    local hint -- computed once, on the first finding
    for _, credit in ipairs(state.credits) do
      local user_id = pp.assigned_user(credit)
      local user = user_id and pp.find(state.users, user_id)
      local domain = user and domain_of(user.email)
      local free = domain and banned_match(domain, ban)
      if user and (not domain or free) then
        if domain then
          hint = hint or company_hint(state, nil, ban)
        end
        local f = { credit = credit.id, user = user.id, email = tostring(user.email), free = free,
          hint = hint }
        ctx.report{ at = credit,
          message = pp.say(domain and "free_holder" or "malformed_holder", f),
          remedy = pp.say(not domain and "correct" or credit.kind == "bulk" and "next_bulk"
            or "reassign", f) }
      end
    end
  end,

  decide = {
    ["credit.assign"] = judge,
    ["credit.reassign"] = judge,
  },
}
