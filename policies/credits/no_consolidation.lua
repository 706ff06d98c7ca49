-- policies/credits/no_consolidation.lua
--
-- Credits of different benefit packages cannot be gathered on one Azure subscription: each credit
-- is redeemed on the new subscription its redemption creates, so credits stay tied to their own
-- subscriptions. Advisory: the source is an AI-generated answer that says it "may be limited".

-- Credits grouped by package, in order of first appearance:
-- { order = { "P1", "P2" }, credits = { P1 = { "MC-1", "MC-5" }, P2 = { "MC-2" } } }.
local function new_tally()
  return { order = {}, credits = {} }
end

local function count(tally, credit)
  local ids = tally.credits[credit.package]
  if ids == nil then
    ids = {}
    tally.credits[credit.package] = ids
    tally.order[#tally.order + 1] = credit.package
  end
  if not pp.contains(ids, credit.id) then
    ids[#ids + 1] = credit.id
  end
end

-- The credits recorded on `sub` (its credit field, then credits naming it), by package.
local function tally_on(state, sub)
  local tally = new_tally()
  for _, credit in ipairs(state.credits) do
    if credit.id == sub.credit or credit.azure_subscription == sub.id then
      count(tally, credit)
    end
  end
  return tally
end

-- tally_on for every subscription at once, by subscription id: one pass over the subscriptions
-- and one over the credits (each tally in document order, as tally_on counts).
local function tallies(state)
  local subs_of_credit = {}
  for _, sub in ipairs(state.azure_subscriptions) do
    if sub.credit ~= nil then
      subs_of_credit[sub.credit] = subs_of_credit[sub.credit] or {}
      table.insert(subs_of_credit[sub.credit], sub.id)
    end
  end
  local by_sub = {}
  local function add(sub_id, credit)
    by_sub[sub_id] = by_sub[sub_id] or new_tally()
    count(by_sub[sub_id], credit)
  end
  for _, credit in ipairs(state.credits) do
    for _, sub_id in ipairs(subs_of_credit[credit.id] or {}) do
      add(sub_id, credit)
    end
    if credit.azure_subscription ~= nil then
      add(credit.azure_subscription, credit)
    end
  end
  return by_sub
end

-- "PKG-AZURE (MC-1, MC-5) and PKG-MW (MC-2)"
local function packages_words(tally)
  local parts = {}
  for _, package in ipairs(tally.order) do
    parts[#parts + 1] = ("%s (%s)"):format(package, table.concat(tally.credits[package], ", "))
  end
  return lib.text.join(parts, "and")
end

local function list_words(ids)
  return table.concat(ids, ", ")
end

local REDEEM_APART = "redeem each of the other credits on its own new Azure subscription (credit.use "
  .. "azure-subscription=new) and follow them side by side in the Partner Center Benefits workspace"

-- The smallest change to a request whose credits (with those on `sub`) span 2+ packages.
local function remedy(sub, existing, requested)
  if #existing.order >= 2 then
    return ("%s already carries credits of %s: put no further credits on it; %s"):format(
      sub.id, packages_words(existing), REDEEM_APART)
  end
  local keep = existing.order[1] or requested.order[1]
  local others = {}
  for _, package in ipairs(requested.order) do
    if package ~= keep then
      for _, id in ipairs(requested.credits[package]) do
        others[#others + 1] = id
      end
    end
  end
  local on_sub = ""
  if #existing.order == 1 then
    on_sub = (", the package of %s already on %s"):format(list_words(existing.credits[keep]), sub.id)
  end
  return ("put on %s only credits of package %s%s, leaving out %s; %s"):format(
    sub.id, keep, on_sub, list_words(others), REDEEM_APART)
end

---@type Rule
return {
  id = "credits.no-consolidation",
  title = "Credits of different benefit packages cannot share one Azure subscription (advisory)",
  severity = "warning",
  source = { seed = "000_47716db5bb235c69.txt",
             section = "Clarification Request: MAICPP Credit Delegation, Visibility, Activation, and Alerting Limitations" },
  description = "Advisory, from an AI-generated answer (seed 000, the question on three separate benefit packages "
    .. "and answer 4 'Transferring Credits'): credits are tied to their own subscriptions and cannot be consolidated "
    .. "across benefit packages onto one subscription; seed 001 adds that each credit's redemption creates its own "
    .. "new subscription. The credits on an Azure subscription are those whose azure_subscription names it and the "
    .. "one its credit field names. decide credits.consolidate: credits that, with those already on the "
    .. "subscription, come from two or more packages are denied with the packages and credits; credits of a single "
    .. "package are allowed by this rule (credits.new-subscription-only judges using a credit on a subscription its "
    .. "redemption did not create); left open, the credits must all come from the subscription's package, or from "
    .. "one package when it carries none. check reports an Azure subscription carrying credits of two or more "
    .. "packages.",
  params = {},
  constrains = { "credits.azure_subscription", "azure_subscriptions.credit" },
  no_say = {
    ["credit.use"] = "credits.new-subscription-only refuses a credit any subscription its redemption did not create, so no other package's credit joins one",
  },

  check = function(state, ctx)
    local by_sub = tallies(state)
    for _, sub in ipairs(state.azure_subscriptions) do
      local tally = by_sub[sub.id] or new_tally()
      if #tally.order >= 2 then
        ctx.report{
          at = sub,
          message = ("Azure subscription %s carries credits of %d benefit packages, %s; credits of different "
            .. "packages cannot be consolidated on one subscription"):format(sub.id, #tally.order, packages_words(tally)),
          remedy = ("keep on %s only the credits of package %s, and redeem each of the others on its own new Azure "
            .. "subscription"):format(sub.id, tally.order[1]),
        }
      end
    end
  end,

  decide = {
    ["credits.consolidate"] = function(req, state, ctx)
      local sub = req.azure_subscription
      local existing = tally_on(state, sub)
      local requested = req.credits

      if requested == nil then
        if #existing.order >= 2 then
          return pp.deny(
            ("Azure subscription %s already carries credits of %s, and credits of different benefit packages cannot be "
              .. "consolidated on one subscription"):format(sub.id, packages_words(existing)),
            remedy(sub, existing, new_tally()))
        end
        local all = new_tally()
        for _, credit in ipairs(state.credits) do
          count(all, credit)
        end
        if #existing.order == 1 then
          local package = existing.order[1]
          if #all.order <= 1 then
            return pp.allow(("every recorded credit comes from package %s, the package of %s already on %s"):format(
              package, list_words(existing.credits[package]), sub.id))
          end
          return pp.condition(
            ("the credits must all come from benefit package %s, the package of %s already on %s; credits of "
              .. "different packages cannot be consolidated on one subscription"):format(
              package, list_words(existing.credits[package]), sub.id))
        end
        if #all.order <= 1 then
          return pp.allow("every recorded credit comes from one benefit package, so no packages would be mixed")
        end
        return pp.condition(
          ("the credits must all come from one benefit package (the credits come from %s); credits of different "
            .. "packages cannot be consolidated on one subscription"):format(packages_words(all)))
      end

      local union = new_tally()
      local asked = new_tally()
      for _, package in ipairs(existing.order) do
        for _, id in ipairs(existing.credits[package]) do
          count(union, pp.find(state.credits, id))
        end
      end
      for _, credit in ipairs(requested) do
        count(union, credit)
        count(asked, credit)
      end
      -- The host refuses an empty credits list, so the union has at least one package.
      if #union.order >= 2 then
        local already = ""
        if #existing.order > 0 then
          already = (" (%s already carries %s)"):format(sub.id, packages_words(existing))
        end
        return pp.deny(
          ("credits of benefit packages %s cannot be consolidated on Azure subscription %s%s; each credit stays on "
            .. "its own subscription"):format(packages_words(union), sub.id, already),
          remedy(sub, existing, asked))
      end
      local package = union.order[1]
      return pp.allow(
        ("credits %s all come from benefit package %s, so no packages are mixed on %s"):format(
          list_words(union.credits[package]), package, sub.id),
        { package = package })
    end,
  },
}
