-- A subscription one counting link reaches is covered for every other link, whatever its customer.

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
    if tenant.managing == true then ids[#ids + 1] = lib.text.tenant(tenant) end
  end
  return #ids > 0 and table.concat(ids, ", ") or nil
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
  return #found > 0 and table.concat(found, ", ") or nil
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
          index[key] = index[key] or {}
          table.insert(index[key], link.id)
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
    if id ~= except.id then return true end
  end
  return false
end

-- The subscriptions of `link` its account cannot reach: uncovered ones (no other link has
-- access) and covered ones.
local function without_access(index, link)
  local uncovered, covered = {}, {}
  for _, onboarded in ipairs(link.onboarded_subscriptions) do
    if not onboarded.account_has_access then
      local list = covered_elsewhere(index, link, onboarded.subscription) and covered or uncovered
      list[#list + 1] = onboarded.subscription
    end
  end
  return uncovered, covered
end

-- Why `link` does not count, as a message part, and its remedy; nil when it counts.
local function link_problem(state, link)
  local account = account_of(state, link)
  local words = { who = label(account), link = link.id, used = link.partner_id,
    partner = state.partner.name, associated = lib.pec.associated_partner_id(state), tenant = account.tenant }
  if link.partner_id ~= words.associated then
    return pp.say(link.partner_id == state.partner.id and "uses_own_id" or "uses_other_id", words),
      pp.say("use_associated", words)
  end
  if in_managing_tenant(state, account) then return nil end
  local tenants, others = managing_tenants(state), managing_accounts(state)
  local remedy = tenants == nil and pp.say("mark_managing") or pp.say("link_managing",
    { tenants = tenants, example = others and pp.say("for_example", { accounts = others }) or "" })
  return pp.say("not_managing", words), remedy
end

-- The counting links other than `link` whose account has access to `subscription`, as ids.
local function other_links_reaching(state, link, subscription)
  local ids = {}
  for _, other in ipairs(state.partner_id_links) do
    if other.id ~= link.id and counts(state, other) then
      local onboarded = lib.pec.onboarded(other, subscription)
      if onboarded ~= nil and onboarded.account_has_access then ids[#ids + 1] = other.id end
    end
  end
  return ids
end

-- The words about `link` whose account cannot reach `subscriptions` (a list).
local function unreached(state, link, subscriptions)
  return { who = label(account_of(state, link)), link = link.id, customer = link.customer,
    s = #subscriptions > 1 and "s" or "", subscriptions = table.concat(subscriptions, ", ") }
end

---@type Rule
return {
  id = "pec.linked-account",
  severity = "error",
  source = { seed = "004_4523797a046e9932.txt",
             section = "Link your partner ID to track your impact on delegated resources" },
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
      local uncovered = problem == nil and without_access(index, link) or {}
      if problem ~= nil then
        ctx.report{ at = link, remedy = remedy,
          message = pp.say("not_recognised", { problem = problem, customer = link.customer }) }
      elseif #uncovered > 0 then
        local words = unreached(state, link, uncovered)
        ctx.report{ at = link, message = pp.say("nobody_else", words),
          remedy = pp.say("give_access", words) }
      end
    end
  end,

  decide = {
    ["partner-id.link"] = function(req, state, ctx)
      local link = req.link
      local problem, remedy = link_problem(state, link)
      if problem ~= nil then
        return pp.deny(pp.say("no_recognition", { problem = problem }), remedy)
      end
      local uncovered, covered = without_access(access_index(state), link)
      if #uncovered > 0 then
        local words = unreached(state, link, uncovered)
        return pp.deny(pp.say("no_access", words), pp.say("give_access", words))
      end
      local total = #link.onboarded_subscriptions
      local reached = total - #covered
      return pp.allow(pp.say("reaches", { who = label(account_of(state, link)), reached = reached,
        total = total, s = total == 1 and "" or "s", customer = link.customer,
        others = #covered > 0 and pp.say("others_reach", { subscriptions = table.concat(covered, ", ") })
          or "" }),
        { subscriptions_with_access = reached })
    end,

    ["pec.earn"] = function(req, state, ctx)
      local link = req.link
      local problem, remedy = link_problem(state, link)
      if problem ~= nil then
        return pp.deny(pp.say("no_pec", { problem = problem }), remedy)
      end
      local words = { who = label(account_of(state, link)), link = link.id,
        customer = link.customer, subscription = req.subscription, associated = link.partner_id }
      if req.subscription == nil then
        local reached = {}
        for _, onboarded in ipairs(link.onboarded_subscriptions) do
          if onboarded.account_has_access then reached[#reached + 1] = onboarded.subscription end
        end
        if #reached == 0 then
          words.subscriptions = pp.say("the_onboarded")
          return pp.deny(pp.say("reaches_none", words), pp.say("give_access", words))
        end
        words.subscriptions = table.concat(reached, ", ")
        return pp.condition(pp.say("must_be_reached", words),
          { subscriptions_with_access = #reached })
      end
      local onboarded = lib.pec.onboarded(link, req.subscription)
      if onboarded == nil or not onboarded.account_has_access then
        words.subscriptions = req.subscription
        words.why = pp.say(onboarded == nil and "not_onboarded" or "no_access_to_it", words)
        local fix = pp.say("give_access", words)
        local others = other_links_reaching(state, link, req.subscription)
        if #others > 0 then
          fix = pp.say("or_ask", { fix = fix, links = lib.text.join(others, "or") })
        end
        return pp.deny(pp.say("no_pec_through", words), fix)
      end
      words.subscription = onboarded.subscription
      return pp.allow(pp.say("earns", words))
    end,
  },
}
