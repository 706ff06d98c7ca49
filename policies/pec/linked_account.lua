-- policies/pec/linked_account.lua
--
-- Recognition for Azure Lighthouse work needs the partner ID linked to at least one user account
-- (or service principal) in the partner's managing tenant, and a linked account with access to
-- each onboarded subscription.
--
-- Interpretation: a link counts only when its account's home tenant is marked managing and its
-- partner_id is the Associated Partner ID shown on the partner profile (lib.pec). An onboarded
-- subscription is covered when some counting link (any customer) lists it with
-- account_has_access; a subscription is missing only when no counting link covers it. PEC on one
-- subscription through one link needs that link to count and its own account to have access
-- there (another link's access brings PEC through that link, which the denial names).

local label = lib.text.user

-- The host checks that every link's account and every user's tenant exist, so neither lookup
-- below returns nil.
local function account_of(state, link)
  return pp.find(state.users, link.account)
end

local function in_managing_tenant(state, user)
  return pp.find(state.tenants, user.tenant).managing == true
end

-- The ids of the managing tenants, joined, or nil.
local function managing_tenants(state)
  local ids = {}
  for _, tenant in ipairs(state.tenants) do
    if tenant.managing == true then
      ids[#ids + 1] = lib.text.tenant(tenant)
    end
  end
  if #ids == 0 then
    return nil
  end
  return table.concat(ids, ", ")
end

-- A few accounts in a managing tenant, service principals first, joined, or nil.
local function managing_accounts(state)
  local found = {}
  for pass = 1, 2 do
    for _, user in ipairs(state.users) do
      if (user.service_principal == true) == (pass == 1) and in_managing_tenant(state, user) and #found < 3 then
        found[#found + 1] = label(user)
      end
    end
  end
  if #found == 0 then
    return nil
  end
  return table.concat(found, ", ")
end

local function counts(state, link)
  return link.partner_id == lib.pec.associated_partner_id(state)
    and in_managing_tenant(state, account_of(state, link))
end

-- The counting links whose account has access to each onboarded subscription, by subscription
-- in lower case (ids are compared case-insensitively, as lib.pec.onboarded does): one pass over
-- the links, so a check stays linear in their number.
local function access_index(state)
  local index = {}
  for _, link in ipairs(state.partner_id_links) do
    if counts(state, link) then
      for _, onboarded in ipairs(link.onboarded_subscriptions) do
        if onboarded.account_has_access then
          local key = pp.lower(onboarded.subscription)
          local links = index[key] or {}
          links[#links + 1] = link.id
          index[key] = links
        end
      end
    end
  end
  return index
end

-- True when a counting link other than `except` gives its account access to `subscription`.
-- `index` is the state's access_index.
local function covered_elsewhere(index, except, subscription)
  for _, id in ipairs(index[pp.lower(subscription)] or {}) do
    if id ~= except.id then
      return true
    end
  end
  return false
end

-- The subscriptions of `link` its account cannot reach: uncovered ones (no other link has
-- access) and covered ones.
local function without_access(index, link)
  local uncovered, covered = {}, {}
  for _, onboarded in ipairs(link.onboarded_subscriptions) do
    if not onboarded.account_has_access then
      if covered_elsewhere(index, link, onboarded.subscription) then
        covered[#covered + 1] = onboarded.subscription
      else
        uncovered[#uncovered + 1] = onboarded.subscription
      end
    end
  end
  return uncovered, covered
end

-- Why `link` does not count, as a message part, and its remedy; nil when it counts.
local function link_problem(state, link)
  local account = account_of(state, link)
  local who = label(account)
  local associated = lib.pec.associated_partner_id(state)
  if link.partner_id ~= associated then
    local remedy = ("link %s to the Associated Partner ID %s shown on the partner profile"):format(who, associated)
    if link.partner_id == state.partner.id then
      return ("link %s uses the partner's id %s, not the Associated Partner ID %s shown on the partner "
        .. "profile of %s"):format(link.id, link.partner_id, associated, state.partner.name), remedy
    end
    return ("link %s uses partner ID %s, not the Associated Partner ID %s of %s"):format(
      link.id, link.partner_id, associated, state.partner.name), remedy
  end
  if in_managing_tenant(state, account) then
    return nil
  end
  local tenants = managing_tenants(state)
  local others = managing_accounts(state)
  local remedy
  if tenants == nil then
    remedy = ("mark the partner's managing tenant (tenants[].managing) and link the partner ID with a user "
      .. "or service principal of that tenant")
  else
    remedy = ("link the partner ID with a user or service principal of the managing tenant %s%s"):format(
      tenants, others and (" (for example " .. others .. ")") or "")
  end
  return ("the linked account %s of link %s is in tenant %s, which is not a managing tenant"):format(
    who, link.id, account.tenant), remedy
end

-- The counting links other than `link` whose account has access to `subscription`, as ids.
local function other_links_reaching(state, link, subscription)
  local ids = {}
  for _, other in ipairs(state.partner_id_links) do
    if other.id ~= link.id and counts(state, other) then
      local onboarded = lib.pec.onboarded(other, subscription)
      if onboarded ~= nil and onboarded.account_has_access then
        ids[#ids + 1] = other.id
      end
    end
  end
  return ids
end

local function access_remedy(who, subscriptions)
  return ("give %s access to %s with an Azure built-in role eligible for PEC as a permanent assignment "
    .. "(an authorization in the onboarding template or Managed Service offer), or link the partner ID with "
    .. "an account of the managing tenant that already has access"):format(who, subscriptions)
end

---@type Rule
return {
  id = "pec.linked-account",
  title = "The partner ID is linked to a managing-tenant account with access to each onboarded subscription",
  severity = "error",
  source = { seed = "004_4523797a046e9932.txt",
             section = "Link your partner ID to track your impact on delegated resources" },
  description = "Recognition for Azure Lighthouse activities needs the partner ID linked with at least one "
    .. "account in the managing tenant (tenants[].managing), and that account needs access to each onboarded "
    .. "subscription (seed 004, 'Link your partner ID to track your impact on delegated resources'); the ID is "
    .. "the Associated Partner ID shown on the partner profile (partner.associated_partner_id, else "
    .. "partner.id). A link counts when it uses that ID and its account's home tenant is managing; an onboarded "
    .. "subscription whose account has no access is fine when another counting link has access to it. check: a "
    .. "link that does not count, and each subscription no counting link reaches. decide partner-id.link: "
    .. "denied when the link does not count or names subscriptions no account reaches; allowed otherwise (facts "
    .. "subscriptions_with_access). decide pec.earn: denied when the link does not count or its own account has "
    .. "no access to the subscription (naming other links that have); with the subscription open, a condition "
    .. "naming the subscriptions its account reaches.",
  params = {},
  constrains = { "partner_id_links.partner_id", "partner_id_links.account", "partner_id_links.onboarded_subscriptions", "tenants.managing", "users.tenant" },
  no_say = {
    ["credit.assign"] = "a user added by a credit assignment is linked to no partner ID",
    ["credit.reassign"] = "a user added by a credit reassignment is linked to no partner ID",
  },

  check = function(state, ctx)
    local index = access_index(state)
    for _, link in ipairs(state.partner_id_links) do
      local problem, remedy = link_problem(state, link)
      if problem ~= nil then
        ctx.report{
          at = link,
          message = ("%s, so Microsoft cannot recognise the partner for customer %s"):format(problem, link.customer),
          remedy = remedy,
        }
      else
        local uncovered = without_access(index, link)
        if #uncovered > 0 then
          local account = account_of(state, link)
          ctx.report{
            at = link,
            message = ("linked account %s of link %s has no access to onboarded subscription%s %s of %s, and no "
              .. "other linked account has"):format(label(account), link.id, #uncovered > 1 and "s" or "",
              table.concat(uncovered, ", "), link.customer),
            remedy = access_remedy(label(account), table.concat(uncovered, ", ")),
          }
        end
      end
    end
  end,

  decide = {
    ["partner-id.link"] = function(req, state, ctx)
      local link = req.link
      local problem, remedy = link_problem(state, link)
      if problem ~= nil then
        return pp.deny(problem .. ", so the link brings no recognition", remedy)
      end
      local account = account_of(state, link)
      local uncovered, covered = without_access(access_index(state), link)
      if #uncovered > 0 then
        return pp.deny(
          ("linked account %s has no access to onboarded subscription%s %s of %s"):format(
            label(account), #uncovered > 1 and "s" or "", table.concat(uncovered, ", "), link.customer),
          access_remedy(label(account), table.concat(uncovered, ", ")))
      end
      local reached = #link.onboarded_subscriptions - #covered
      local message = ("%s is in a managing tenant and has access to %d of %d onboarded subscription%s of %s"):format(
        label(account), reached, #link.onboarded_subscriptions, #link.onboarded_subscriptions == 1 and "" or "s",
        link.customer)
      if #covered > 0 then
        message = message .. ("; other linked accounts reach %s"):format(table.concat(covered, ", "))
      end
      return pp.allow(message, { subscriptions_with_access = reached })
    end,

    ["pec.earn"] = function(req, state, ctx)
      local link = req.link
      local problem, remedy = link_problem(state, link)
      if problem ~= nil then
        return pp.deny(problem .. ", so the link earns no partner earned credit", remedy)
      end
      local who = label(account_of(state, link))
      if req.subscription == nil then
        local reached = {}
        for _, onboarded in ipairs(link.onboarded_subscriptions) do
          if onboarded.account_has_access then
            reached[#reached + 1] = onboarded.subscription
          end
        end
        if #reached == 0 then
          return pp.deny(
            ("linked account %s of link %s has access to none of the onboarded subscriptions of %s"):format(
              who, link.id, link.customer),
            access_remedy(who, "the onboarded subscriptions"))
        end
        return pp.condition(
          ("the subscription must be one that linked account %s of link %s has access to: %s"):format(
            who, link.id, table.concat(reached, ", ")),
          { subscriptions_with_access = #reached })
      end
      local onboarded = lib.pec.onboarded(link, req.subscription)
      if onboarded == nil or not onboarded.account_has_access then
        local why = ("linked account %s has no access to it"):format(who)
        if onboarded == nil then
          why = ("it is not onboarded under link %s, so linked account %s has no access to it through the link"):format(
            link.id, who)
        end
        local fix = access_remedy(who, req.subscription)
        local others = other_links_reaching(state, link, req.subscription)
        if #others > 0 then
          fix = fix .. ("; or ask about link %s, whose account has access"):format(lib.text.join(others, "or"))
        end
        return pp.deny(("subscription %s of %s earns no PEC through link %s: %s"):format(
          req.subscription, link.customer, link.id, why), fix)
      end
      return pp.allow(
        ("%s is in a managing tenant, is linked to the Associated Partner ID %s and has access to %s"):format(
          who, link.partner_id, onboarded.subscription))
    end,
  },
}
