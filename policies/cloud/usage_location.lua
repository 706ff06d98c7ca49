local function has_location(user)
  return user.usage_location ~= nil and user.usage_location ~= ""
end

local function fix(who)
  return pp.say("fix", { who = who })
end

---@type Rule
return {
  id = "cloud.usage-location",
  severity = "error",
  source = { seed = "002_013589e162925edb.txt",
             section = "Why do I see a \"user location not set\" error during license assignment?" },
  params = {},
  constrains = { "subscriptions.assigned_users", "users.usage_location" },
  no_say = {
    ["benefit.redeem"] = "a redemption creates a subscription with no license assigned yet",
    ["credit.assign"] = "a user added by a credit assignment holds no license",
    ["credit.reassign"] = "a user added by a credit reassignment holds no license",
  },

  check = function(state, ctx)
    for _, sub in ipairs(state.subscriptions) do
      for _, user_id in ipairs(sub.assigned_users or {}) do
        local user = pp.find(state.users, user_id)
        if user ~= nil and not has_location(user) then
          ctx.report{ at = sub, remedy = fix(user.email), message = pp.say("holds_without",
            { email = user.email, sub = sub.id, product = sub.product }) }
        end
      end
    end
  end,

  decide = {
    ["license.assign"] = function(req, state, ctx)
      local sub, user = req.subscription, req.user
      if user == nil then
        local lacking = {}
        for _, u in ipairs(state.users) do
          if not has_location(u) then
            lacking[#lacking + 1] = u.email
          end
        end
        if #lacking == 0 then
          return pp.allow(pp.say("everyone_set"))
        elseif #lacking == #state.users then
          return pp.deny(pp.say("nobody_set", { sub = sub.id }), fix("the user"))
        end
        return pp.condition(pp.say("must_have", { lacking = table.concat(lacking, ", ") }))
      end
      if not has_location(user) then
        return pp.deny(pp.say("not_set", { email = user.email, sub = sub.id }), fix(user.email))
      end
      return pp.allow(pp.say("has", { email = user.email, location = user.usage_location }),
        { usage_location = user.usage_location })
    end,
  },
}
