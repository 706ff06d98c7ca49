-- policies/credits/new_subscription_only.lua
--
-- Azure credits from a program purchase are consumed only on the new Azure subscription
-- (sponsorship) that redeeming them creates, never on an existing subscription such as a
-- pay-as-you-go one; resources must be moved to the new subscription to use the credits.
--
-- A subscription is linked to a credit when either side records it: the credit's
-- azure_subscription names it, or its credit field names the credit. A linked subscription is
-- the credit's own when it is a sponsorship, not recorded for another credit, and not created
-- before the credit was awarded (awarded_on is the first day a redemption could create it).

local function linked(sub, credit)
  return sub.id == credit.azure_subscription or sub.credit == credit.id
end

-- Why the credit's redemption cannot have created `sub`, in words, or nil when it is its own.
local function not_created_by(sub, credit)
  if sub.type == "pay_as_you_go" then
    return ("%s is an existing pay-as-you-go subscription"):format(sub.id)
  end
  if sub.credit ~= nil and sub.credit ~= credit.id then
    return ("%s is the sponsorship created by redeeming credit %s"):format(sub.id, sub.credit)
  end
  if not linked(sub, credit) then
    return ("%s is an existing sponsorship that redeeming credit %s did not create"):format(sub.id, credit.id)
  end
  if pp.date(sub.created_on) < pp.date(credit.awarded_on) then
    return ("%s was created on %s, before credit %s was awarded on %s, so its redemption did not create it"):format(
      sub.id, sub.created_on, credit.id, credit.awarded_on)
  end
  return nil
end

-- The credit's own subscription (document order), or nil.
local function own_subscription(state, credit)
  for _, sub in ipairs(state.azure_subscriptions) do
    if linked(sub, credit) and not_created_by(sub, credit) == nil then
      return sub
    end
  end
  return nil
end

-- The smallest change: consume on the credit's own subscription, or redeem the credit to create
-- one; then move the resources from `from`.
local function remedy(credit, own, from)
  local target
  if own ~= nil then
    target = ("use credit %s on %s, the sponsorship its redemption created"):format(credit.id, own.id)
  else
    target = ("redeem credit %s (azure-subscription=new), which creates a new Azure subscription for it"):format(
      credit.id)
  end
  return ("%s, then move the resources you want to run on the credit from %s to that subscription"):format(
    target, from.id)
end

