local roles = lib.azure_roles
local label = lib.text.user
local TABLE = "policies/lib/azure_roles.lua"

-- How messages name the role of an onboarded entry: the table's label, or the text as written.
local function role_label(role, onboarded)
  return role and roles.label(role) or pp.say("as_written", { role = onboarded.role })
end

-- Why the table does not count `role` as eligible for PEC, or nil when it does.
local function eligibility_problem(role, onboarded)
  if role == nil then
    return pp.say("custom_role", { role = onboarded.role, count = roles.count, table = TABLE })
  end
  local key = not role.pec_listed and "unlisted" or not role.pec_eligible and "listed_no" or nil
  return key and pp.say(key, { role = roles.label(role) })
end

-- What keeps the entry from earning PEC, apart from its own pec_eligible_role: a list of
-- descriptions (empty when it qualifies), and the role the table finds (or nil).
local function shortfalls(onboarded, account, params)
  local role = roles.find(onboarded.role)
  local lacks = { eligibility_problem(role, onboarded) }
  if onboarded.assignment ~= params.required_assignment then
    lacks[#lacks + 1] = pp.say("just_in_time",
      { assignment = onboarded.assignment, required = params.required_assignment })
  end
  if role ~= nil and role.id == roles.OWNER then
    lacks[#lacks + 1] = pp.say("no_owner")
  elseif role ~= nil and role.data_actions then
    lacks[#lacks + 1] = pp.say("no_data_actions", { role = role.name })
  end
  if account.service_principal == true and onboarded.assignment == "eligible" then
    lacks[#lacks + 1] = pp.say("no_service_principal")
  end
  return lacks, role
end

-- The contradiction between the entry's own pec_eligible_role and the role table, naming both
-- places, and its fix; nil when the entry says nothing or agrees.
local function flag_conflict(onboarded, role)
  local flag = onboarded.pec_eligible_role
  local eligible = role ~= nil and role.pec_eligible
  if flag == nil or flag == eligible then
    return nil
  end
  local words = { at = pp.pointer(onboarded), flag = tostring(flag), role = role_label(role, onboarded),
    eligibility = pp.say(eligible and "eligible" or "not_eligible"), table = TABLE,
    eligible = tostring(eligible) }
  return pp.say("conflict", words), pp.say("conflict_fix", words)
end

local function fix(who, subscription, params)
  return pp.say("fix", { who = who, subscription = subscription, required = params.required_assignment })
end

-- Everything that keeps the entry from earning PEC, the contradiction included, and the remedy;
-- an empty list (and nil) when it qualifies.
local function verdict(onboarded, account, params)
  local lacks, role = shortfalls(onboarded, account, params)
  local remedies = { #lacks > 0 and fix(label(account), onboarded.subscription, params) or nil }
  local conflict, conflict_fix = flag_conflict(onboarded, role)
  if conflict ~= nil then
    lacks[#lacks + 1] = pp.say("contradiction", { conflict = conflict })
    remedies[#remedies + 1] = conflict_fix
  end
  return lacks, table.concat(remedies, "; and "), role
end

-- The onboarded subscriptions of `link` that qualify, as a list of ids.
local function qualifying(link, account, params)
  local ids = {}
  for _, onboarded in ipairs(link.onboarded_subscriptions) do
    if #verdict(onboarded, account, params) == 0 then ids[#ids + 1] = onboarded.subscription end
  end
  return ids
end

---@type Rule
return {
  id = "pec.permanent-eligible-role",
  severity = "error",
  source = { seed = "004_4523797a046e9932.txt", section = "Associate your partner ID when you onboard new customers" },
  params = {
    required_assignment = "permanent",
  },
  constrains = { "partner_id_links.onboarded_subscriptions" },

  check = function(state, ctx)
    for _, link in ipairs(state.partner_id_links) do
      local account = pp.find(state.users, link.account)
      for _, onboarded in ipairs(link.onboarded_subscriptions) do
        local lacks, role = shortfalls(onboarded, account, ctx.params)
        local words = { subscription = onboarded.subscription, customer = link.customer, link = link.id }
        if #lacks > 0 then
          ctx.report{ at = link, remedy = fix(label(account), onboarded.subscription, ctx.params),
            message = pp.say("earns_no_pec", { subscription = onboarded.subscription, customer = link.customer,
              link = pp.say("of_link", words), lacks = table.concat(lacks, "; ") }) }
        end
        local conflict, conflict_fix = flag_conflict(onboarded, role)
        if conflict ~= nil then
          words.conflict = conflict
          ctx.report{ at = link, message = pp.say("table_conflict", words), remedy = conflict_fix }
        end
      end
    end
  end,

  decide = {
    ["pec.earn"] = function(req, state, ctx)
      local link = req.link
      local account = pp.find(state.users, link.account)
      local ok = qualifying(link, account, ctx.params)
      local words = { customer = link.customer, link = link.id, who = label(account),
        required = ctx.params.required_assignment, subscriptions = table.concat(ok, ", "),
        subscription = req.subscription }
      if req.subscription == nil then
        if #ok == 0 then
          return pp.deny(pp.say("none_qualifies", words),
            fix(words.who, pp.say("customers_subscriptions"), ctx.params))
        end
        return pp.condition(pp.say("must_qualify", words), { qualifying_subscriptions = #ok })
      end
      local onboarded = lib.pec.onboarded(link, req.subscription)
      if onboarded == nil then
        words.or_ask = #ok > 0 and pp.say("or_ask", words) or ""
        return pp.deny(pp.say("not_onboarded", words), pp.say("onboard", words))
      end
      local lacks, remedy, role = verdict(onboarded, account, ctx.params)
      words.subscription = onboarded.subscription
      if #lacks > 0 then
        words.link, words.lacks = "", table.concat(lacks, "; ")
        return pp.deny(pp.say("earns_no_pec", words), remedy)
      end
      words.role = role.name
      return pp.allow(pp.say("holds", words), { role = role.name, role_definition_id = role.id })
    end,
  },
}
