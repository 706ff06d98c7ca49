-- policies/pec/customer_scope.lua
--
-- Partner earned credit applies only to CSP customers who signed the Microsoft Customer
-- Agreement (MCA) and are on the Azure plan. A linked customer outside that scope still brings
-- recognition, but no PEC.

-- What puts the customer of `link` out of scope: a list of descriptions (empty when in scope)
-- and a list of the steps that bring it in.
local function out_of_scope(link)
  local lacks, steps = {}, {}
  if not link.customer_signed_mca then
    lacks[#lacks + 1] = "has not signed the Microsoft Customer Agreement"
    steps[#steps + 1] = ("%s signs the Microsoft Customer Agreement"):format(link.customer)
  end
  if not link.customer_on_azure_plan then
    lacks[#lacks + 1] = "is not on the Azure plan"
    steps[#steps + 1] = ("the CSP partner moves %s's Azure subscriptions to the Azure plan"):format(link.customer)
  end
  return lacks, steps
end

---@type Rule
return {
  id = "pec.customer-scope",
  title = "Partner earned credit applies only to customers who signed the MCA and are on the Azure plan",
  severity = "warning",
  source = { seed = "004_4523797a046e9932.txt", section = "Confirm partner earned credit" },
  description = "PEC applies only to CSP customers who have signed the Microsoft Customer Agreement "
    .. "(customer_signed_mca) and are under the Azure plan (customer_on_azure_plan) (seed 004, 'Confirm partner "
    .. "earned credit' and the introduction). check: a warning for each partner-ID link whose customer is out of "
    .. "scope (the link still brings recognition, but no PEC). decide pec.earn: denied naming what the customer "
    .. "lacks, for any subscription; allowed when the customer is in scope (the link and the subscription are "
    .. "judged by pec.linked-account and pec.permanent-eligible-role).",
  params = {},
  constrains = { "partner_id_links.customer_signed_mca", "partner_id_links.customer_on_azure_plan" },

  check = function(state, ctx)
    for _, link in ipairs(state.partner_id_links) do
      local lacks, steps = out_of_scope(link)
      if #lacks > 0 then
        ctx.report{
          at = link,
          message = ("customer %s (link %s) %s, so none of its subscriptions earns partner earned credit"):format(
            link.customer, link.id, table.concat(lacks, " and ")),
          remedy = table.concat(steps, "; and ") .. "; until then do not count on PEC for this customer",
        }
      end
    end
  end,

  decide = {
    ["pec.earn"] = function(req, state, ctx)
      local link = req.link
      local lacks, steps = out_of_scope(link)
      if #lacks > 0 then
        return pp.deny(
          ("customer %s %s; PEC applies only to CSP customers who signed the MCA and are on the Azure plan"):format(
            link.customer, table.concat(lacks, " and ")),
          table.concat(steps, "; and "))
      end
      return pp.allow(
        ("customer %s signed the Microsoft Customer Agreement and is on the Azure plan"):format(link.customer))
    end,
  },
}
