-- What puts the customer of `link` out of scope, joined with " and " (nil when in scope), and
-- the steps that bring it in, joined with "; and ".
local function out_of_scope(link)
  local lacks, steps, who = {}, {}, { customer = link.customer }
  if not link.customer_signed_mca then
    lacks[#lacks + 1], steps[#steps + 1] = pp.say("lacks_mca", who), pp.say("sign_mca", who)
  end
  if not link.customer_on_azure_plan then
    lacks[#lacks + 1], steps[#steps + 1] = pp.say("lacks_plan", who), pp.say("move_to_plan", who)
  end
  return #lacks > 0 and table.concat(lacks, " and ") or nil, table.concat(steps, "; and ")
end

---@type Rule
return {
  id = "pec.customer-scope",
  severity = "warning",
  source = { seed = "004_4523797a046e9932.txt", section = "Confirm partner earned credit" },
  params = {},
  constrains = { "partner_id_links.customer_signed_mca", "partner_id_links.customer_on_azure_plan" },

  check = function(state, ctx)
    for _, link in ipairs(state.partner_id_links) do
      local lacks, steps = out_of_scope(link)
      if lacks then
        ctx.report{
          at = link,
          message = pp.say("out_of_scope", { customer = link.customer, link = link.id, lacks = lacks }),
          remedy = pp.say("until_then", { steps = steps }),
        }
      end
    end
  end,

  decide = {
    ["pec.earn"] = function(req, state, ctx)
      local link = req.link
      local lacks, steps = out_of_scope(link)
      if lacks then
        return pp.deny(pp.say("not_eligible", { customer = link.customer, lacks = lacks }), steps)
      end
      return pp.allow(pp.say("in_scope", { customer = link.customer }))
    end,
  },
}
