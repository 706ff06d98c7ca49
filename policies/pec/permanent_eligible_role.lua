-- policies/pec/permanent_eligible_role.lua
--
-- Partner earned credit (PEC) applies to an onboarded subscription only when the linked account
-- holds there an Azure built-in role that is eligible for PEC, granted as a permanent assignment.
-- A just-in-time (eligible) authorization does not count, even for an eligible role.
--
-- Eligibility comes from the role, looked up in lib.azure_roles by name or role definition ID:
-- Microsoft's list of PEC roles marks it Yes. A role the list marks No, a built-in role it does
-- not name, and a role that is no built-in role at all (a custom role, a misspelt name) earn no
-- PEC. A state's own pec_eligible_role that disagrees with the table is a contradiction: check
-- reports it naming both places, and PEC on that subscription is denied until it is resolved.
--
-- The onboarded subscriptions are Azure Lighthouse delegations, so the same authorization also
-- meets Lighthouse's limits ("Tenants, users, and roles in Azure Lighthouse scenarios"): it cannot
-- delegate Owner or a role with DataActions, and a service principal cannot hold a just-in-time
-- eligible authorization.

local roles = lib.azure_roles
local label = lib.text.user
local TABLE = "policies/lib/azure_roles.lua"

-- How messages name the role of an onboarded entry: the table's label, or the text as written.
local function role_label(role, onboarded)
  if role == nil then
    return ("'%s'"):format(onboarded.role)
  end
  return roles.label(role)
end

-- Why the table does not count `role` as eligible for PEC, or nil when it does.
local function eligibility_problem(role, onboarded)
  if role == nil then
    return ("its role '%s' is not an Azure built-in role (no name or role definition ID of the %d in %s), "
      .. "and a custom role earns no PEC"):format(onboarded.role, roles.count, TABLE)
  end
  if not role.pec_listed then
    return ("its role %s is a built-in role that Microsoft's list of PEC roles does not name as eligible"):format(
      roles.label(role))
  end
  if not role.pec_eligible then
    return ("its role %s is not eligible for PEC (Microsoft's list of PEC roles says No)"):format(roles.label(role))
  end
  return nil
end