---@type Rule
return {
  id = "credits.new-subscription-only",
  title = "Azure credits are consumed only on the new subscription their redemption creates",
  severity = "error",
  source = { seed = "001_5c53631e905999a7.txt", section = "Activate or redeem your Azure credits" },
  description = "Azure credits given with a program purchase can be used only on a new Azure subscription: "
    .. "redeeming them always creates one, they cannot be used on an existing (pay-as-you-go) subscription, and "
    .. "resources must be moved to the new subscription (seed 001, 'Activate or redeem your Azure credits' and FAQ "
    .. "'How can I redeem Azure credits for new benefits?'). A subscription is linked to a credit when the "
    .. "credit's azure_subscription names it or its credit field names the credit; it is the credit's own when it "
    .. "is a sponsorship, not recorded for another credit, and not created before the credit's awarded_on (the "
    .. "first day a redemption could have created it; activated_on is not used, as activation may be recorded "
    .. "after redemption). decide credit.use: azure-subscription=new or the credit's own sponsorship is allowed; "
    .. "any other subscription (pay-as-you-go, another credit's sponsorship, an older one) is denied, the remedy "
    .. "being to redeem (or use the own sponsorship) and move the resources; left open, it is a condition naming "
    .. "the refused subscriptions. decide credits.consolidate: denied when a listed credit's redemption did not create "
    .. "the target subscription (naming each such credit), allowed otherwise; with the credits open, a condition "
    .. "naming the credits that may go there, or a denial when none may. check reports each credit linked to a subscription that is not its own.",
  params = {},
  constrains = { "credits.azure_subscription", "azure_subscriptions.credit" },

  check = function(state, ctx)
    -- The subscriptions whose credit field names each credit, by credit id: with
    -- credit.azure_subscription, every subscription linked to a credit without a search.
    local recorded_for = {}
    for _, sub in ipairs(state.azure_subscriptions) do
      if sub.credit ~= nil then
        recorded_for[sub.credit] = recorded_for[sub.credit] or {}
        table.insert(recorded_for[sub.credit], sub)
      end
    end
    for _, credit in ipairs(state.credits) do
      local subs = { table.unpack(recorded_for[credit.id] or {}) }
      local named = credit.azure_subscription and pp.find(state.azure_subscriptions, credit.azure_subscription)
      if named ~= nil and named.credit ~= credit.id then
        subs[#subs + 1] = named
      end
      for _, sub in ipairs(subs) do
        local why = not_created_by(sub, credit)
        if why ~= nil then
          ctx.report{
            at = credit,
            message = ("%s credit %s is recorded on Azure subscription %s, but %s; credits can only be consumed on "
              .. "the new subscription their redemption creates"):format(credit.kind, credit.id, sub.id, why),
            remedy = ("redeem credit %s so that it gets its own new Azure subscription, record that subscription on "
              .. "the credit, and move the resources from %s to it"):format(credit.id, sub.id),
          }
        end
      end
    end
  end,

  decide = {
    ["credit.use"] = function(req, state, ctx)
      local credit = req.credit
      local target = req.azure_subscription
      local own = own_subscription(state, credit)
      if target == nil then
        -- Open: `new` and the credit's own sponsorship are always fine; name the others.
        local refused = {}
        for _, sub in ipairs(state.azure_subscriptions) do
          if not_created_by(sub, credit) ~= nil then
            refused[#refused + 1] = sub.id
          end
        end
        local fine
        if own ~= nil then
          fine = ("%s (the sponsorship its redemption created) or a new one (azure-subscription=new)"):format(own.id)
        else
          fine = "the new one its redemption creates (azure-subscription=new)"
        end
        if #refused == 0 then
          return pp.allow(("credit %s can be consumed on %s"):format(credit.id, fine))
        end
        return pp.condition(
          ("the Azure subscription must be %s; credit %s cannot be used on an existing subscription its redemption "
            .. "did not create (%s)"):format(fine, credit.id, table.concat(refused, ", ")))
      end
      if target.is_new then
        return pp.allow(("redeeming credit %s creates a new Azure subscription, on which its credits can be consumed"):format(
          credit.id))
      end
      local why = not_created_by(target, credit)
      if why == nil then
        return pp.allow(("%s is the sponsorship created by redeeming credit %s, so its credits can be consumed there"):format(
          target.id, credit.id))
      end
      return pp.deny(
        ("credit %s cannot be used on %s: %s, and credits can only be consumed on the new subscription their "
          .. "redemption creates"):format(credit.id, target.id, why),
        remedy(credit, own, target))
    end,

    -- Consolidating puts credits on one Azure subscription: each of them only on the sponsorship
    -- its own redemption created, so at most the credit that created it.
    ["credits.consolidate"] = function(req, state, ctx)
      local target = req.azure_subscription
      if req.credits == nil then
        local fits = {}
        for _, credit in ipairs(state.credits) do
          if not_created_by(target, credit) == nil then
            fits[#fits + 1] = credit.id
          end
        end
        if #fits == 0 then
          return pp.deny(
            ("no recorded credit's redemption created Azure subscription %s, and credits can only be consumed on the "
              .. "new subscription their redemption creates"):format(target.id),
            ("use each credit on the sponsorship its own redemption created (or redeem it with azure-subscription=new) "
              .. "and move the resources there instead of onto %s"):format(target.id))
        end
        return pp.condition(
          ("the credits must be ones whose redemption created Azure subscription %s (%s); any other credit can only "
            .. "be consumed on the new subscription its own redemption creates"):format(target.id, table.concat(fits, ", ")))
      end
      local refused = {}
      local first
      for _, credit in ipairs(req.credits) do
        local why = not_created_by(target, credit)
        if why ~= nil then
          refused[#refused + 1] = ("credit %s (%s)"):format(credit.id, why)
          first = first or credit
        end
      end
      if #refused > 0 then
        return pp.deny(
          ("%s cannot be put on %s: credits can only be consumed on the new subscription their own redemption "
            .. "creates"):format(table.concat(refused, "; "), target.id),
          remedy(first, own_subscription(state, first), target))
      end
      return pp.allow(("%s is the sponsorship the redemption of the listed credits created"):format(target.id))
    end,
  },
}
