-- policies/pec/permanent_eligible_role.lua
--
-- Partner earned credit (PEC) applies to an onboarded subscription only when the linked account
-- holds an Azure built-in role that is eligible for PEC there, granted as a permanent
-- assignment. A just-in-time (eligible) authorization does not count, even for an eligible role.
--
-- Subscription ids are compared case-insensitively (Azure subscription ids are GUIDs).

-- The linked account's label (the host checks that every link's account is a user).
local label = lib.text.user

-- What the onboarded entry lacks: a list of descriptions (empty when it qualifies).
local function shortfalls(onboarded, params)
  local lacks = {}
  if not onboarded.pec_eligible_role then
    lacks[#lacks + 1] = ("its role %s is not an Azure built-in role eligible for PEC"):format(
      tostring(onboarded.role))
  end
  if onboarded.assignment ~= params.required_assignment then
    lacks[#lacks + 1] = ("the role is a just-in-time %s authorization, not a %s assignment"):format(
      tostring(onboarded.assignment), params.required_assignment)
  end
  return lacks
end

local function find_onboarded(link, subscription)
  local wanted = pp.lower(subscription)
  for _, onboarded in ipairs(link.onboarded_subscriptions) do
    if pp.lower(onboarded.subscription) == wanted then
      return onboarded
    end
  end
  return nil
end

-- The onboarded subscriptions of `link` that qualify, as a list of ids.
local function qualifying(link, params)
  local ids = {}
  for _, onboarded in ipairs(link.onboarded_subscriptions) do
    if #shortfalls(onboarded, params) == 0 then
      ids[#ids + 1] = onboarded.subscription
    end
  end
  return ids
end

local function fix(who, subscription, params)
  return ("grant %s an Azure built-in role eligible for PEC on %s as a %s assignment (an authorization in the "
    .. "onboarding template or Managed Service offer), not as a just-in-time eligible authorization"):format(
    who, subscription, params.required_assignment)
end

---@type Rule
return {
  id = "pec.permanent-eligible-role",
  title = "PEC needs a PEC-eligible built-in role granted as a permanent assignment",
  severity = "error",
  source = { seed = "004_4523797a046e9932.txt", section = "Associate your partner ID when you onboard new customers" },
  description = "Partner earned credit applies only when the linked account holds, on the onboarded "
    .. "subscription, an Azure built-in role that is eligible for PEC (pec_eligible_role) granted as a "
    .. "permanent assignment (required_assignment), not a just-in-time eligible authorization (seed 004, "
    .. "'Associate your partner ID when you onboard new customers' step 3, and 'Add your partner ID to "
    .. "previously onboarded customers'). check: each onboarded subscription that fails either. decide "
    .. "pec.earn: with a subscription, denied when it is not onboarded under the link or fails either, "
    .. "allowed otherwise; without one, denied when no onboarded subscription of the link qualifies, else a "
    .. "condition naming those that do.",
  params = {
    required_assignment = "permanent",
  },
  constrains = { "partner_id_links.onboarded_subscriptions" },

  check = function(state, ctx)
    for _, link in ipairs(state.partner_id_links) do
      local account = pp.find(state.users, link.account)
      for _, onboarded in ipairs(link.onboarded_subscriptions) do
        local lacks = shortfalls(onboarded, ctx.params)
        if #lacks > 0 then
          ctx.report{
            at = link,
            message = ("subscription %s of %s (link %s) earns no PEC: %s"):format(
              onboarded.subscription, link.customer, link.id, table.concat(lacks, ", and ")),
            remedy = fix(label(account), onboarded.subscription, ctx.params),
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
      local ok = qualifying(link, ctx.params)
      if req.subscription == nil then
        if #ok == 0 then
          return pp.deny(
            ("no onboarded subscription of %s (link %s) gives %s a PEC-eligible built-in role as a %s "
              .. "assignment"):format(link.customer, link.id, who, ctx.params.required_assignment),
            fix(who, "the customer's subscriptions", ctx.params))
        end
        return pp.condition(
          ("the subscription must be one onboarded under link %s where %s holds a PEC-eligible built-in role "
            .. "as a %s assignment: %s"):format(link.id, who, ctx.params.required_assignment, table.concat(ok, ", ")),
          { qualifying_subscriptions = #ok })
      end
      local onboarded = find_onboarded(link, req.subscription)
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
      local lacks = shortfalls(onboarded, ctx.params)
      if #lacks > 0 then
        return pp.deny(
          ("subscription %s of %s earns no PEC: %s"):format(
            onboarded.subscription, link.customer, table.concat(lacks, ", and ")),
          fix(who, onboarded.subscription, ctx.params))
      end
      return pp.allow(
        ("%s holds %s on %s, a PEC-eligible built-in role as a %s assignment"):format(
          who, tostring(onboarded.role), onboarded.subscription, ctx.params.required_assignment),
        { role = tostring(onboarded.role) })
    end,
  },
}
