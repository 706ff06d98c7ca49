-- policies/cloud/usage_location.lua
--
-- A license of a cloud subscription can be assigned only to a user whose usage location is set
-- in Microsoft Entra ID; otherwise the admin center refuses with "user location not set".

local function has_location(user)
  return user.usage_location ~= nil and user.usage_location ~= ""
end

local FIX = "in the Microsoft Entra admin center (Global Administrator or User Administrator role), open "
  .. "Identity > Users > All users > %s > Properties, set Usage location and save; then assign the license "
  .. "again in the Microsoft 365 admin center"

---@type Rule
return {
  id = "cloud.usage-location",
  title = "A license is assigned only to a user whose usage location is set",
  severity = "error",
  source = { seed = "002_013589e162925edb.txt",
             section = "Why do I see a \"user location not set\" error during license assignment?" },
  description = "Assigning a license of a cloud subscription to a user fails while the user's usage location "
    .. "is not configured (seed 002, 'Why do I see a \"user location not set\" error during license "
    .. "assignment?'). decide license.assign: a user without usage_location is denied, with the Microsoft "
    .. "Entra admin center steps that set it; a user with one is allowed; without a user the answer is the "
    .. "condition that the user have a usage location (naming the users who lack one). check reports each "
    .. "assigned_users entry of a subscription whose user has no usage location.",
  params = {},
  constrains = { "subscriptions.assigned_users", "users.usage_location" },
  no_say = {
    ["benefit.redeem"] = "a redemption creates a subscription with no license assigned yet",
    ["credit.assign"] = "a user added by a credit assignment holds no license",
    ["credit.reassign"] = "a user added by a credit reassignment holds no license",
  },

  check = function(state, ctx)
    for _, sub in ipairs(state.subscriptions) do
      if sub.assigned_users ~= nil then
        for _, user_id in ipairs(sub.assigned_users) do
          local user = pp.find(state.users, user_id)
          if user ~= nil and not has_location(user) then
            ctx.report{
              at = sub,
              message = ("%s holds a license of subscription %s (%s) but has no usage location set"):format(
                user.email, sub.id, sub.product),
              remedy = FIX:format(user.email),
            }
          end
        end
      end
    end
  end,

  decide = {
    ["license.assign"] = function(req, state, ctx)
      local sub = req.subscription
      local user = req.user
      if user == nil then
        local lacking = {}
        for _, u in ipairs(state.users) do
          if not has_location(u) then
            lacking[#lacking + 1] = u.email
          end
        end
        if #lacking == 0 then
          return pp.allow("every user has a usage location set")
        end
        if #lacking == #state.users then
          return pp.deny(
            ("no user has a usage location set, so no license of subscription %s can be assigned"):format(sub.id),
            FIX:format("the user"))
        end
        return pp.condition(
          ("the user must have a usage location set (not set for %s)"):format(table.concat(lacking, ", ")))
      end
      if not has_location(user) then
        return pp.deny(
          ("%s has no usage location set, so a license of subscription %s cannot be assigned to them"):format(
            user.email, sub.id),
          FIX:format(user.email))
      end
      return pp.allow(
        ("%s has usage location %s"):format(user.email, user.usage_location),
        { usage_location = user.usage_location })
    end,
  },
}