-- What keeps the entry from earning PEC, apart from its own pec_eligible_role: a list of
-- descriptions (empty when it qualifies), and the role the table finds (or nil).
local function shortfalls(onboarded, account, params)
  local role = roles.find(onboarded.role)
  local lacks = {}
  local problem = eligibility_problem(role, onboarded)
  if problem ~= nil then
    lacks[#lacks + 1] = problem
  end
  if onboarded.assignment ~= params.required_assignment then
    lacks[#lacks + 1] = ("the role is a just-in-time %s authorization, not a %s assignment"):format(
      onboarded.assignment, params.required_assignment)
  end
  if role ~= nil and role.id == roles.OWNER then
    lacks[#lacks + 1] = "Azure Lighthouse cannot delegate the Owner role"
  elseif role ~= nil and role.data_actions then
    lacks[#lacks + 1] = ("Azure Lighthouse cannot delegate %s, a role with DataActions"):format(role.name)
  end
  if account.service_principal == true and onboarded.assignment == "eligible" then
    lacks[#lacks + 1] = "a service principal cannot hold a just-in-time eligible authorization"
  end
  return lacks, role
end

-- The contradiction between the entry's own pec_eligible_role and the role table, naming both
-- places, or nil when the entry says nothing or agrees.
local function flag_conflict(onboarded, role)
  local flag = onboarded.pec_eligible_role
  local eligible = role ~= nil and role.pec_eligible
  if flag == nil or flag == eligible then
    return nil
  end
  local at = pp.pointer(onboarded)
  return ("%s/pec_eligible_role says %s, but the role at %s/role, %s, is %s in %s"):format(
    at, tostring(flag), at, role_label(role, onboarded), eligible and "eligible for PEC" or "not eligible for PEC",
    TABLE)
end

local function conflict_fix(onboarded, role)
  return ("set %s/pec_eligible_role to %s or leave it out (the role table decides)"):format(
    pp.pointer(onboarded), tostring(role ~= nil and role.pec_eligible))
end

local function fix(who, subscription, params)
  return ("grant %s, on %s, an Azure built-in role that Microsoft lists as eligible for PEC and Azure Lighthouse can "
    .. "delegate (for example Contributor; not Owner, not a role with DataActions) as a %s assignment (an "
    .. "authorization in the onboarding template or Managed Service offer), not as a just-in-time eligible "
    .. "authorization"):format(who, subscription, params.required_assignment)
end

-- Everything that keeps the entry from earning PEC, the contradiction included, and the remedy;
-- an empty list (and nil) when it qualifies.
local function verdict(onboarded, account, params)
  local lacks, role = shortfalls(onboarded, account, params)
  local remedies = {}
  if #lacks > 0 then
    remedies[1] = fix(label(account), onboarded.subscription, params)
  end
  local conflict = flag_conflict(onboarded, role)
  if conflict ~= nil then
    lacks[#lacks + 1] = "the state contradicts itself: " .. conflict
    remedies[#remedies + 1] = conflict_fix(onboarded, role)
  end
  return lacks, table.concat(remedies, "; and "), role
end

-- The onboarded subscriptions of `link` that qualify, as a list of ids.
local function qualifying(link, account, params)
  local ids = {}
  for _, onboarded in ipairs(link.onboarded_subscriptions) do
    if #verdict(onboarded, account, params) == 0 then
      ids[#ids + 1] = onboarded.subscription
    end
  end
  return ids
end

---@type Rule
return {
  id = "pec.permanent-eligible-role",
  title = "PEC needs a PEC-eligible built-in role granted as a permanent assignment",
  severity = "error",
  source = { seed = "004_4523797a046e9932.txt", section = "Associate your partner ID when you onboard new customers" },
  description = "Partner earned credit applies only when the linked account holds, on the onboarded "
    .. "subscription, an Azure built-in role that is eligible for PEC, granted as a permanent assignment "
    .. "(required_assignment), not a just-in-time eligible authorization (seed 004, 'Associate your partner ID "
    .. "when you onboard new customers' step 3, and 'Add your partner ID to previously onboarded customers'). "
    .. "The role (a name or role definition ID) is looked up in lib.azure_roles, the built-in roles with "
    .. "Microsoft's PEC eligibility: a role marked No, one the list does not name, or no built-in role at all "
    .. "earns no PEC. The authorization is an Azure Lighthouse delegation, so Lighthouse's limits apply too: "
    .. "no Owner, no role with DataActions, no just-in-time authorization for a service principal. check: each "
    .. "onboarded subscription that fails any of these, and each pec_eligible_role that contradicts the role "
    .. "table (both places named). decide pec.earn: with a subscription, denied when it is not onboarded under "
    .. "the link, fails any of these or its pec_eligible_role contradicts the table, allowed otherwise; "
    .. "without one, denied when no onboarded subscription of the link qualifies, else a condition naming "
    .. "those that do.",
  params = {
    required_assignment = "permanent",
  },
  constrains = { "partner_id_links.onboarded_subscriptions" },

  check = function(state, ctx)
    for _, link in ipairs(state.partner_id_links) do
      local account = pp.find(state.users, link.account)
      for _, onboarded in ipairs(link.onboarded_subscriptions) do
        local lacks, role = shortfalls(onboarded, account, ctx.params)
        if #lacks > 0 then
          ctx.report{
            at = link,
            message = ("subscription %s of %s (link %s) earns no PEC: %s"):format(
              onboarded.subscription, link.customer, link.id, table.concat(lacks, "; ")),
            remedy = fix(label(account), onboarded.subscription, ctx.params),
          }
        end
        local conflict = flag_conflict(onboarded, role)
        if conflict ~= nil then
          ctx.report{
            at = link,
            message = ("onboarded subscription %s of link %s contradicts the Azure role table: %s"):format(
              onboarded.subscription, link.id, conflict),
            remedy = conflict_fix(onboarded, role),
          }
        end
      end
    end
  end,

  decide = {
    ["pec.earn"] = function(req, state, ctx)
      local link = req.link
      local account = pp.find(state.users, link.account)
      local who = label(account)
      local ok = qualifying(link, account, ctx.params)
      if req.subscription == nil then
        if #ok == 0 then
          return pp.deny(
            ("no onboarded subscription of %s (link %s) gives %s a PEC-eligible built-in role as a %s "
              .. "assignment that Azure Lighthouse can delegate"):format(
              link.customer, link.id, who, ctx.params.required_assignment),
            fix(who, "the customer's subscriptions", ctx.params))
        end
        return pp.condition(
          ("the subscription must be one onboarded under link %s where %s holds a PEC-eligible built-in role "
            .. "as a %s assignment: %s"):format(link.id, who, ctx.params.required_assignment, table.concat(ok, ", ")),
          { qualifying_subscriptions = #ok })
      end
      local onboarded = lib.pec.onboarded(link, req.subscription)
      if onboarded == nil then
        local remedy = ("onboard %s for %s with an authorization that gives %s a PEC-eligible built-in role as a "
          .. "%s assignment"):format(req.subscription, link.customer, who, ctx.params.required_assignment)
        if #ok > 0 then
          remedy = remedy .. (", or ask about a subscription that already qualifies (%s)"):format(
            table.concat(ok, ", "))
        end
        return pp.deny(
          ("subscription %s is not onboarded under link %s (%s), so it earns no PEC"):format(
            req.subscription, link.id, link.customer),
          remedy)
      end
      local lacks, remedy, role = verdict(onboarded, account, ctx.params)
      if #lacks > 0 then
        return pp.deny(
          ("subscription %s of %s earns no PEC: %s"):format(
            onboarded.subscription, link.customer, table.concat(lacks, "; ")),
          remedy)
      end
      return pp.allow(
        ("%s holds %s on %s, a PEC-eligible built-in role as a %s assignment"):format(
          who, role.name, onboarded.subscription, ctx.params.required_assignment),
        { role = role.name, role_definition_id = role.id })
    end,
  },
}
